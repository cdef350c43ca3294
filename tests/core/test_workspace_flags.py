"""Flags in a workspace: reviews that hold while evidence is unchanged, cross-case matches that
a practitioner confirms, and an authority's settings."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from chronology_app.core.crosscase import PersonRef, normalise_name
from chronology_app.core.errors import InvalidInput
from chronology_app.core.service import Service
from chronology_app.core.settings import InvalidSettings, Settings, load_settings
from tests.conftest import EXAMPLES


@pytest.fixture
def workspace(backend_workspace: Any) -> Any:
    """Flags, reviews and cross-case matches run on an encrypted file and on a team server."""
    return backend_workspace


@pytest.fixture
def family_b_service(service: Service, family_b: dict[str, Any]) -> Service:
    service.import_case(family_b)
    return service


def rules_of(service: Service, reference: str) -> list[str]:
    return [reviewed.flag.rule for reviewed in service.flags(reference)]


def test_workspace_flags_match_the_file(family_b_service: Service) -> None:
    expected = json.loads((EXAMPLES / "family-b.expected.json").read_text(encoding="utf-8"))
    found = set(rules_of(family_b_service, "BD-2020-0193"))
    assert set(expected["must_raise"]) <= found
    assert not found & set(expected["must_not_raise"])


def test_a_dismissed_flag_stays_dismissed_until_new_evidence(family_b_service: Service) -> None:
    service = family_b_service
    (flag,) = [
        r.flag for r in service.flags("BD-2020-0193") if r.flag.rule == "repeat-profile-views"
    ]
    service.record_flag_review(
        "BD-2020-0193",
        {
            "rule": flag.rule,
            "evidence": list(flag.entries),
            "decision": "dismissed",
            "reason": "Views were part of one authorised assessment",
        },
    )
    (reviewed,) = [r for r in service.flags("BD-2020-0193") if r.flag.rule == flag.rule]
    assert reviewed.review is not None and reviewed.review.decision == "dismissed"
    service.add_entry(
        "BD-2020-0193",
        {
            "id": "e20",
            "date": "2021-06-01",
            "kind": "online_check",
            "summary": "Viewed again.",
            "source": {"agency": "Children's social care", "type": "online_check"},
            "persons": [{"person": "p-sara", "role": "subject"}],
            "attributes": {
                "platform": "Facebook",
                "profile": "sara.bell.94",
                "authorisation": None,
            },
        },
    )
    (reviewed,) = [r for r in service.flags("BD-2020-0193") if r.flag.rule == flag.rule]
    assert "e20" in reviewed.flag.entries
    assert reviewed.review is None  # new evidence: the flag is back for a decision


def test_reviews_round_trip_through_case_files(family_b_service: Service) -> None:
    service = family_b_service
    review = {
        "rule": "coercive-control",
        "evidence": ["e04", "e07"],
        "decision": "acknowledged",
        "reason": "Discussed with Sara; referred to IDVA",
        "by": "A. Worker",
        "on": "2021-05-02",
    }
    service.record_flag_review("BD-2020-0193", review)
    exported = service.document("BD-2020-0193")
    assert exported["flag_reviews"] == [review]


def _second_family(reference: str = "KL-2023-0001") -> dict[str, Any]:
    """Another family in which Dean (as 'Dean Harte', born about 1990) assaulted a new partner."""
    return {
        "format": "chronology-case",
        "version": 1,
        "case": {"reference": reference, "title": "Family K"},
        "persons": [
            {
                "id": "k-mum",
                "name": "Kim Lowe",
                "roles": ["parent"],
                "immigration_status": "british",
            },
            {
                "id": "k-dh",
                "name": "Dean Harte",
                "date_of_birth": "1990-06-01",
                "roles": ["partner"],
            },
        ],
        "relationships": [{"id": "kr", "kind": "intimate_partner", "persons": ["k-mum", "k-dh"]}],
        "entries": [
            {
                "id": "k1",
                "date": "2016-05-01",
                "kind": "incident",
                "summary": "Assault.",
                "source": {"agency": "Police"},
                "persons": [
                    {"person": "k-mum", "role": "victim"},
                    {"person": "k-dh", "role": "alleged_perpetrator"},
                ],
            },
        ],
    }


def test_matches_are_suggested_and_only_confirmed_ones_feed_the_rules(
    family_b_service: Service,
) -> None:
    service = family_b_service
    before = {r.flag.rule: r.flag for r in service.flags("BD-2020-0193")}
    service.import_case(_second_family())
    (suggestion,) = service.match_suggestions()
    assert {suggestion.first, suggestion.second} == {
        PersonRef("BD-2020-0193", "p-dean"),
        PersonRef("KL-2023-0001", "k-dh"),
    }
    assert suggestion.shared_name == "dean harte"
    assert {r.flag.rule: r.flag for r in service.flags("BD-2020-0193")}.keys() == before.keys()

    result = service.decide_match(
        suggestion.first, suggestion.second, "confirmed", "Same DOB on PNC"
    )
    assert result.action == "Confirm same person"
    assert service.match_suggestions() == []
    after = {r.flag.rule: r.flag for r in service.flags("BD-2020-0193")}
    assert "case KL-2023-0001" in after["returning-perpetrator"].explanation
    assert "3 different victims" in after["serial-perpetrator"].explanation
    # and the other family sees Dean's history in Family B
    other = {r.flag.rule: r.flag for r in service.flags("KL-2023-0001")}
    assert (
        "serial-perpetrator" not in other
        or "BD-2020-0193" in other["serial-perpetrator"].explanation
    )

    service.undo()
    assert len(service.match_suggestions()) == 1


def test_a_rejected_match_is_not_suggested_again_and_feeds_nothing(
    family_b_service: Service,
) -> None:
    service = family_b_service
    service.import_case(_second_family())
    (suggestion,) = service.match_suggestions()
    service.decide_match(suggestion.first, suggestion.second, "rejected", "Different people")
    assert service.match_suggestions() == []
    flags = {r.flag.rule: r.flag for r in service.flags("BD-2020-0193")}
    assert "KL-2023-0001" not in flags["returning-perpetrator"].explanation


def test_incompatible_dates_of_birth_are_not_suggested(family_b_service: Service) -> None:
    other = _second_family()
    other["persons"][1]["date_of_birth"] = "1975-01-01"
    family_b_service.import_case(other)
    assert family_b_service.match_suggestions() == []


def test_match_decisions_are_validated(family_b_service: Service) -> None:
    a, b = PersonRef("BD-2020-0193", "p-dean"), PersonRef("BD-2020-0193", "p-sara")
    with pytest.raises(InvalidInput):
        family_b_service.decide_match(a, b, "confirmed")
    with pytest.raises(InvalidInput):
        family_b_service.decide_match(a, PersonRef("X", "y"), "maybe")


@pytest.mark.parametrize(
    ("first", "second"),
    [("Dean Harte", "dean  harte"), ("Łukasz Zieliński", "Lukasz Zielinski"), ("O'Neil", "o neil")],
)
def test_names_match_whatever_the_case_accents_or_punctuation(first: str, second: str) -> None:
    assert normalise_name(first) == normalise_name(second)


def test_settings_change_rule_parameters(
    service: Service, family_b: dict[str, Any], workspace: Any
) -> None:
    service.import_case(family_b)
    strict = Service(workspace, "T", Settings(rules={"potential-escalation": {"min_events": 4}}))
    assert "potential-escalation" in rules_of(service, "BD-2020-0193")
    assert "potential-escalation" not in rules_of(strict, "BD-2020-0193")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"rules": {"no-such-rule": {}}}', "rules.no-such-rule: no such rule"),
        (
            '{"rules": {"potential-escalation": {"window_months": "six"}}}',
            "rules.potential-escalation.window_months: must be a whole number from 1 to 10000",
        ),
        (
            '{"rules": {"potential-escalation": {"window_weeks": 6}}}',
            "rules.potential-escalation.window_weeks: not a parameter of this rule",
        ),
        ('{"as_of": "latest_entry"}', "as_of: this setting has been removed. A case open in"),
        ('{"bank_holidays": "wales"}', "bank_holidays: must be one of: england_wales, scotland"),
        ('{"ripa_contact": {"how_to_reach": "x"}}', "ripa_contact.name: give a name or team"),
        ("[1, 2", "not valid JSON"),
    ],
)
def test_bad_settings_are_refused_with_their_path(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content)
    with pytest.raises(InvalidSettings) as caught:
        load_settings(path)
    assert caught.value.problems[0].startswith(problem)


def test_the_shipped_default_settings_are_valid() -> None:
    from chronology_app.resources import resource_dir

    settings = load_settings(resource_dir() / "default-settings.json")
    assert settings.rules["potential-escalation"] == {"min_events": 3, "window_months": 12}


def test_flags_over_the_whole_workspace(
    family_b_service: Service, family_b: dict[str, Any]
) -> None:
    other = copy.deepcopy(family_b)
    other["case"]["reference"] = "BD-2020-0194"
    family_b_service.import_case(other)
    everything = family_b_service.workspace_flags()
    assert set(everything) == {"BD-2020-0193", "BD-2020-0194"}
    # the two copies of Dean are suggested as a match, but nothing is fed until confirmed
    assert [r.flag.rule for r in everything["BD-2020-0193"]] == [
        r.flag.rule for r in everything["BD-2020-0194"]
    ]
