"""What the rules with a response window found answered in time, and what is still due on the
day a case is analysed as of (`engine.examine`), and the `--answered` JSON shape."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate_case
from chronology_app.cli import main
from chronology_app.core import casefile
from chronology_app.core.records import case_data
from chronology_app.core.rules.base import Answered, Due, Findings
from chronology_app.core.rules.engine import analyse, answered_as_json, examine, flags_as_json
from tests.conftest import EXAMPLES
from tests.core.test_rules import LATER, RECONCILE, document, e, incident

D = dt.date

# Every rule with a response window: the trigger, what answers it, and the window's end.
# (rule, entries, trigger, answered by, deadline)
ANSWERED: list[tuple[str, list[dict[str, Any]], str, str, dt.date]] = [
    (
        "dvds-not-considered",
        [
            incident("i1", "2020-01-01"),
            RECONCILE,
            e("dv", "2021-05-03", "dvds", "mum:victim", "dad:subject"),
        ],
        "rec",
        "dv",
        D(2021, 5, 10),
    ),
    (
        "cross-boundary-gap",  # shared on the fifth working day, counting 6 May
        [
            e("mv", "2024-05-02", "move", from_area="Leeds", to_area="Derby"),
            e("sh", "2024-05-10", "information_shared", **{"from": "Leeds", "to": "Derby"}),
        ],
        "mv",
        "sh",
        D(2024, 5, 10),
    ),
    (
        "dash-high-no-marac",  # a MARAC referral 6 days after a DASH of 15
        [
            e("ra", "2020-06-02", "risk_assessment", "mum:victim", score=15),
            e("mr", "2020-06-08", "marac_referral", "mum:victim"),
        ],
        "ra",
        "mr",
        D(2020, 6, 9),
    ),
    (
        "consent-not-sought",  # a referral on the 28th day
        [
            e("d1", "2021-03-01", "disclosure", "mum:discloser"),
            e("rf", "2021-03-29", "referral", "mum:subject", to="IDVA service"),
        ],
        "d1",
        "rf",
        D(2021, 3, 29),
    ),
    (
        "intervention-only",  # a programme, and a safety plan within 90 days
        [
            incident("i1", "2020-01-01"),
            e("iv", "2020-02-01", "intervention", "dad:subject", programme="Group"),
            e("sp", "2020-03-01", "safety_plan", "mum:subject"),
        ],
        "i1",
        "sp",
        D(2020, 3, 31),
    ),
]


def _examine(entries: list[dict[str, Any]], as_of: dt.date | None = None) -> Findings:
    data = case_data(casefile.check(document(entries)))
    return examine(data, as_of=as_of)


@pytest.mark.parametrize(
    ("rule", "entries", "trigger", "by", "deadline"), ANSWERED, ids=[a[0] for a in ANSWERED]
)
def test_every_rule_with_a_response_window_says_what_it_found_answered(
    rule: str, entries: list[dict[str, Any]], trigger: str, by: str, deadline: dt.date
) -> None:
    found = _examine([*entries, LATER])
    assert [f for f in found.flags if f.rule == rule] == []
    assert [a for a in found.answered if a.rule == rule] == [Answered(rule, trigger, by, deadline)]
    assert [d for d in found.due if d.rule == rule] == []


# The same triggers with no response: due while the window is open on the analysis day (its
# last day included), a flag from the day after.
# (rule, entries, as of while due, deadline, due text)
DUE: list[tuple[str, list[dict[str, Any]], dt.date, str]] = [
    (
        "dvds-not-considered",
        [incident("i1", "2020-01-01"), RECONCILE],
        D(2021, 5, 10),
        "DVDS to consider by 10 May 2021: Amy Test and Ben Test resumed a relationship in "
        "E0002 (12 April 2021), and Ben Test has a domestic-abuse history.",
    ),
    (
        "cross-boundary-gap",
        [e("mv", "2024-05-02", "move", from_area="Leeds", to_area="Derby")],
        D(2024, 5, 10),
        "Information to share with Derby by 10 May 2024: the family moved there in E0001 "
        "(2 May 2024); 5 working days after 2 May 2024, counting the 6 May bank holiday, is "
        "10 May 2024.",
    ),
    (
        "dash-high-no-marac",
        [e("ra", "2020-06-02", "risk_assessment", "mum:victim", score=15)],
        D(2020, 6, 9),
        "MARAC referral to make by 9 June 2020: the risk assessment E0001 (2 June 2020) with "
        "Amy Test has a score of 15.",
    ),
    (
        "consent-not-sought",
        [e("d1", "2021-03-01", "disclosure", "mum:discloser", consent_to_refer="not_asked")],
        D(2021, 3, 29),
        "Consent to refer to seek, or a referral to make, by 29 March 2021: Amy Test disclosed "
        "domestic abuse in E0001 (1 March 2021) and the entry records that consent to refer was "
        "not asked.",
    ),
    (
        "intervention-only",
        [
            incident("i1", "2020-01-01"),
            e("iv", "2020-02-01", "intervention", "dad:subject", programme="Group"),
        ],
        D(2020, 3, 31),
        "Safety plan, risk assessment or referral to record by 31 March 2020: after the "
        "domestic-abuse event E0001 (1 January 2020), the only responses so far are "
        "interventions: E0002 (1 February 2020).",
    ),
]


@pytest.mark.parametrize(("rule", "entries", "deadline", "text"), DUE, ids=[d[0] for d in DUE])
def test_an_open_window_is_due_until_its_last_day_then_a_flag(
    rule: str, entries: list[dict[str, Any]], deadline: dt.date, text: str
) -> None:
    trigger = {"dvds-not-considered": "rec"}.get(rule, entries[0]["id"])
    for as_of in (deadline - dt.timedelta(days=1), deadline):
        found = _examine(entries, as_of)
        assert [f for f in found.flags if f.rule == rule] == []
        assert [d for d in found.due if d.rule == rule] == [Due(rule, trigger, deadline, text)]
    found = _examine(entries, deadline + dt.timedelta(days=1))
    assert [d for d in found.due if d.rule == rule] == []
    assert len([f for f in found.flags if f.rule == rule]) == 1


def test_as_of_none_is_the_latest_entry_so_a_last_trigger_is_due() -> None:
    """A DASH of 15 as the latest entry: its week has not passed as of the latest entry."""
    found = _examine([e("ra", "2020-06-02", "risk_assessment", "mum:victim", score=15)])
    assert [(d.rule, d.trigger, d.deadline) for d in found.due] == [
        ("dash-high-no-marac", "ra", D(2020, 6, 9))
    ]
    assert [f for f in found.flags if f.rule == "dash-high-no-marac"] == []


def test_analyse_returns_the_flags_examine_finds() -> None:
    data = case_data(casefile.read(EXAMPLES / "family-b.json"))
    assert analyse(data) == list(examine(data).flags)


def test_the_answered_json_has_the_flags_and_every_answered_trigger() -> None:
    entries = [*ANSWERED[1][1], *ANSWERED[2][1], *ANSWERED[3][1], LATER]
    data = case_data(casefile.check(document(entries)))
    found = examine(data)
    output = answered_as_json(found, data)
    assert output["flags"] == flags_as_json(found.flags, data)
    assert output["answered"] == [  # in rule order
        {
            "rule": "cross-boundary-gap",
            "trigger": "mv",
            "answered_by": "sh",
            "deadline": "2024-05-10",
        },
        {
            "rule": "dash-high-no-marac",
            "trigger": "ra",
            "answered_by": "mr",
            "deadline": "2020-06-09",
        },
        {
            "rule": "consent-not-sought",
            "trigger": "d1",
            "answered_by": "rf",
            "deadline": "2021-03-29",
        },
    ]


def test_the_command_prints_answered_with_its_option_and_the_array_without(
    tmp_path: Any,
) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document([*ANSWERED[2][1], LATER])), encoding="utf-8")

    def run(*args: str) -> tuple[int, Any]:
        out, err = io.StringIO(), io.StringIO()
        code = main(["flags", str(path), *args], out, err)
        return code, json.loads(out.getvalue()) if out.getvalue() else err.getvalue()

    code, plain = run("--json")
    assert code == 0 and isinstance(plain, list)
    code, both = run("--json", "--answered")
    assert code == 0 and both["flags"] == plain
    assert both["answered"] == [
        {
            "rule": "dash-high-no-marac",
            "trigger": "ra",
            "answered_by": "mr",
            "deadline": "2020-06-09",
        }
    ]
    code, message = run("--answered")
    assert code != 0 and "--answered goes with --json" in message


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 1000), shuffle=st.randoms(use_true_random=False))
def test_answered_and_due_do_not_depend_on_file_order(seed: int, shuffle: random.Random) -> None:
    doc = generate_case(400, seed=seed)  # large enough to hold answered triggers
    shuffled = dict(doc, entries=list(doc["entries"]))
    shuffle.shuffle(shuffled["entries"])
    numbers = {entry["id"]: index + 1 for index, entry in enumerate(doc["entries"])}
    as_of = D(2030, 1, 1)  # every window closed: answered and flags; and the latest entry's day
    for day in (as_of, None):
        first = examine(case_data(doc, numbers), as_of=day)
        second = examine(case_data(shuffled, numbers), as_of=day)
        assert (first.answered, first.due) == (second.answered, second.due)
