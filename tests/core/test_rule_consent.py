"""Rule 21, `consent-not-sought`: a disclosure with no consent to refer asked or recorded, and
no referral or MARAC referral within 28 days."""

from __future__ import annotations

from typing import Any

import pytest

from chronology_app.core import casefile
from chronology_app.core.records import case_data
from chronology_app.core.rules.engine import build_rules, examine
from tests.core.test_rules import LATER, document, e, only_flag, raised

RULE = "consent-not-sought"


def disclosure(date: str = "2021-03-01", consent: str | None = None, **extra: Any) -> Any:
    attributes = {} if consent is None else {"consent_to_refer": consent}
    return e("d1", date, "disclosure", "mum:discloser", "mum:victim", **attributes, **extra)


def referral(date: str, *who: str, kind: str = "referral") -> Any:
    return e("rf", date, kind, *(who or ("mum:subject",)))


# (description, entries, flagged evidence)
CASES: list[tuple[str, list[dict[str, Any]], list[list[str]]]] = [
    ("not asked, nothing follows", [disclosure(consent="not_asked")], [["d1"]]),
    ("not recorded, nothing follows", [disclosure()], [["d1"]]),
    ("given: never", [disclosure(consent="given")], []),
    ("refused: never", [disclosure(consent="refused")], []),
    ("refused, even with a referral", [disclosure(consent="refused"), referral("2021-03-05")], []),
    ("a referral 10 days later", [disclosure(), referral("2021-03-11")], []),
    (
        "a MARAC referral",
        [disclosure(), referral("2021-03-11", "mum:victim", kind="marac_referral")],
        [],
    ),
    ("a referral the same day", [disclosure(), referral("2021-03-01")], []),
    ("the window's last day: 28 days", [disclosure(), referral("2021-03-29")], []),
    ("one day late: 29 days", [disclosure(), referral("2021-03-30")], [["d1"]]),
    ("a referral before it does not answer it", [disclosure(), referral("2021-02-20")], [["d1"]]),
    ("a referral naming nobody counts", [disclosure(), e("rf", "2021-03-05", "referral")], []),
    (
        "a referral for someone else does not",
        [disclosure(), referral("2021-03-05", "kid:subject")],
        [["d1"]],
    ),
    (
        "an earlier disclosure the same day is answered by a later referral",
        [
            {**disclosure(), "sequence": 1},
            {**referral("2021-03-01"), "sequence": 2},
        ],
        [],
    ),
    (
        "a referral earlier the same day does not answer it",
        [
            {**disclosure(), "sequence": 2},
            {**referral("2021-03-01"), "sequence": 1},
        ],
        [["d1"]],
    ),
    # An uncertain date: the window runs from its first day to 28 days after its last.
    (
        "uncertain: a referral within 28 days of its last day",
        [disclosure("2021-03"), referral("2021-04-28")],
        [],
    ),
    ("uncertain: a referral after that", [disclosure("2021-03"), referral("2021-04-29")], [["d1"]]),
    (
        "uncertain: a referral early in its span",
        [disclosure("2021-03"), referral("2021-03-02")],
        [],
    ),
    (
        "other kinds are not a referral",
        [disclosure(), e("dv", "2021-03-05", "dvds", "mum:victim")],
        [["d1"]],
    ),
]


@pytest.mark.parametrize(("description", "entries", "expected"), CASES, ids=[c[0] for c in CASES])
def test_consent_not_sought(
    description: str, entries: list[dict[str, Any]], expected: list[list[str]]
) -> None:
    assert raised(RULE, entries) == expected, description


@pytest.mark.parametrize("consent", ["given", "refused"])
def test_a_recorded_answer_is_never_a_trigger(consent: str) -> None:
    data = case_data(casefile.check(document([disclosure(consent=consent), LATER])))
    found = examine(data)
    assert [x for x in (*found.flags, *found.answered, *found.due) if x.rule == RULE] == []


def test_the_flag_says_what_is_missing_and_by_when() -> None:
    flag = only_flag(RULE, [disclosure(consent="not_asked")])
    assert flag.severity == "medium"
    assert flag.persons == ("mum",)
    assert flag.explanation == (
        "Amy Test disclosed domestic abuse in E0001 (1 March 2021); the entry records that "
        "consent to refer was not asked, and no referral or MARAC referral follows within 28 "
        "days, that is by 29 March 2021."
    )
    assert flag.suggested_action == (
        "Ask the person at risk for consent to refer to the police or a domestic abuse service, "
        "and record the answer; consider whether to refer without consent."
    )
    assert "no-one seems to have considered obtaining consent" in flag.basis


def test_an_uncertain_date_says_the_window_runs_from_its_latest_day() -> None:
    flag = only_flag(RULE, [disclosure("2021-03")])
    assert flag.explanation == (
        "Amy Test disclosed domestic abuse in E0001 (March 2021); no answer on consent to refer "
        "is recorded, and no referral or MARAC referral follows within 28 days of the latest day "
        "the disclosure could be, that is by 28 April 2021."
    )


def test_an_authority_can_change_the_window() -> None:
    data = case_data(casefile.check(document([disclosure(), referral("2021-03-20"), LATER])))
    assert [f.rule for f in examine(data).flags if f.rule == RULE] == []
    strict = build_rules({RULE: {"window_days": 14}})
    assert [f.entries for f in examine(data, strict).flags if f.rule == RULE] == [("d1",)]
