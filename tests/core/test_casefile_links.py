"""The two fields added to version 1 of the format: a person's `date_of_death` and an entry's
`same_event_as` (docs/case-file-format.md), checked with their JSON paths and kept on a round
trip through a workspace."""

from __future__ import annotations

from typing import Any

import pytest

from chronology_app.core import casefile
from chronology_app.core.validation import check_person
from tests.conftest import minimal_case


def problems(document: Any) -> list[str]:
    return [str(p) for p in casefile.validate(document)]


def with_entries(*links: tuple[str, object]) -> dict[str, Any]:
    """The minimal case with one note entry per (id, same_event_as) pair after its two
    entries, e1 and e2; a link of None leaves the key out."""
    document = minimal_case()
    for entry_id, same in links:
        entry: dict[str, Any] = {
            "id": entry_id,
            "date": "2021-06-01",
            "kind": "note",
            "summary": "Another agency's record of the incident.",
            "source": {"agency": "Health visiting", "type": "third_party"},
        }
        if same is not None:
            entry["same_event_as"] = same
        document["entries"].append(entry)
    return document


SAME_EVENT = [
    ("one link", [("e3", "e2")], []),
    ("a chain ending at one entry", [("e3", "e2"), ("e4", "e3")], []),
    ("two entries naming the same one", [("e3", "e2"), ("e4", "e2")], []),
    ("a link to a later entry", [("e3", "e4"), ("e4", None)], []),
    ("null is as absent", [("e3", None)], []),
    (
        "itself",
        [("e3", "e3")],
        ["entries[2].same_event_as: an entry cannot be the same event as itself"],
    ),
    ("an unknown id", [("e3", "e9")], ['entries[2].same_event_as: no entry with id "e9"']),
    ("not text", [("e3", 2)], ["entries[2].same_event_as: must be the id of another entry"]),
    ("blank", [("e3", " ")], ["entries[2].same_event_as: must be the id of another entry"]),
    (
        "a cycle of two",
        [("e3", "e4"), ("e4", "e3")],
        [
            "entries[2].same_event_as: same-event links go round in a circle (e3 → e4 → e3): "
            "one entry of the group must name no other"
        ],
    ),
    (
        "a cycle of three, entered from a chain",
        [("e3", "e4"), ("e4", "e5"), ("e5", "e6"), ("e6", "e4")],
        [
            "entries[3].same_event_as: same-event links go round in a circle "
            "(e4 → e5 → e6 → e4): one entry of the group must name no other"
        ],
    ),
    (
        "every problem, in entry order",
        [("e3", "e9"), ("e4", "e4"), ("e5", "e6"), ("e6", "e5")],
        [
            'entries[2].same_event_as: no entry with id "e9"',
            "entries[3].same_event_as: an entry cannot be the same event as itself",
            "entries[4].same_event_as: same-event links go round in a circle (e5 → e6 → e5): "
            "one entry of the group must name no other",
        ],
    ),
]


@pytest.mark.parametrize(
    ("links", "expected"), [s[1:] for s in SAME_EVENT], ids=[s[0] for s in SAME_EVENT]
)
def test_same_event_as_names_another_entry_of_the_file_without_cycles(
    links: list[tuple[str, object]], expected: list[str]
) -> None:
    assert problems(with_entries(*links)) == expected


def test_an_entry_may_name_an_earlier_one_of_the_original_entries() -> None:
    document = minimal_case()
    document["entries"][1]["same_event_as"] = "e1"
    assert problems(document) == []


DEATH = [
    ("a day after birth", "2020-01-02", "2023-05-04", []),
    ("the day of birth", "2020-01-02", "2020-01-02", []),
    ("uncertain dates that overlap", "2020", "about 2019-12", []),
    ("no date of birth", None, "2019", []),
    ("a range", "2020-01-02", "2021-01-01/2021-03-31", []),
    (
        "before birth",
        "2020-01-02",
        "2019-12-31",
        ['persons[1].date_of_death: "2019-12-31" is before the date of birth "2020-01-02"'],
    ),
    (
        "a month before birth",
        "2020-01-02",
        "2019-11",
        ['persons[1].date_of_death: "2019-11" is before the date of birth "2020-01-02"'],
    ),
    (
        "not a date",
        "2020-01-02",
        "last spring",
        ['persons[1].date_of_death: "last spring" is not'],
    ),
    (
        "not text",
        "2020-01-02",
        2021,
        ["persons[1].date_of_death: must be a date expression such as 2019-03-12 or 2019-03"],
    ),
    ("an unreadable birth is reported once", "02/01/2020", "2021", ["persons[1].date_of_birth"]),
]


@pytest.mark.parametrize(
    ("born", "died", "expected"), [d[1:] for d in DEATH], ids=[d[0] for d in DEATH]
)
def test_date_of_death_is_a_date_not_before_birth(
    born: str | None, died: object, expected: list[str]
) -> None:
    document = minimal_case()
    person = document["persons"][1]
    if born is None:
        del person["date_of_birth"]
    else:
        person["date_of_birth"] = born
    person["date_of_death"] = died
    found = problems(document)
    assert len(found) == len(expected), found
    for problem, start in zip(found, expected, strict=True):
        assert problem.startswith(start), found


def test_a_single_write_checks_the_date_of_death_too() -> None:
    person = {"id": "p1", "name": "Ann Test", "date_of_birth": "1990", "date_of_death": "1989"}
    assert [str(p) for p in check_person(person, "")] == [
        'date_of_death: "1989" is before the date of birth "1990"'
    ]


def test_both_fields_survive_a_round_trip_through_a_workspace(service: Any) -> None:
    document = with_entries(("e3", "e2"), ("e4", "e3"))
    document["persons"][0]["date_of_death"] = "about 2023-05"
    service.import_case(document)
    assert service.document("TS-2024-0001") == document
