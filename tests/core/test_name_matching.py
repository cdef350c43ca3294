"""Cross-case suggestions under other spellings, never across incompatible dates of birth, with
the reason said; and the same matcher warning of a person already in the case."""

from __future__ import annotations

from typing import Any

import pytest

from chronology_app.core.crosscase import (
    PersonRef,
    look_alikes,
    pair_key,
    suggest_from_pairs,
    suggest_matches,
)
from chronology_app.core.records import person_record
from chronology_app.core.service import Service
from tests.conftest import minimal_case


def _person(name: str, born: str | None = None, *aliases: str, pid: str = "x") -> Any:
    doc: dict[str, Any] = {"id": pid, "name": name, "roles": ["partner"], "aliases": list(aliases)}
    if born:
        doc["date_of_birth"] = born
    return person_record(doc)


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        ("Stephen McAllister", "Steven Mac Allister", "sound alike"),
        ("Stephen McAllister", "Stephen MacAllister", "written apart or joined"),
        ("Søren Ørsted", "Soren Orsted", "but for accents"),
        ("Dean Harte", "Harte Dean", "forename and surname swapped"),
        ("Wayne Pilbury", "Wayne Pilburry", "sound alike"),
        ("Jonathan Ashdown", "Jonathon Ashdown", "sound alike"),
        ("Kieran O'Donnell", "Kieran ODonnell", "written apart or joined"),
        ("Kerry Ashdown", "Kerry Ashdwon", "a close spelling"),
        ("Dean Harte", "dean harte", "the same name"),
    ],
)
def test_close_spelling_variants_are_suggested_with_why(first: str, second: str, why: str) -> None:
    (found,) = suggest_matches(
        [("A-1", _person(first, "1980-04-02", pid="a")), ("B-2", _person(second, pid="b"))], []
    )
    assert why in found.why
    assert "a missing date of birth is taken as compatible" in found.why


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Stephen McAllister", "Stephanie Allister"),
        ("Dean Harte", "Dean Hartley-Bowen"),
        ("John Smith", "Jane Smythe"),
        ("Mark Jones", "Marek Kowalczyk"),
    ],
)
def test_different_people_are_not_suggested(first: str, second: str) -> None:
    assert suggest_matches([("A-1", _person(first)), ("B-2", _person(second))], []) == []


def test_a_father_and_son_with_one_name_are_not_suggested() -> None:
    father = _person("Ryan Colclough", "1971-05-03", pid="a")
    son = _person("Ryan Colclough", "1996-08-19", pid="b")
    assert suggest_matches([("A-1", father), ("B-2", son)], []) == []
    # but a son with no recorded date of birth may be either of them
    unknown = _person("Ryan Colclough", pid="c")
    found = suggest_matches([("A-1", father), ("C-3", unknown)], [])
    assert [s.dates_of_birth for s in found] == ["one or both unknown"]


def test_an_alias_matches_and_persons_in_one_case_are_not_suggested() -> None:
    a = _person("Dean Harte", None, "Deano Hart", pid="a")
    b = _person("Deano Hart", pid="b")
    assert len(suggest_matches([("A-1", a), ("B-2", b)], [])) == 1
    assert suggest_matches([("A-1", a), ("A-1", b)], []) == []


def test_the_workspace_suggests_from_its_stored_keys(service: Service) -> None:
    first, second = minimal_case("A-1"), minimal_case("B-2")
    first["persons"][2]["name"] = "Stephen McAllister"
    second["persons"][2]["name"] = "Steven Mac Allister"
    second["persons"][2]["aliases"] = []
    second["persons"][0]["name"] = "Someone Else Entirely"
    second["persons"][1]["name"] = "Another Child"
    service.import_case(first)
    service.import_case(second)
    (found,) = service.match_suggestions()
    assert "sound alike" in found.why
    # A renamed person is filed under the new name's keys at once.
    service.edit_person("B-2", "p3", {"name": "Gregor Samsa", "roles": ["partner"]})
    assert service.match_suggestions() == []


def test_a_person_who_may_already_be_in_the_case_is_warned_of(service: Service) -> None:
    service.import_case(minimal_case())
    (found,) = service.look_alikes("TS-2024-0001", {"name": "Cal Others", "roles": ["partner"]})
    person, why = found
    assert person.id == "p3" and "Cal" in why
    assert service.look_alikes("TS-2024-0001", {"name": "Zed Nobody"}) == []
    lone = look_alikes(_person("Cal Other", pid="p3"), [_person("Cal Other", pid="p3")])
    assert lone == []


def test_each_pair_is_suggested_once_in_order_however_the_store_gives_it() -> None:
    """The store may give a pair either way round and more than once (a name key each); the
    suggestions come once each, in order of case and person, decided pairs left out."""
    people = [
        ("B-2", _person("Stephen McAllister", "1980", pid="b")),
        ("A-1", _person("Steven Mac Allister", "1980-04-02", pid="a")),
        ("C-3", _person("Stephen Mcallister", pid="c")),
        ("A-1", _person("Stephen McAllister", "1980", pid="z")),
    ]
    forward = [(*people[i], *people[j]) for i in range(4) for j in range(i + 1, 4)]
    backward = [(*people[j], *people[i]) for i in range(4) for j in range(i + 1, 4)]
    found = suggest_from_pairs([*backward, *forward, *backward], [])
    assert [(str(s.first), str(s.second)) for s in found] == [
        ("A-1/a", "B-2/b"),
        ("A-1/a", "C-3/c"),
        ("A-1/z", "B-2/b"),
        ("A-1/z", "C-3/c"),
        ("B-2/b", "C-3/c"),
    ]
    assert found == suggest_from_pairs(forward, []) == suggest_matches(people, [])
    decided = [pair_key(PersonRef("C-3", "c"), PersonRef("A-1", "z"))]
    assert [(str(s.first), str(s.second)) for s in suggest_matches(people, decided)] == [
        ("A-1/a", "B-2/b"),
        ("A-1/a", "C-3/c"),
        ("A-1/z", "B-2/b"),
        ("B-2/b", "C-3/c"),
    ]
