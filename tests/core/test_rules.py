"""The pattern rules: table-driven positive and negative cases for every rule, the shared
examples' expectations, and results that do not depend on entry order or today's date."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate_case
from chronology_app.core import casefile
from chronology_app.core.records import case_data
from chronology_app.core.rules.engine import RULE_CLASSES, analyse, build_rules, flags_as_json
from chronology_app.resources import demo_case_files
from tests.conftest import EXAMPLES

PERSONS = [
    {
        "id": "mum",
        "name": "Amy Test",
        "roles": ["parent"],
        "date_of_birth": "1990-01-01",
        "immigration_status": "british",
    },
    {
        "id": "dad",
        "name": "Ben Test",
        "roles": ["parent", "partner"],
        "date_of_birth": "1988",
        "immigration_status": "british",
    },
    {"id": "kid", "name": "Cat Test", "roles": ["child"], "date_of_birth": "2018-05-05"},
    {"id": "ex", "name": "Dee Prior", "roles": ["other"]},
]
RELATIONSHIPS = [
    {"id": "r1", "kind": "intimate_partner", "persons": ["mum", "dad"]},
    {"id": "r2", "kind": "intimate_partner", "persons": ["dad", "ex"]},
]
CHECKED = {
    "id": "chk",
    "date": "2015-01-01",
    "kind": "police_action",
    "summary": "PNC check.",
    "source": {"agency": "Police"},
    "persons": [{"person": "dad", "role": "subject"}],
    "attributes": {"action": "nfa"},
}


def e(
    entry_id: str, date: str, kind: str, *who: str, tags: tuple[str, ...] = (), **attrs: Any
) -> dict[str, Any]:
    """An entry: `who` as 'person:role'; keyword arguments become attributes, except
    `relationship`."""
    entry: dict[str, Any] = {
        "id": entry_id,
        "date": date,
        "kind": kind,
        "summary": f"{kind} {entry_id}",
        "source": {"agency": attrs.pop("agency", "Police")},
        "persons": [{"person": w.split(":")[0], "role": w.split(":")[1]} for w in who],
    }
    if "relationship" in attrs:
        entry["relationship"] = attrs.pop("relationship")
    if tags:
        entry["tags"] = list(tags)
    if attrs:
        entry["attributes"] = attrs
    return entry


def incident(entry_id: str, date: str, *tags: str, victim: str = "mum") -> dict[str, Any]:
    return e(entry_id, date, "incident", f"{victim}:victim", "dad:alleged_perpetrator", tags=tags)


def document(
    entries: list[dict[str, Any]], persons: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "format": "chronology-case",
        "version": 1,
        "case": {"reference": "RT-1", "title": "Rule test"},
        "persons": persons or PERSONS,
        "relationships": RELATIONSHIPS,
        "entries": entries,
    }


# A neutral entry well after everything else, so "nothing followed within N days" windows
# have closed by the date the case is analysed as of (its latest entry).
LATER = {
    "id": "zz",
    "date": "2025-12-31",
    "kind": "note",
    "summary": "Case review.",
    "source": {"agency": "Children's social care"},
}


def only_flag(rule_id: str, entries: list[dict[str, Any]]) -> Any:
    """The one flag the rule raises on these entries (and LATER)."""
    doc = casefile.check(document([*entries, LATER]))
    (flag,) = [f for f in analyse(case_data(doc)) if f.rule == rule_id]
    return flag


def raised(
    rule_id: str, entries: list[dict[str, Any]], persons: list[dict[str, Any]] | None = None
) -> list[list[str]]:
    doc = casefile.check(document([*entries, LATER], persons))
    return [list(f.entries) for f in analyse(case_data(doc)) if f.rule == rule_id]


RECONCILE = e(
    "rec", "2021-04-12", "reconciliation", "mum:subject", "dad:subject", relationship="r1"
)
START = e("start", "2018-06", "relationship_start", "mum:subject", "dad:subject", relationship="r1")

CASES: list[tuple[str, str, list[dict[str, Any]], list[list[str]]]] = [
    # 1 returning-perpetrator
    (
        "returning-perpetrator",
        "reconciliation after incidents",
        [incident("i1", "2020-01-01"), RECONCILE],
        [["i1", "rec"]],
    ),
    (
        "returning-perpetrator",
        "history as subject of a court order",
        [
            e(
                "co",
                "2019-05-01",
                "court_order",
                "dad:subject",
                "ex:victim",
                order="non_molestation",
            ),
            RECONCILE,
        ],
        [["co", "rec"]],
    ),
    (
        "returning-perpetrator",
        "no history before the start",
        [START, incident("i1", "2020-01-01")],
        [],
    ),
    (
        "returning-perpetrator",
        "history only after the reconciliation",
        [RECONCILE, incident("i1", "2021-06-01")],
        [],
    ),
    # 2 unnamed-perpetrator
    (
        "unnamed-perpetrator",
        "nobody named, a child in the family",
        [e("d1", "2021-03-01", "disclosure", "mum:discloser")],
        [["d1"]],
    ),
    (
        "unnamed-perpetrator",
        "response recorded: perpetrator named",
        [e("d1", "2021-03-01", "disclosure", "mum:discloser", "dad:alleged_perpetrator")],
        [],
    ),
    # 3 serial-perpetrator
    (
        "serial-perpetrator",
        "two victims",
        [incident("i1", "2019-01-01"), incident("i2", "2020-01-01", victim="ex")],
        [["i1", "i2"]],
    ),
    (
        "serial-perpetrator",
        "police action counts the subject as perpetrator",
        [
            incident("i1", "2019-01-01"),
            e("pa", "2020-01-01", "police_action", "dad:subject", "ex:victim", action="caution"),
        ],
        [["i1", "pa"]],
    ),
    (
        "serial-perpetrator",
        "one victim twice",
        [incident("i1", "2019-01-01"), incident("i2", "2020-01-01")],
        [],
    ),
    # 4 dvds-not-considered
    (
        "dvds-not-considered",
        "no DVDS after reconciliation",
        [incident("i1", "2020-01-01"), RECONCILE],
        [["i1", "rec"]],
    ),
    (
        "dvds-not-considered",
        "response recorded: DVDS within 28 days",
        [
            incident("i1", "2020-01-01"),
            RECONCILE,
            e(
                "dv",
                "2021-05-01",
                "dvds",
                "mum:victim",
                "dad:subject",
                route="right_to_ask",
                status="applied",
            ),
        ],
        [],
    ),
    (
        "dvds-not-considered",
        "DVDS only after 28 days",
        [
            incident("i1", "2020-01-01"),
            RECONCILE,
            e("dv", "2021-06-01", "dvds", "mum:victim", route="right_to_ask"),
        ],
        [["i1", "rec"]],
    ),
    # 5 cross-boundary-gap
    (
        "cross-boundary-gap",
        "move, nothing shared",
        [e("mv", "2020-09-01", "move", "mum:subject", from_area="Leeds", to_area="Bradford")],
        [["mv"]],
    ),
    (
        "cross-boundary-gap",
        "response recorded: shared in 3 working days",
        [
            e("mv", "2020-09-01", "move", "mum:subject", from_area="Leeds", to_area="Bradford"),
            e("sh", "2020-09-04", "information_shared", **{"from": "Leeds", "to": "Bradford"}),
        ],
        [],
    ),
    (
        "cross-boundary-gap",
        "shared too late (8 working days)",
        [
            e("mv", "2020-09-01", "move", from_area="Leeds", to_area="Bradford"),
            e("sh", "2020-09-11", "information_shared", **{"from": "Leeds", "to": "Bradford"}),
        ],
        [["mv"]],
    ),
    (
        "cross-boundary-gap",
        "agency not notifying children's services",
        [
            e(
                "ag",
                "2020-01-01",
                "agency_involvement",
                agency="Coventry DA service",
                status="started",
                notified_children_services=False,
            )
        ],
        [["ag"]],
    ),
    (
        "cross-boundary-gap",
        "move within the same area",
        [e("mv", "2020-09-01", "move", from_area="Leeds", to_area="leeds")],
        [],
    ),
    # 6 contradicted-denial
    (
        "contradicted-denial",
        "denial then contact evidence",
        [
            e("dn", "2021-02-10", "denial", "mum:subject", "dad:about"),
            e("ce", "2021-03-01", "contact_evidence", "mum:subject", "dad:about"),
        ],
        [["dn", "ce"]],
    ),
    (
        "contradicted-denial",
        "online check without a finding",
        [
            e("dn", "2021-02-10", "denial", "mum:subject", "dad:about"),
            e(
                "oc",
                "2021-03-01",
                "online_check",
                "mum:subject",
                "dad:about",
                platform="X",
                profile="p",
                finding=None,
            ),
        ],
        [],
    ),
    (
        "contradicted-denial",
        "contact more than 180 days away",
        [
            e("dn", "2021-02-10", "denial", "mum:subject", "dad:about"),
            e("ce", "2021-12-01", "contact_evidence", "mum:subject", "dad:about"),
        ],
        [],
    ),
    # 7 potential-escalation
    (
        "potential-escalation",
        "three in twelve months",
        [incident("i1", "2019-01-01"), incident("i2", "2019-05-01"), incident("i3", "2019-12-01")],
        [["i1", "i2", "i3"]],
    ),
    (
        "potential-escalation",
        "three in thirteen months",
        [incident("i1", "2019-01-01"), incident("i2", "2019-05-01"), incident("i3", "2020-02-01")],
        [],
    ),
    # 8 escalating-severity
    (
        "escalating-severity",
        "a new high-harm marker",
        [
            incident("i1", "2019-01-01", "physical"),
            incident("i2", "2019-06-01", "physical", "strangulation"),
        ],
        [["i1", "i2"]],
    ),
    (
        "escalating-severity",
        "gaps shrinking over four incidents",
        [
            incident("i1", "2019-01-01"),
            incident("i2", "2019-07-01"),
            incident("i3", "2019-10-01"),
            incident("i4", "2019-11-01"),
        ],
        [["i1", "i2", "i3", "i4"]],
    ),
    (
        "escalating-severity",
        "the marker was there from the start",
        [incident("i1", "2019-01-01", "weapon"), incident("i2", "2019-06-01", "weapon")],
        [],
    ),
    # 9 dash-high-no-marac
    (
        "dash-high-no-marac",
        "score 15 and no referral",
        [e("ra", "2020-06-02", "risk_assessment", "mum:victim", tool="DASH", score=15)],
        [["ra"]],
    ),
    (
        "dash-high-no-marac",
        "14 yes answers and no referral",
        [
            e(
                "ra",
                "2020-06-02",
                "risk_assessment",
                "mum:victim",
                answers={str(i): "yes" for i in range(1, 15)},
            )
        ],
        [["ra"]],
    ),
    (
        "dash-high-no-marac",
        "response recorded: referral in 3 days",
        [
            e("ra", "2020-06-02", "risk_assessment", "mum:victim", score=15),
            e("mr", "2020-06-05", "marac_referral", "mum:victim"),
        ],
        [],
    ),
    (
        "dash-high-no-marac",
        "score 13",
        [e("ra", "2020-06-02", "risk_assessment", "mum:victim", score=13)],
        [],
    ),
    # 10 professional-judgement
    (
        "professional-judgement",
        "score 9 with strangulation recorded",
        [
            incident("i1", "2020-05-01", "strangulation"),
            e("ra", "2020-06-02", "risk_assessment", "mum:victim", score=9),
        ],
        [["i1", "ra"]],
    ),
    (
        "professional-judgement",
        "response recorded: referral follows",
        [
            incident("i1", "2020-05-01", "strangulation"),
            e("ra", "2020-06-02", "risk_assessment", "mum:victim", score=9),
            e("mr", "2020-08-01", "marac_referral", "mum:victim"),
        ],
        [],
    ),
    (
        "professional-judgement",
        "no high-harm indicator",
        [
            incident("i1", "2020-05-01", "physical"),
            e("ra", "2020-06-02", "risk_assessment", "mum:victim", score=9),
        ],
        [],
    ),
    (
        "professional-judgement",
        "lower assessments no referral follows make one flag",
        [
            e("r0", "2020-01-02", "risk_assessment", "mum:victim", score=5),
            incident("i1", "2020-05-01", "strangulation"),
            e("r1", "2020-06-02", "risk_assessment", "mum:victim", score=9),
            incident("i2", "2020-09-01", "weapon"),
            e("r2", "2020-10-02", "risk_assessment", "mum:victim", score=7),
        ],
        [["i1", "r1", "i2", "r2"]],
    ),
    # 11 separation-cluster
    (
        "separation-cluster",
        "separation, control and violence in a year",
        [
            incident("i1", "2019-02-01", "physical"),
            incident("i2", "2019-06-01", "coercive_control"),
            e("sp", "2019-12-01", "separation", "mum:subject", "dad:subject", relationship="r1"),
        ],
        [["i1", "i2", "sp"]],
    ),
    (
        "separation-cluster",
        "the violence was two years before",
        [
            incident("i1", "2017-02-01", "physical"),
            incident("i2", "2019-06-01", "coercive_control"),
            e("sp", "2019-12-01", "separation", "mum:subject", "dad:subject", relationship="r1"),
        ],
        [],
    ),
    # 12 pregnancy-risk
    (
        "pregnancy-risk",
        "incident during pregnancy",
        [
            e("pg", "2019-09", "pregnancy", "mum:subject", due="2020-04"),
            incident("i1", "2019-11-03"),
        ],
        [["pg", "i1"]],
    ),
    (
        "pregnancy-risk",
        "incident in the baby's first year",
        [e("bt", "2020-04-22", "birth", "kid:subject"), incident("i1", "2020-12-01")],
        [["bt", "i1"]],
    ),
    (
        "pregnancy-risk",
        "incident two years after the birth",
        [e("bt", "2018-05-05", "birth", "kid:subject"), incident("i1", "2020-12-01")],
        [],
    ),
    # 13 coercive-control
    (
        "coercive-control",
        "two entries with controlling behaviours",
        [incident("i1", "2019-01-01", "isolation"), incident("i2", "2019-06-01", "monitoring")],
        [["i1", "i2"]],
    ),
    (
        "coercive-control",
        "one entry only",
        [incident("i1", "2019-01-01", "isolation", "monitoring")],
        [],
    ),
    # 14 cumulative-harm
    (
        "cumulative-harm",
        "abuse, substance misuse and mental health",
        [
            incident("i1", "2019-01-01"),
            e("n1", "2019-02-01", "note", "mum:subject", tags=("substance_misuse",)),
            e("n2", "2019-03-01", "note", "dad:subject", tags=("mental_health",)),
        ],
        [["i1", "n1", "n2"]],
    ),
    (
        "cumulative-harm",
        "no mental health needs recorded",
        [
            incident("i1", "2019-01-01"),
            e("n1", "2019-02-01", "note", "mum:subject", tags=("substance_misuse",)),
        ],
        [],
    ),
    # 15 unseen-adult
    ("unseen-adult", "partner never checked", [incident("i1", "2019-01-01")], [["i1"]]),
    (
        "unseen-adult",
        "response recorded: checked, with a date of birth",
        [CHECKED, incident("i1", "2019-01-01")],
        [],
    ),
    # 16 status-unchecked: see test_status_unchecked (it needs other persons)
    # 17 intervention-only
    (
        "intervention-only",
        "only a programme after an incident",
        [
            incident("i1", "2019-01-01"),
            e(
                "iv",
                "2019-02-01",
                "intervention",
                "mum:subject",
                programme="Group",
                status="started",
            ),
        ],
        [["i1", "iv"]],
    ),
    (
        "intervention-only",
        "response recorded: a safety plan too",
        [
            incident("i1", "2019-01-01"),
            e("iv", "2019-02-01", "intervention", "mum:subject"),
            e("sp", "2019-01-20", "safety_plan", "mum:victim"),
        ],
        [],
    ),
    # 18 repeat-profile-views
    (
        "repeat-profile-views",
        "three unauthorised views",
        [
            e(
                f"o{i}",
                f"2021-0{i}-01",
                "online_check",
                "mum:subject",
                platform="Facebook",
                profile="amy.t",
                authorisation=None,
            )
            for i in (1, 2, 3)
        ],
        [["o1", "o2", "o3"]],
    ),
    (
        "repeat-profile-views",
        "response recorded: authorised",
        [
            e(
                f"o{i}",
                f"2021-0{i}-01",
                "online_check",
                "mum:subject",
                platform="Facebook",
                profile="amy.t",
                authorisation="RIPA-12",
            )
            for i in (1, 2, 3)
        ],
        [],
    ),
    # 19 repeat-marac
    (
        "repeat-marac",
        "incident after a referral",
        [e("mr", "2020-06-05", "marac_referral", "mum:victim"), incident("i1", "2021-01-01")],
        [["mr", "i1"]],
    ),
    (
        "repeat-marac",
        "incident only after 12 months",
        [e("mr", "2020-06-05", "marac_referral", "mum:victim"), incident("i1", "2021-07-01")],
        [],
    ),
    (
        "repeat-marac",
        "referrals whose years overlap make one flag",
        [
            e("m1", "2020-01-10", "marac_referral", "mum:victim"),
            incident("i1", "2020-03-01"),
            e("m2", "2020-04-01", "marac_referral", "mum:victim"),
            incident("i2", "2021-02-01"),
        ],
        [["m1", "i1", "m2", "i2"]],
    ),
    (
        "repeat-marac",
        "referrals years apart make a flag each",
        [
            e("m1", "2018-01-10", "marac_referral", "mum:victim"),
            incident("i1", "2018-03-01"),
            e("m2", "2020-04-01", "marac_referral", "mum:victim"),
            incident("i2", "2020-05-01"),
        ],
        [["m1", "i1"], ["m2", "i2"]],
    ),
    (
        "repeat-marac",
        "a referral with no abuse after it is not named",
        [
            e("m1", "2020-01-10", "marac_referral", "mum:victim"),
            incident("i1", "2020-03-01"),
            e("m2", "2020-12-01", "marac_referral", "mum:victim"),
        ],
        [["m1", "i1"]],
    ),
    # 20 no-online-check
    (
        "no-online-check",
        "assessment with no online check",
        [incident("i1", "2019-01-01"), e("as", "2019-03-01", "assessment", "mum:subject")],
        [["as"]],
    ),
    (
        "no-online-check",
        "response recorded: online check 30 days before",
        [
            incident("i1", "2019-01-01"),
            e("oc", "2019-01-30", "online_check", "mum:subject"),
            e("as", "2019-03-01", "assessment", "mum:subject"),
        ],
        [],
    ),
    (
        "no-online-check",
        "no DA events in the case",
        [e("as", "2019-03-01", "assessment", "mum:subject")],
        [],
    ),
    # 21 consent-not-sought (the full table: test_rule_consent.py)
    (
        "consent-not-sought",
        "consent not asked and no referral",
        [e("d1", "2021-03-01", "disclosure", "mum:discloser", consent_to_refer="not_asked")],
        [["d1"]],
    ),
    (
        "consent-not-sought",
        "response recorded: a referral 10 days later",
        [
            e("d1", "2021-03-01", "disclosure", "mum:discloser", consent_to_refer="not_asked"),
            e("rf", "2021-03-11", "referral", "mum:subject", to="IDVA service"),
        ],
        [],
    ),
]


@pytest.mark.parametrize(
    ("rule_id", "description", "entries", "expected"), CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES]
)
def test_rule(
    rule_id: str, description: str, entries: list[dict[str, Any]], expected: list[list[str]]
) -> None:
    assert raised(rule_id, entries) == expected, description


def test_every_rule_has_a_positive_and_a_negative_case() -> None:
    for rule in RULE_CLASSES:
        outcomes = {bool(expected) for rule_id, _, _, expected in CASES if rule_id == rule.id}
        if rule.id == "status-unchecked":
            continue  # tested below: it needs a parent whose status is not known
        assert outcomes == {True, False}, rule.id


def test_status_unchecked() -> None:
    entries = [e("ag", "2020-01-01", "agency_involvement", agency="NRPF team", status="started")]
    unknown = [{k: v for k, v in PERSONS[0].items() if k != "immigration_status"}, *PERSONS[1:]]
    assert raised("status-unchecked", entries, unknown) == [["ag"]]
    persons = [dict(PERSONS[0], immigration_status="settled"), *PERSONS[1:]]
    assert raised("status-unchecked", entries, persons) == []
    nrpf = [dict(PERSONS[0], immigration_status="nrpf"), *PERSONS[1:]]
    assert raised("status-unchecked", [], nrpf) == [[]]
    checked = [e("ic", "2020-01-01", "immigration_check", "mum:subject", status_found="nrpf")]
    assert raised("status-unchecked", checked, nrpf) == []


def test_unnamed_perpetrator_is_high_only_with_a_child_in_the_family() -> None:
    entries = [e("d1", "2021-03-01", "disclosure", "mum:discloser")]
    doc = casefile.check(document(entries))
    (flag,) = [f for f in analyse(case_data(doc)) if f.rule == "unnamed-perpetrator"]
    assert flag.severity == "high"
    doc = casefile.check(document(entries, [p for p in PERSONS if p["id"] != "kid"]))
    (flag,) = [f for f in analyse(case_data(doc)) if f.rule == "unnamed-perpetrator"]
    assert flag.severity == "medium"


def test_unnamed_perpetrator_names_children_born_by_then_and_shortens_a_long_list() -> None:
    children = [
        {"id": f"c{i:02d}", "name": f"Child {i:02d}", "roles": ["child"], "date_of_birth": born}
        for i, born in enumerate(["2019-06-01"] + ["2010-01-01"] * 13 + ["2022-01-01"])
    ]
    entries = [e("d1", "2021-03-01", "disclosure", "mum:discloser")]
    doc = casefile.check(document(entries, [*PERSONS[:2], PERSONS[3], *children]))
    (flag,) = [f for f in analyse(case_data(doc)) if f.rule == "unnamed-perpetrator"]
    born_by_then = [f"c{i:02d}" for i in range(14)]  # not c14, born in 2022
    assert flag.persons == ("mum", *born_by_then)
    assert "(Child 00, Child 01, " in flag.explanation
    assert "Child 10 and 3 others), so this is marked high." in flag.explanation


def test_uncertain_dates_are_said_in_the_explanation_when_they_decide() -> None:
    entries = [incident("i1", "2019-03-01"), incident("i2", "2019"), incident("i3", "2020-02-01")]
    doc = casefile.check(document(entries))
    (flag,) = [f for f in analyse(case_data(doc)) if f.rule == "potential-escalation"]
    assert "Some dates are uncertain: E0002 (2019). The flag is raised because they could " in (
        flag.explanation
    )


def test_parameters_can_be_changed_by_an_authority() -> None:
    entries = [
        incident("i1", "2019-01-01"),
        incident("i2", "2019-05-01"),
        incident("i3", "2019-10-01"),
    ]
    data = case_data(casefile.check(document(entries)))
    strict = build_rules({"potential-escalation": {"window_months": 6}})
    assert [f for f in analyse(data, strict) if f.rule == "potential-escalation"] == []
    with pytest.raises(ValueError, match="no parameter"):
        build_rules({"potential-escalation": {"window_weeks": 6}})


def test_explanations_name_people_and_dates_and_never_score() -> None:
    doc = json.loads((EXAMPLES / "family-b.json").read_text(encoding="utf-8"))
    for flag in analyse(case_data(doc)):
        assert any(p["name"] in flag.explanation for p in doc["persons"]), flag.rule
        assert "20" in flag.explanation  # a year
        lowered = flag.explanation.lower()
        for word in ("score of", "probability", "will ", "predict", "risk level"):
            if flag.rule in ("dash-high-no-marac", "professional-judgement") and word == "score of":
                continue
            assert word not in lowered, (flag.rule, word)


EXPECTATIONS = sorted(EXAMPLES.glob("*.expected.json"))


@pytest.mark.parametrize("expected_path", EXPECTATIONS, ids=lambda p: p.name)
def test_shared_examples_raise_exactly_what_they_say(expected_path: Any) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    data = case_data(casefile.read(EXAMPLES / expected["case"]))
    rules = {flag.rule for flag in analyse(data)}
    assert set(expected["must_raise"]) <= rules
    assert not set(expected["must_not_raise"]) & rules


def test_flags_json_has_the_spec_shape_and_order() -> None:
    data = case_data(casefile.read(EXAMPLES / "family-b.json"))
    flags = flags_as_json(analyse(data), data)
    order = [cls.id for cls in RULE_CLASSES]
    assert [order.index(f["rule"]) for f in flags] == sorted(order.index(f["rule"]) for f in flags)
    assert set(flags[0]) == {
        "rule",
        "severity",
        "title",
        "explanation",
        "suggested_action",
        "basis",
        "entries",
        "persons",
        "review",
    }


def test_a_review_matches_only_while_the_evidence_is_unchanged() -> None:
    entries = [
        incident("i1", "2019-01-01"),
        incident("i2", "2019-05-01"),
        incident("i3", "2019-10-01"),
    ]
    review = {
        "rule": "potential-escalation",
        "evidence": ["i3", "i1", "i2"],
        "decision": "dismissed",
        "reason": "Discussed at supervision",
        "by": "A. Manager",
        "on": "2020-01-01",
    }
    doc = casefile.check({**document(entries), "flag_reviews": [review]})
    data = case_data(doc)
    (flag,) = [f for f in flags_as_json(analyse(data), data) if f["rule"] == "potential-escalation"]
    assert flag["review"] == review
    doc = casefile.check(
        {**document([*entries, incident("i4", "2019-11-01")]), "flag_reviews": [review]}
    )
    data = case_data(doc)
    (flag,) = [f for f in flags_as_json(analyse(data), data) if f["rule"] == "potential-escalation"]
    assert flag["review"] is None  # new evidence: the dismissal no longer holds


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 1000), shuffle=st.randoms(use_true_random=False))
def test_shuffling_entries_changes_nothing(seed: int, shuffle: random.Random) -> None:
    doc = generate_case(120, seed=seed)
    shuffled = dict(doc, entries=list(doc["entries"]))
    shuffle.shuffle(shuffled["entries"])
    numbers = {entry["id"]: index + 1 for index, entry in enumerate(doc["entries"])}
    original = [(f.rule, sorted(f.entries)) for f in analyse(case_data(doc, numbers))]
    moved = [(f.rule, sorted(f.entries)) for f in analyse(case_data(shuffled, numbers))]
    assert original == moved


@pytest.mark.parametrize("path", demo_case_files(), ids=lambda p: p.name)
def test_demo_families_raise_what_they_were_written_to_show(path: Any) -> None:
    expected = {
        "family-a.json": {
            "returning-perpetrator",
            "serial-perpetrator",
            "cross-boundary-gap",
            "potential-escalation",
            "escalating-severity",
            "separation-cluster",
            "pregnancy-risk",
            "coercive-control",
            "intervention-only",
            "no-online-check",
        },
        "family-c.json": {
            "consent-not-sought",
            "unnamed-perpetrator",
            "cross-boundary-gap",
            "cumulative-harm",
            "unseen-adult",
            "status-unchecked",
        },
        "family-d.json": {"no-online-check"},
    }[path.name]
    assert {flag.rule for flag in analyse(case_data(casefile.read(path)))} == expected


def test_absence_of_a_response_waits_until_its_window_has_passed() -> None:
    """A DASH of 15 recorded as the latest entry: the week for a referral has not passed as of
    the case's latest entry, so no flag yet; analysed as of a later day (settings: today), it is."""
    import datetime

    entries = [e("ra", "2020-06-02", "risk_assessment", "mum:victim", score=15)]
    data = case_data(casefile.check(document(entries)))
    assert [f for f in analyse(data) if f.rule == "dash-high-no-marac"] == []
    later = analyse(data, as_of=datetime.date(2020, 6, 20))
    assert [f.entries for f in later if f.rule == "dash-high-no-marac"] == [("ra",)]


# --- regressions from review -------------------------------------------------------------

SEPARATION = e("sp", "2021-01-20", "separation", "mum:subject", "dad:subject", relationship="r1")

REGRESSIONS: list[tuple[str, str, list[dict[str, Any]], list[list[str]]]] = [
    (
        "contradicted-denial",
        "the incident that ended the relationship does not contradict",
        [
            incident("i1", "2021-01-01"),
            SEPARATION,
            e("dn", "2021-02-10", "denial", "mum:subject", "dad:about"),
        ],
        [],
    ),
    (
        "contradicted-denial",
        "a later denial with no contact near it is not named",
        [
            e("d1", "2021-01-01", "denial", "mum:subject", "dad:about"),
            e("c1", "2021-01-10", "contact_evidence", "mum:subject", "dad:about"),
            e("d2", "2021-12-01", "denial", "mum:subject", "dad:about"),
        ],
        [["d1", "c1"]],
    ),
    (
        "contradicted-denial",
        "denials whose windows overlap make one flag",
        [
            e("d1", "2021-01-01", "denial", "mum:subject", "dad:about"),
            e("c1", "2021-01-10", "contact_evidence", "mum:subject", "dad:about"),
            e("d2", "2021-05-01", "denial", "mum:subject", "dad:about"),
            e("c2", "2021-09-01", "contact_evidence", "mum:subject", "dad:about"),
        ],
        [["d1", "c1", "d2", "c2"]],
    ),
    (
        "contradicted-denial",
        "denials a year apart make a flag each",
        [
            e("d1", "2020-01-01", "denial", "mum:subject", "dad:about"),
            e("c1", "2020-01-10", "contact_evidence", "mum:subject", "dad:about"),
            e("d2", "2021-05-01", "denial", "mum:subject", "dad:about"),
            e("c2", "2021-06-01", "contact_evidence", "mum:subject", "dad:about"),
        ],
        [["d1", "c1"], ["d2", "c2"]],
    ),
    (
        "contradicted-denial",
        "a separation recorded earlier the same day bounds the window",
        [
            incident("i1", "2021-02-09"),
            {**SEPARATION, "date": "2021-02-10", "sequence": 1},
            {**e("dn", "2021-02-10", "denial", "mum:subject", "dad:about"), "sequence": 2},
        ],
        [],
    ),
    (
        "returning-perpetrator",
        "history later the same day (higher sequence) is not earlier",
        [
            {**START, "date": "2021-03-01", "sequence": 1},
            {**incident("i1", "2021-03-01"), "sequence": 2},
        ],
        [],
    ),
    (
        "returning-perpetrator",
        "a parent-child relationship is not a partner coming back",
        [
            incident("i1", "2019-01-01"),
            e(
                "rc",
                "2021-01-01",
                "reconciliation",
                "dad:subject",
                "kid:subject",
                relationship="pc",
            ),
        ],
        [],
    ),
    (
        "potential-escalation",
        "a wide early date that fits the window still counts",
        [
            incident("i1", "2019"),
            incident("i2", "2019-02-01"),
            incident("i3", "2020-06-01"),
            incident("i4", "2020-07-01"),
        ],
        [["i1", "i3", "i4"]],
    ),
    (
        "pregnancy-risk",
        "abuse before the pregnancy was known but after it began",
        [
            incident("i1", "2019-08-15"),
            e("pg", "2019-09-20", "pregnancy", "mum:subject", due="2020-04-10"),
        ],
        [["i1", "pg"]],
    ),
    (
        "pregnancy-risk",
        "a child's date of birth counts as a birth",
        [incident("i1", "2018-09-01")],
        [["i1"]],
    ),
    (
        "cross-boundary-gap",
        "Bury is not in Canterbury",
        [
            e("mv", "2020-09-01", "move", from_area="Leeds", to_area="Bury"),
            e("sh", "2020-09-02", "information_shared", **{"from": "Leeds", "to": "Canterbury"}),
        ],
        [["mv"]],
    ),
    (
        "repeat-profile-views",
        "an authorisation recorded as a number counts",
        [
            e(
                f"o{i}",
                f"2021-0{i}-01",
                "online_check",
                "mum:subject",
                platform="X",
                profile="p",
                authorisation=4521,
            )
            for i in (1, 2, 3)
        ],
        [],
    ),
]


@pytest.mark.parametrize(
    ("rule_id", "description", "entries", "expected"),
    REGRESSIONS,
    ids=[f"{c[0]}: {c[1]}" for c in REGRESSIONS],
)
def test_review_regressions(
    rule_id: str, description: str, entries: list[dict[str, Any]], expected: list[list[str]]
) -> None:
    persons = PERSONS
    doc_entries = entries
    if description.startswith("a parent-child"):
        doc = document([*entries, LATER])
        doc["relationships"] = [
            *RELATIONSHIPS,
            {"id": "pc", "kind": "parent_child", "persons": ["dad", "kid"]},
        ]
        data = case_data(casefile.check(doc))
        assert [list(f.entries) for f in analyse(data) if f.rule == rule_id] == expected
        return
    assert raised(rule_id, doc_entries, persons) == expected, description


def test_repeat_marac_says_when_after_is_only_possible() -> None:
    entries = [e("mr", "2020-06", "marac_referral", "mum:victim"), incident("i1", "2020-06-03")]
    flag = only_flag("repeat-marac", entries)
    assert (
        "The flag is raised because they could fall within 12 months after the referral"
        in flag.explanation
    )


def test_repeat_marac_on_the_referral_day_follows_sequence() -> None:
    referral = {**e("mr", "2020-06-05", "marac_referral", "mum:victim"), "sequence": 2}
    before = {**incident("i1", "2020-06-05"), "sequence": 1}
    after = {**incident("i2", "2020-06-05"), "sequence": 3}
    assert raised("repeat-marac", [before, referral]) == []
    flag = only_flag("repeat-marac", [before, referral, after])
    assert flag.entries == ("mr", "i2")
    assert "not certain" not in flag.explanation


def test_a_referral_recorded_as_abuse_is_not_a_repeat_of_itself() -> None:
    referral = e("mr", "2020-06", "marac_referral", "mum:victim", tags=("physical",))
    assert raised("repeat-marac", [referral]) == []
    assert raised("repeat-marac", [referral, incident("i1", "2020-09-01")]) == [["mr", "i1"]]


def test_repeat_marac_says_when_within_the_window_is_only_possible() -> None:
    # Surely after the referral, but only possibly within its twelve months.
    for later, sure in (("2021", False), ("2020-11", True), ("after 2020-12", False)):
        entries = [e("mr", "2020-01-10", "marac_referral", "mum:victim"), incident("i1", later)]
        flag = only_flag("repeat-marac", entries)
        assert ("not certain" not in flag.explanation) == sure, later


MERGED = [
    (
        "repeat-marac",
        [
            e("m1", "2020-01-10", "marac_referral", "mum:victim"),
            incident("i1", "2020-03-01"),
            e("m2", "2020-04-01", "marac_referral", "mum:victim"),
            incident("i2", "2021-02-01"),
        ],
        "Amy Test was referred to the MARAC in E0001 (10 January 2020) and E0003 (1 April 2020), "
        "and domestic abuse against them is recorded within 12 months after a referral: "
        "E0002 (1 March 2020) and E0004 (1 February 2021).",
    ),
    (
        "professional-judgement",
        [
            incident("i1", "2020-05-01", "strangulation"),
            e("r1", "2020-06-02", "risk_assessment", "mum:victim", score=9),
            e("r2", "2020-10-02", "risk_assessment", "mum:victim", score=7),
        ],
        "The risk assessments E0002 (2 June 2020) and E0003 (2 October 2020) with Amy Test are "
        "under 14, while entries record strangulation: E0001 (1 May 2020). "
        "No MARAC referral follows.",
    ),
    (
        "professional-judgement",
        [  # E0003 carries an indicator for E0001, which may come after it ("2020")
            e("r1", "2020", "risk_assessment", "mum:victim", score=9),
            incident("i0", "2020-02-01", "weapon"),
            e(
                "r2",
                "2020-03-01",
                "risk_assessment",
                "mum:victim",
                score=7,
                tags=("strangulation",),
            ),
        ],
        "The risk assessments E0003 (1 March 2020) and E0001 (2020) with Amy Test are under 14, "
        "while entries record strangulation and weapon: E0002 (1 February 2020) and "
        "E0003 (1 March 2020). No MARAC referral follows.",
    ),
]


@pytest.mark.parametrize(
    ("rule_id", "entries", "explanation"), MERGED, ids=[f"{m[0]}-{i}" for i, m in enumerate(MERGED)]
)
def test_a_merged_flag_names_everything_it_merges(
    rule_id: str, entries: list[dict[str, Any]], explanation: str
) -> None:
    assert only_flag(rule_id, entries).explanation == explanation


def test_separation_cluster_is_certain_when_any_cluster_is_certain() -> None:
    # The open-ended date comes first in the rules' order, but exact dates make a sure cluster.
    entries = [
        incident("v0", "before 2021-06-01", "physical"),
        incident("v1", "2020-10-01", "physical"),
        SEPARATION,
        incident("c1", "2021-03-01", "coercive_control"),
    ]
    flag = only_flag("separation-cluster", entries)
    assert set(flag.entries) == {"v0", "v1", "sp", "c1"}
    assert "uncertain" not in flag.explanation


def test_tags_written_naturally_mean_the_same_to_the_rules() -> None:
    doc = json.loads((EXAMPLES / "family-b.json").read_text(encoding="utf-8"))
    expected = [(f.rule, f.entries) for f in analyse(case_data(doc))]
    for entry in doc["entries"]:
        entry["tags"] = [t.replace("_", " ").title() for t in entry.get("tags", [])]
    assert casefile.validate(doc) == []
    assert [(f.rule, f.entries) for f in analyse(case_data(doc))] == expected


SEPARATION_DATES = (
    "2020-{m:02d}-{d:02d}",
    "2020-{m:02d}",
    "about 2020-{m:02d}",
    "2020",
    "2019/2020",
)


@st.composite
def cluster_cases(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Separations, controlling and violent incidents of one couple, with every kind of date."""
    found = []
    for index in range(draw(st.integers(1, 7))):
        form = draw(st.sampled_from(SEPARATION_DATES))
        date = form.format(m=draw(st.integers(1, 12)), d=draw(st.integers(1, 28)))
        year = draw(st.sampled_from(["2018", "2019", "2020", "2021", "2022"]))
        date = date.replace("2020", year, 1) if "/" not in date else date
        what = draw(st.sampled_from(["separation", "coercive_control", "physical", "both"]))
        if what == "separation":
            found.append(
                e(f"x{index}", date, "separation", "mum:subject", "dad:subject", relationship="r1")
            )
        else:
            tags = ("coercive_control", "physical") if what == "both" else (what,)
            found.append(incident(f"x{index}", date, *tags))
    return found


@settings(max_examples=200, deadline=None)
@given(cluster_cases())
def test_separation_cluster_matches_trying_every_pair(entries: list[dict[str, Any]]) -> None:
    from chronology_app.core.rules.facts import months_span_certain, months_span_possible

    doc = casefile.check(document([*entries, LATER]))
    data = case_data(doc)
    flags = [f for f in analyse(data) if f.rule == "separation-cluster"]
    records = [data.entry_by_id[entry["id"]] for entry in entries]
    separations = [r for r in records if r.kind == "separation"]
    controlling = [r for r in records if "coercive_control" in r.tags]
    violent = [r for r in records if r.tags & {"physical", "sexual"}]

    def cluster(fits: Any, separation: Any) -> bool:
        return any(fits([separation, c, v], 12) for c in controlling for v in violent)

    clustered = [s for s in separations if cluster(months_span_possible, s)]
    assert bool(flags) == bool(clustered)
    if flags:
        (flag,) = flags
        assert {s.id for s in clustered} <= set(flag.entries)
        certain = any(cluster(months_span_certain, s) for s in clustered)
        assert ("not certain" not in flag.explanation) == certain


@st.composite
def referral_cases(draw: st.DrawFn) -> list[dict[str, Any]]:
    """MARAC referrals and incidents against one victim, with every kind of date and
    same-day entries ordered by `sequence`."""
    found = []
    for index in range(draw(st.integers(1, 8))):
        year = draw(st.sampled_from(["2019", "2020", "2021"]))
        month, day = draw(st.integers(1, 12)), draw(st.sampled_from([1, 15, 28]))
        form = draw(st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}-{m:02d}", "{y}", "after {y}"]))
        date = form.format(y=year, m=month, d=day)
        if draw(st.booleans()):
            entry = e(f"x{index}", date, "marac_referral", "mum:victim")
        else:
            entry = incident(f"x{index}", date)
        if len(date) == 10:
            entry["sequence"] = draw(st.integers(1, 3))
        found.append(entry)
    return found


@settings(max_examples=200, deadline=None)
@given(referral_cases())
def test_repeat_marac_matches_checking_every_referral(entries: list[dict[str, Any]]) -> None:
    from chronology_app.core.rules.facts import add_months, may_follow

    doc = casefile.check(document([*entries, LATER]))
    data = case_data(doc)
    flags = [f for f in analyse(data) if f.rule == "repeat-marac"]
    records = [data.entry_by_id[entry["id"]] for entry in entries]
    referrals = [r for r in records if r.kind == "marac_referral"]
    events = [r for r in records if r.kind == "incident"]

    def follows(event: Any, referral: Any) -> bool:
        end = add_months(referral.date.latest, 12)
        return may_follow(event, referral) and event.date.could_fall_within(
            referral.date.earliest, end
        )

    pairs = {(r.id, e.id) for r in referrals for e in events if follows(e, r)}
    assert {i for f in flags for i in f.entries} == {i for pair in pairs for i in pair}
    for flag in flags:  # each flag stands on its own evidence
        named = [i for i in flag.entries if data.entry_by_id[i].kind == "marac_referral"]
        later = [i for i in flag.entries if i not in named]
        assert all(any((r, i) in pairs for r in named) for i in later)
        assert all(any((r, i) in pairs for i in later) for r in named)
