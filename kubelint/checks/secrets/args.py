"""Credentials on a container's command line: flags, assignments, ``mysql -p``, headers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kubelint.redaction import (
    classify,
    credential_in_text,
    is_header_token,
    is_secret_name,
    is_user_password,
    not_a_secret,
)

_MYSQL_CLIENT = re.compile(
    r"(?:^|[\s/])(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|mysqlsh"
    r"|mariadb|mariadb-dump|mariadb-admin)(?=\s|$)"
)
_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_.\-]*)=(.*)", re.DOTALL)
_FLAG = re.compile(r"--?([A-Za-z][A-Za-z0-9_.\-]*)")


@dataclass(frozen=True)
class ArgHit:
    """A credential on a command line: the list item holding it, the flag or variable,
    what it is, and (for a script in one item) a line of that item, for locating only."""

    index: int
    name: str
    kind: str
    line: str | None = None


def _split_words(item: str) -> list[str]:
    return [word.strip("\"';,") for word in item.split()]


def scan_command(items: list[object]) -> list[ArgHit]:
    """Credentials in a container's command or args, including ``sh -c`` scripts."""
    # Items that are no words (null, a mapping) count as empty: they keep their index, so
    # that ArgHit.index is the index in ``items``.
    texts = ["" if item is None or isinstance(item, dict | list) else str(item) for item in items]
    mysql = any(_MYSQL_CLIENT.search(text) for text in texts)
    hits: list[ArgHit] = []
    # One finding per item (per line of a script): a flag's value is also a token by its
    # shape (--token ghp_..., Bearer ghp_...), and the flag, found first, names it better.
    taken: set[tuple[int, str | None]] = set()
    for index, text in enumerate(texts):
        words = _split_words(text)
        script = len(words) > 1
        for position, word in enumerate(words):
            hit = _scan_word(word, mysql)
            if hit is not None:
                line = _line_of(text, word)
                if (index, line) not in taken:
                    taken.add((index, line))
                    hits.append(ArgHit(index, hit[0], hit[1], line))
                continue
            # The value of "--password VALUE" is the next word, or the next list item.
            following: tuple[int, str] | None = None
            if position + 1 < len(words):
                following = (index, words[position + 1])
            elif not script and index + 1 < len(texts):
                following = (index + 1, texts[index + 1].strip())
            if following is None or following[1].startswith("-"):
                continue
            where, value = following
            kind: str | None = None
            if word in ("-u", "--user"):  # curl -u user:password
                _, _, password = value.partition(":")
                if is_user_password(value) and not not_a_secret(password):
                    kind = "user:password pair"
            elif word.lower() in ("bearer", "basic"):
                if is_header_token(value):
                    word, kind = "Authorization", "token in an Authorization header"
            elif _FLAG.fullmatch(word) and is_secret_name(word.lstrip("-")):
                kind = classify(word.lstrip("-"), value)
            if kind is not None:
                line = _line_of(texts[where], value)
                if (where, line) not in taken:
                    taken.add((where, line))
                    hits.append(ArgHit(where, word, kind, line))
    return hits


def _line_of(text: str, word: str) -> str | None:
    """The line of a multi-line item that holds ``word`` (to point at it), else None."""
    if "\n" not in text:
        return None
    for line in text.split("\n"):
        if word in line:
            return line.strip()
    return None


def _scan_word(word: str, mysql: bool) -> tuple[str, str] | None:
    if mysql and word.startswith("-p") and len(word) > 2 and not word.startswith("--"):
        secret = word[2:].strip("\"'")  # -p"$MYSQL_PASSWORD"
        if not not_a_secret(secret):
            return ("-p", "mysql password")
    flag_value = word.lstrip("-")
    match = _ASSIGNMENT.fullmatch(flag_value)
    if match is not None:
        name = match.group(1)
        if word.startswith("-"):
            name = word[: len(word) - len(flag_value)] + name
        kind = classify(match.group(1), match.group(2))
        return (name, kind) if kind is not None else None
    kind = credential_in_text(word)
    return ("", kind) if kind is not None else None
