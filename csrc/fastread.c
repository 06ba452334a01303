/*
 * kubelint.loader._fastread: YAML text to plain data and a compact position table,
 * straight from libyaml's events.
 *
 * The pure-Python read path (kubelint/loader/yamlparse.py) composes a node graph, one
 * Node and two Mark objects per YAML node, and converts it to data. This module builds
 * the same data without those objects and records each node's position as seven int32
 * in one buffer (see kubelint/loader/fastread.py, which reads it).
 *
 * It reads only the common case and refuses the rest: on an anchor, an alias, a tag, a
 * merge key, a key that is not a plain string, nesting deeper than the limit, or any
 * libyaml error, read() returns None and the caller reads the whole text the pure-Python
 * way. So the unusual inputs get exactly the pure path's data and errors, and tests hold
 * the two paths to identical results on the rest.
 *
 * How a plain scalar is typed is decided in Python (kubelint/loader/scalars.py) and
 * passed in: a dict of the words with a fixed value (null, booleans, infinities, the
 * merge key), a function for numbers and one that says whether a key that starts like a
 * number is typed as a string. This module only decides which scalars to ask.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "yaml.h"

/* Fields of one record of the position table, in pre-order. */
enum { F_KIND, F_START, F_END, F_LINE, F_COLUMN, F_NEXT, F_KEY, FIELDS };
enum { K_SCALAR = 0, K_SEQUENCE = 1, K_MAPPING = 2 };

/* Returned by the builders: the input is not for this path (read() then returns None). */
#define REFUSED ((PyObject *)1)

typedef struct {
    yaml_parser_t parser;
    yaml_event_t event;
    int has_event;
    /* from the caller */
    PyObject *words;    /* dict: plain word -> value */
    PyObject *number;   /* callable: plain scalar starting like a number -> value */
    PyObject *is_text;  /* callable: whether such a scalar is typed as a string */
    PyObject *merge;    /* the value `words` gives the merge key */
    unsigned char word_start[256];
    unsigned char number_start[256];
    unsigned char unusual[256];
    int max_depth;
    /* per document */
    int32_t *table;
    Py_ssize_t records;
    Py_ssize_t capacity;
    PyObject *keys;       /* list: the text of every key, by F_KEY */
    PyObject *duplicates; /* list: offsets of keys met again in their mapping */
    PyObject *ambiguous;  /* list: offsets of plain y/Y/n/N */
    int unusual_keys;
    int depth;
} Reader;

static int
next_event(Reader *r)
{
    if (r->has_event) {
        yaml_event_delete(&r->event);
        r->has_event = 0;
    }
    if (!yaml_parser_parse(&r->parser, &r->event))
        return 0;
    r->has_event = 1;
    return 1;
}

static Py_ssize_t
add_record(Reader *r, int kind, const yaml_mark_t *start)
{
    if (r->records == r->capacity) {
        Py_ssize_t capacity = r->capacity ? r->capacity * 2 : 256;
        int32_t *grown = PyMem_Realloc(r->table, (size_t)capacity * FIELDS * sizeof(int32_t));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        r->table = grown;
        r->capacity = capacity;
    }
    int32_t *rec = r->table + r->records * FIELDS;
    rec[F_KIND] = kind;
    rec[F_START] = (int32_t)start->index;
    rec[F_END] = (int32_t)start->index;
    rec[F_LINE] = (int32_t)start->line;
    rec[F_COLUMN] = (int32_t)start->column;
    rec[F_NEXT] = (int32_t)(r->records + 1);
    rec[F_KEY] = -1;
    return r->records++;
}

static void
close_record(Reader *r, Py_ssize_t index, const yaml_mark_t *end)
{
    int32_t *rec = r->table + index * FIELDS;
    rec[F_END] = (int32_t)end->index;
    rec[F_NEXT] = (int32_t)r->records;
}

static int
append_offset(PyObject *list, size_t offset)
{
    PyObject *number = PyLong_FromSize_t(offset);
    if (number == NULL)
        return -1;
    int failed = PyList_Append(list, number);
    Py_DECREF(number);
    return failed;
}

/* The value of a plain scalar `text` (a new reference), REFUSED, or NULL on error. */
static PyObject *
plain_value(Reader *r, PyObject *text, const yaml_event_t *event, int is_key)
{
    size_t length = event->data.scalar.length;
    unsigned char first = length ? event->data.scalar.value[0] : 0;
    if (r->word_start[first]) {
        PyObject *word = PyDict_GetItemWithError(r->words, text);
        if (word != NULL) {
            if (word == r->merge) {
                if (is_key)
                    return REFUSED;
                Py_INCREF(text); /* a merge key's text as a value stays text */
                return text;
            }
            if (is_key)
                return REFUSED; /* a key that is null, a boolean or a number */
            if (length == 1 && (first == 'y' || first == 'Y' || first == 'n' || first == 'N')) {
                if (append_offset(r->ambiguous, event->start_mark.index) < 0)
                    return NULL;
            }
            Py_INCREF(word);
            return word;
        }
        if (PyErr_Occurred())
            return NULL;
    }
    if (r->number_start[first]) {
        if (is_key) {
            /* A key typed as a number is written as JSON by the pure path (other_key),
             * even when its value falls back to the text: only string keys are read here. */
            PyObject *answer = PyObject_CallOneArg(r->is_text, text);
            if (answer == NULL)
                return NULL;
            int text_key = PyObject_IsTrue(answer);
            Py_DECREF(answer);
            if (text_key < 0)
                return NULL;
            if (!text_key)
                return REFUSED;
            Py_INCREF(text);
            return text;
        }
        return PyObject_CallOneArg(r->number, text);
    }
    Py_INCREF(text);
    return text;
}

static PyObject *build(Reader *r);

/* A scalar event's value (plain scalars typed), recorded in the table. */
static PyObject *
build_scalar(Reader *r, int is_key)
{
    yaml_event_t *event = &r->event;
    if (event->data.scalar.anchor != NULL || event->data.scalar.tag != NULL)
        return REFUSED;
    Py_ssize_t index = add_record(r, K_SCALAR, &event->start_mark);
    if (index < 0)
        return NULL;
    close_record(r, index, &event->end_mark);
    PyObject *text = PyUnicode_DecodeUTF8(
        (const char *)event->data.scalar.value, (Py_ssize_t)event->data.scalar.length, "strict");
    if (text == NULL)
        return NULL;
    PyObject *value = text;
    if (event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        value = plain_value(r, text, event, is_key);
        Py_DECREF(text);
        if (value == NULL || value == REFUSED)
            return value;
    }
    if (is_key) {
        Py_ssize_t key_index = PyList_GET_SIZE(r->keys);
        if (PyList_Append(r->keys, value) < 0) {
            Py_DECREF(value);
            return NULL;
        }
        r->table[index * FIELDS + F_KEY] = (int32_t)key_index;
        if (!r->unusual_keys) {
            const unsigned char *p = event->data.scalar.value;
            for (size_t i = 0; i < event->data.scalar.length; i++) {
                if (r->unusual[p[i]]) {
                    r->unusual_keys = 1;
                    break;
                }
            }
        }
    }
    return value;
}

static PyObject *
build_sequence(Reader *r)
{
    if (r->event.data.sequence_start.anchor != NULL || r->event.data.sequence_start.tag != NULL)
        return REFUSED;
    Py_ssize_t index = add_record(r, K_SEQUENCE, &r->event.start_mark);
    if (index < 0)
        return NULL;
    PyObject *list = PyList_New(0);
    if (list == NULL)
        return NULL;
    for (;;) {
        if (!next_event(r)) {
            Py_DECREF(list);
            return REFUSED;
        }
        if (r->event.type == YAML_SEQUENCE_END_EVENT)
            break;
        PyObject *item = build(r);
        if (item == NULL || item == REFUSED) {
            Py_DECREF(list);
            return item;
        }
        int failed = PyList_Append(list, item);
        Py_DECREF(item);
        if (failed) {
            Py_DECREF(list);
            return NULL;
        }
    }
    close_record(r, index, &r->event.end_mark);
    return list;
}

static PyObject *
build_mapping(Reader *r)
{
    if (r->event.data.mapping_start.anchor != NULL || r->event.data.mapping_start.tag != NULL)
        return REFUSED;
    Py_ssize_t index = add_record(r, K_MAPPING, &r->event.start_mark);
    if (index < 0)
        return NULL;
    PyObject *dict = PyDict_New();
    if (dict == NULL)
        return NULL;
    PyObject *failure = REFUSED;
    for (;;) {
        if (!next_event(r))
            goto fail;
        if (r->event.type == YAML_MAPPING_END_EVENT)
            break;
        if (r->event.type != YAML_SCALAR_EVENT)
            goto fail; /* a key that is a collection or an alias */
        size_t key_offset = r->event.start_mark.index;
        PyObject *key = build_scalar(r, 1);
        if (key == NULL || key == REFUSED) {
            failure = key;
            goto fail;
        }
        int present = PyDict_Contains(dict, key);
        if (present < 0 || (present && append_offset(r->duplicates, key_offset) < 0)) {
            Py_DECREF(key);
            failure = NULL;
            goto fail;
        }
        if (!next_event(r)) {
            Py_DECREF(key);
            goto fail;
        }
        PyObject *value = build(r);
        if (value == NULL || value == REFUSED) {
            Py_DECREF(key);
            failure = value;
            goto fail;
        }
        int failed = PyDict_SetItem(dict, key, value);
        Py_DECREF(key);
        Py_DECREF(value);
        if (failed) {
            failure = NULL;
            goto fail;
        }
    }
    close_record(r, index, &r->event.end_mark);
    return dict;
fail:
    Py_DECREF(dict);
    return failure;
}

/* The value of the node whose first event is r->event. */
static PyObject *
build(Reader *r)
{
    switch (r->event.type) {
    case YAML_SCALAR_EVENT:
        return build_scalar(r, 0);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        if (++r->depth > r->max_depth)
            return REFUSED; /* the pure path words the error */
        PyObject *value = r->event.type == YAML_SEQUENCE_START_EVENT ? build_sequence(r)
                                                                      : build_mapping(r);
        r->depth--;
        return value;
    }
    default: /* an alias, or events out of place */
        return REFUSED;
    }
}

static void
reset_document(Reader *r)
{
    r->records = 0;
    r->unusual_keys = 0;
    r->depth = 0;
    Py_CLEAR(r->keys);
    Py_CLEAR(r->duplicates);
    Py_CLEAR(r->ambiguous);
}

/* One document as a tuple (see fastread.py), REFUSED, or NULL. r->event: its start. */
static PyObject *
read_document(Reader *r)
{
    reset_document(r);
    r->keys = PyList_New(0);
    r->duplicates = PyList_New(0);
    r->ambiguous = PyList_New(0);
    if (r->keys == NULL || r->duplicates == NULL || r->ambiguous == NULL)
        return NULL;
    if (!next_event(r))
        return REFUSED;
    yaml_mark_t start = r->event.start_mark;
    PyObject *data = build(r);
    if (data == NULL || data == REFUSED)
        return data;
    yaml_mark_t end = r->event.end_mark;
    if (!next_event(r) || r->event.type != YAML_DOCUMENT_END_EVENT) {
        Py_DECREF(data);
        return REFUSED;
    }
    PyObject *table = PyBytes_FromStringAndSize(
        (const char *)r->table, r->records * FIELDS * (Py_ssize_t)sizeof(int32_t));
    if (table == NULL) {
        Py_DECREF(data);
        return NULL;
    }
    return Py_BuildValue(
        "(NnnNOOOO)", data, (Py_ssize_t)start.index, (Py_ssize_t)end.index, table, r->keys,
        r->duplicates, r->ambiguous, r->unusual_keys ? Py_True : Py_False);
}

static int
fill_table(unsigned char *table, PyObject *chars)
{
    Py_ssize_t size;
    const char *text = PyUnicode_AsUTF8AndSize(chars, &size);
    if (text == NULL)
        return -1;
    memset(table, 0, 256);
    for (Py_ssize_t i = 0; i < size; i++)
        table[(unsigned char)text[i]] = 1;
    return 0;
}

static int
fill_word_starts(Reader *r)
{
    memset(r->word_start, 0, 256);
    PyObject *word;
    Py_ssize_t position = 0;
    while (PyDict_Next(r->words, &position, &word, NULL)) {
        Py_ssize_t size;
        const char *text = PyUnicode_AsUTF8AndSize(word, &size);
        if (text == NULL)
            return -1;
        r->word_start[size ? (unsigned char)text[0] : 0] = 1;
    }
    return 0;
}

static PyObject *
read_stream(Reader *r, PyObject *utf8)
{
    yaml_parser_set_input_string(&r->parser, (const unsigned char *)PyBytes_AS_STRING(utf8),
                                 (size_t)PyBytes_GET_SIZE(utf8));
    PyObject *documents = PyList_New(0);
    if (documents == NULL)
        return NULL;
    if (!next_event(r) || r->event.type != YAML_STREAM_START_EVENT)
        goto refused;
    for (;;) {
        if (!next_event(r))
            goto refused;
        if (r->event.type == YAML_STREAM_END_EVENT)
            return documents;
        if (r->event.type != YAML_DOCUMENT_START_EVENT)
            goto refused;
        PyObject *document = read_document(r);
        if (document == REFUSED)
            goto refused;
        if (document == NULL) {
            Py_DECREF(documents);
            return NULL;
        }
        int failed = PyList_Append(documents, document);
        Py_DECREF(document);
        if (failed) {
            Py_DECREF(documents);
            return NULL;
        }
    }
refused:
    Py_DECREF(documents);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(read_doc,
"read(text, words, number, is_text, merge, number_starts, unusual_key_chars, max_depth)\n"
"--\n\n"
"The documents of `text` as a list of (data, start, end, table, keys, duplicates,\n"
"ambiguous, unusual_keys), or None when the text is not for this path.");

static PyObject *
fastread_read(PyObject *module, PyObject *args)
{
    PyObject *text, *number_starts, *unusual_chars;
    Reader r;
    memset(&r, 0, sizeof(r));
    if (!PyArg_ParseTuple(args, "UO!OOOUUi:read", &text, &PyDict_Type, &r.words, &r.number,
                          &r.is_text, &r.merge, &number_starts, &unusual_chars, &r.max_depth))
        return NULL;
    if (fill_word_starts(&r) < 0 || fill_table(r.number_start, number_starts) < 0
        || fill_table(r.unusual, unusual_chars) < 0)
        return NULL;
    PyObject *utf8 = PyUnicode_AsUTF8String(text);
    if (utf8 == NULL)
        return NULL;
    if (!yaml_parser_initialize(&r.parser)) {
        Py_DECREF(utf8);
        return PyErr_NoMemory();
    }
    PyObject *result = read_stream(&r, utf8);
    if (r.has_event)
        yaml_event_delete(&r.event);
    yaml_parser_delete(&r.parser);
    reset_document(&r);
    PyMem_Free(r.table);
    Py_DECREF(utf8);
    return result;
}

static PyMethodDef fastread_methods[] = {
    {"read", fastread_read, METH_VARARGS, read_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef fastread_module = {
    PyModuleDef_HEAD_INIT, "_fastread",
    "YAML text to plain data and a position table, from libyaml's events.", -1,
    fastread_methods,
};

PyMODINIT_FUNC
PyInit__fastread(void)
{
    PyObject *module = PyModule_Create(&fastread_module);
    if (module != NULL && PyModule_AddIntConstant(module, "FIELDS", FIELDS) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
