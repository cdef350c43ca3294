"""An authority's settings: bank holidays, the RIPA contact, and the `as_of` setting that went."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chronology_app.core.settings import InvalidSettings, RipaContact, load_settings, parse_settings


@pytest.mark.parametrize(
    ("data", "nation", "name"),
    [
        ({}, "england_wales", "England and Wales"),
        ({"bank_holidays": "england_wales"}, "england_wales", "England and Wales"),
        ({"bank_holidays": "scotland"}, "scotland", "Scotland"),
        ({"bank_holidays": "northern_ireland"}, "northern_ireland", "Northern Ireland"),
    ],
)
def test_bank_holidays_name_a_nation(data: dict[str, object], nation: str, name: str) -> None:
    settings = parse_settings(data)
    assert settings.bank_holidays == nation
    assert settings.working_calendar().name == name


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("wales", "bank_holidays: must be one of: england_wales, scotland, northern_ireland"),
        (["scotland"], "bank_holidays: must be one of: england_wales, scotland, northern_ireland"),
    ],
)
def test_an_unknown_nation_is_refused(value: object, problem: str) -> None:
    with pytest.raises(InvalidSettings) as caught:
        parse_settings({"bank_holidays": value})
    assert caught.value.problems == [problem]


def test_the_ripa_contact_is_read_with_its_three_parts() -> None:
    settings = parse_settings(
        {
            "ripa_contact": {
                "name": "Information governance team",
                "how_to_reach": "ig@council.example, 01632 960 123",
                "guidance": "Intranet: Policies > Surveillance and RIPA",
            }
        }
    )
    assert settings.ripa_contact == RipaContact(
        "Information governance team",
        "ig@council.example, 01632 960 123",
        "Intranet: Policies > Surveillance and RIPA",
    )
    assert parse_settings({}).ripa_contact is None
    assert parse_settings({"ripa_contact": None}).ripa_contact is None
    assert parse_settings({"ripa_contact": {"name": "  RIPA  officer "}}).ripa_contact == (
        RipaContact("RIPA officer")
    )


@pytest.mark.parametrize(
    ("value", "problems"),
    [
        ("the IG team", ["ripa_contact: must be an object with name, how_to_reach and guidance"]),
        ({}, ["ripa_contact.name: give a name or team to ask"]),
        ({"name": ""}, ["ripa_contact.name: give a name or team to ask"]),
        (
            {"name": "IG", "phone": "1"},
            ["ripa_contact.phone: not part of the contact (it has: name, how_to_reach, guidance)"],
        ),
        (
            {"name": "IG", "guidance": 7},
            ["ripa_contact.guidance: must be text of at most 300 characters"],
        ),
    ],
)
def test_a_bad_ripa_contact_is_refused_with_its_path(value: object, problems: list[str]) -> None:
    with pytest.raises(InvalidSettings) as caught:
        parse_settings({"ripa_contact": value})
    assert caught.value.problems == problems


@pytest.mark.parametrize("value", ["latest_entry", "today", None])
def test_a_file_that_still_sets_as_of_is_refused_saying_why(tmp_path: Path, value: object) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"as_of": value}))
    with pytest.raises(InvalidSettings) as caught:
        load_settings(path)
    assert caught.value.problems == [
        "as_of: this setting has been removed. A case open in a workspace is now analysed as of "
        "today, and a closed case or a case file as of its latest entry; remove this line"
    ]


def test_the_shipped_settings_hold_rule_21_and_the_nation() -> None:
    from chronology_app.resources import resource_dir

    settings = load_settings(resource_dir() / "default-settings.json")
    assert settings.rules["consent-not-sought"] == {"window_days": 28}
    assert settings.bank_holidays == "england_wales"
    assert settings.ripa_contact is None
