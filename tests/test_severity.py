"""Severity is an enum that writes and compares exactly as the plain words did.

Python 3.12 changed ``format()`` of str-mixin enums (an f-string gives ``Severity.ERROR``
unless the enum says otherwise); these tests pin the words on every version.
"""

from __future__ import annotations

import json

import pytest

from kubelint.checks import _validate
from kubelint.checks.base import CheckMeta, ModuleCheck
from kubelint.errors import PluginError
from kubelint.model import SEVERITIES, SEVERITY_RANK, Severity


@pytest.mark.parametrize("severity", list(Severity))
def test_a_severity_writes_as_its_word(severity: Severity) -> None:
    word = severity.value
    assert str(severity) == word
    assert f"{severity}" == word
    assert f"{severity:<7}|" == f"{word:<7}|"
    assert format(severity, ">9") == format(word, ">9")
    assert "%s" % severity == word  # noqa: UP031 - the %-operator is what is pinned here
    assert severity.ljust(8) == word.ljust(8)
    assert json.dumps(severity) == json.dumps(word)
    assert json.dumps({severity: [severity]}) == json.dumps({word: [word]})
    assert ",".join([severity, severity]) == f"{word},{word}"


@pytest.mark.parametrize("severity", list(Severity))
def test_a_severity_equals_and_hashes_as_its_word(severity: Severity) -> None:
    word = severity.value
    assert severity == word and word == severity
    assert hash(severity) == hash(word)
    assert {word: 1}[severity] == 1 and {severity: 1}[word] == 1
    assert Severity(word) is severity
    assert Severity(severity) is severity


def test_severities_keep_the_order_and_ranks_of_the_words() -> None:
    assert SEVERITIES == ("error", "warning", "info")
    assert SEVERITY_RANK == {"info": 0, "warning": 1, "error": 2}
    assert [s.rank for s in SEVERITIES] == [2, 1, 0]
    # Ordering stays that of the words (nothing sorted them by rank implicitly before).
    assert sorted(SEVERITIES) == sorted(s.value for s in SEVERITIES)


def _check(severity: str) -> ModuleCheck:
    meta = CheckMeta(id="c", summary="s", severity=severity, remediation="r")
    return ModuleCheck(meta, lambda obj, ctx, params: iter(()))


def test_check_meta_turns_the_plain_word_into_a_severity() -> None:
    meta = _check("error").meta
    assert meta.severity is Severity.ERROR
    assert f"{meta.severity:<7}" == "error  "


def test_an_unknown_severity_is_still_refused_by_name() -> None:
    with pytest.raises(PluginError, match="unknown severity 'critical'"):
        _validate(_check("critical"), "plugin x")
