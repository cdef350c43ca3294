"""How explanations read: what rests on another case (named, with the name he is recorded under
there and the entries' dates, never that family's victims), how an unseen adult is connected,
exactly dated evidence first, and never a bracket inside another."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from benchmarks.generate import generate_case
from chronology_app.core import casefile, crosscase
from chronology_app.core.crosscase import PersonRef
from chronology_app.core.records import CaseData, case_data
from chronology_app.core.rules.engine import build_rules, examine
from chronology_app.core.rules.repeat_profile_views import RipaContact
from chronology_app.resources import demo_case_files
from tests.conftest import EXAMPLES
from tests.core.test_rules import LATER, PERSONS, document, e, incident, only_flag

OTHER = "LS-2019-0042"
# Another family, where Ben is recorded as "Benjamin Tester" and Kim Lowe was his victim.
OTHER_FAMILY: dict[str, Any] = {
    "format": "chronology-case",
    "version": 1,
    "case": {"reference": OTHER, "title": "Family L"},
    "persons": [
        {"id": "k-mum", "name": "Kim Lowe", "roles": ["parent"]},
        {"id": "k-bt", "name": "Benjamin Tester", "roles": ["partner"]},
    ],
    "relationships": [{"id": "kr", "kind": "intimate_partner", "persons": ["k-mum", "k-bt"]}],
    "entries": [
        {
            "id": "k2",
            "date": "2019",
            "date_text": "during 2019 (neighbour could not say when)",
            "kind": "police_action",
            "summary": "Cautioned.",
            "source": {"agency": "Police"},
            "persons": [{"person": "k-bt", "role": "subject"}],
            "attributes": {"action": "caution"},
        },
        {
            "id": "k1",
            "date": "2019-03-03",
            "kind": "incident",
            "summary": "Assault.",
            "source": {"agency": "Police"},
            "persons": [
                {"person": "k-mum", "role": "victim"},
                {"person": "k-bt", "role": "alleged_perpetrator"},
            ],
        },
    ],
}
START = e("st", "2021-04-12", "relationship_start", "mum:subject", "dad:subject", relationship="r1")


def _with_other_case(entries: list[dict[str, Any]]) -> tuple[CaseData, dict[str, Any]]:
    here = case_data(casefile.check(document([*entries, LATER])))
    there = case_data(casefile.check(copy.deepcopy(OTHER_FAMILY)))
    confirmed = [(PersonRef("RT-1", "dad"), PersonRef(OTHER, "k-bt"))]
    history = crosscase.external_history("RT-1", confirmed, {"RT-1": here, OTHER: there})
    flags = {f.rule: f for f in examine(here, external_history=history).flags}
    return here, flags


ELSEWHERE = (
    "Ben Test is confirmed as the same person as Benjamin Tester in case LS-2019-0042, whose "
    "entries record a domestic-abuse history: E0002 (3 March 2019) and E0001 (during 2019, "
    "neighbour could not say when)."
)


def test_a_flag_resting_on_another_case_names_it_and_the_entries_dates() -> None:
    _, flags = _with_other_case([START])
    assert flags["dvds-not-considered"].explanation == (
        "Amy Test and Ben Test started a relationship in E0001 (12 April 2021), and no DVDS "
        f"entry follows within 28 days. {ELSEWHERE}"
    )
    assert flags["returning-perpetrator"].explanation == (
        f"Amy Test started a relationship with Ben Test in E0001 (12 April 2021). {ELSEWHERE}"
    )
    for flag in flags.values():
        assert "Kim" not in flag.explanation  # that family's victim is never named


def test_serial_perpetrator_counts_victims_elsewhere_without_naming_them() -> None:
    _, flags = _with_other_case([START, incident("i1", "2021-06-01")])
    assert flags["serial-perpetrator"].explanation == (
        "The entries name Ben Test as alleged perpetrator against 2 different victims: Amy Test "
        "in E0002 (1 June 2021). 1 more victim is recorded in case LS-2019-0042. Ben Test is "
        "confirmed as the same person as Benjamin Tester in case LS-2019-0042, whose entries "
        "record abuse against other victims: E0002 (3 March 2019)."
    )


# (persons, entries, the sentence that says how the adult is connected, aliases)
UNSEEN: list[tuple[str, list[dict[str, Any]], list[dict[str, Any]], str]] = [
    (
        "a partner with aliases",
        [
            PERSONS[0],
            {k: v for k, v in PERSONS[1].items() if k != "date_of_birth"}
            | {"aliases": ["Benny", "B. Test"]},
            *PERSONS[2:],
        ],
        [],
        "Ben Test is a partner of Amy Test and Dee Prior, but no date of birth is recorded and no "
        "entry shows a check on them (police, DVDS, assessment, online or immigration). Aliases "
        "to check: Benny and B. Test.",
    ),
    (
        "a partner named by the person who disclosed",
        PERSONS,
        [e("d1", "2021-03-01", "disclosure", "mum:discloser", "ex:alleged_perpetrator")],
        "Dee Prior is a partner of Ben Test and named as alleged perpetrator by Amy Test, but no "
        "date of birth is recorded and no entry shows a check on them (police, DVDS, assessment, "
        "online or immigration). No aliases are recorded: ask for any other names they use. "
        "Entries naming them: E0001 (1 March 2021).",
    ),
    (
        "a partner named by the victim of an incident",
        PERSONS,
        [e("i1", "2020-02-02", "incident", "dad:victim", "ex:alleged_perpetrator")],
        "Dee Prior is a partner of Ben Test and named as alleged perpetrator by Ben Test, but "
        "no date of birth is recorded and no entry shows a check on them (police, DVDS, "
        "assessment, online or immigration). No aliases are recorded: ask for any other names "
        "they use. Entries naming them: E0001 (2 February 2020).",
    ),
]


@pytest.mark.parametrize(
    ("description", "persons", "entries", "explanation"), UNSEEN, ids=[u[0] for u in UNSEEN]
)
def test_unseen_adult_says_how_they_are_connected_and_the_aliases_to_check(
    description: str,
    persons: list[dict[str, Any]],
    entries: list[dict[str, Any]],
    explanation: str,
) -> None:
    data = case_data(casefile.check(document(entries, persons)))
    found = [f.explanation for f in examine(data).flags if f.rule == "unseen-adult"]
    assert explanation in found, description


def test_exactly_dated_evidence_leads_before_wide_spans_and_before_x() -> None:
    flag = only_flag(
        "potential-escalation",
        [
            incident("i1", "before 2019-03-01"),
            incident("i2", "2019-03"),
            incident("i3", "2019-04-02"),
        ],
    )
    assert flag.entries == ("i1", "i2", "i3")  # the evidence stays in date order
    assert flag.explanation.startswith(
        "The entries show 3 domestic-abuse events against Amy Test with 3 or more within 12 "
        "months: E0003 (2 April 2019), E0002 (March 2019) and E0001 (before 1 March 2019)."
    )


def test_repeat_profile_views_names_the_authoritys_contact() -> None:
    checks = [
        e(f"o{i}", f"2021-0{i}-01", "online_check", "mum:subject", platform="X", profile="p")
        for i in (1, 2, 3)
    ]
    data = case_data(casefile.check(document([*checks, LATER])))
    plain = (
        "Repeated viewing may amount to directed surveillance: seek authorisation under RIPA "
        "before looking again."
    )
    (flag,) = [f for f in examine(data).flags if f.rule == "repeat-profile-views"]
    assert flag.suggested_action == plain
    rules = build_rules(ripa_contact=RipaContact("the IG team", "ext 4521", "Intranet, RIPA"))
    (flag,) = [f for f in examine(data, rules).flags if f.rule == "repeat-profile-views"]
    assert flag.suggested_action == (
        f"{plain} Ask the IG team: ext 4521. Local guidance: Intranet, RIPA."
    )


def _depth(text: str) -> int:
    deepest = level = 0
    for char in text:
        level += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, level)
    return deepest


def _all_texts(data: CaseData, **options: Any) -> list[str]:
    found = examine(data, **options)
    return [f.explanation for f in found.flags] + [d.text for d in found.due]


def test_no_explanation_puts_a_bracket_inside_another() -> None:
    cases = [case_data(casefile.read(p)) for p in demo_case_files()]
    cases += [
        case_data(casefile.read(p))
        for p in sorted(EXAMPLES.glob("family-*.json"))
        if ".expected" not in p.name
    ]
    cases += [case_data(generate_case(300, seed=seed)) for seed in range(3)]
    texts = [text for data in cases for text in _all_texts(data)]
    texts += [
        f.explanation for f in _with_other_case([START, incident("i1", "2021-06-01")])[1].values()
    ]
    assert texts
    assert [text for text in texts if _depth(text) > 1] == []
