"""Matching across the authority: a practitioner learns that a case they cannot see records
the same person, with only the team to contact and the dates of that person's DA history;
a supervisor who sees both confirms, and the history then feeds the case's rules."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from benchmarks.bench_matching import make_cases
from chronology_app.core.authority import AuthorityNote, HiddenEntry
from chronology_app.core.crosscase import PersonRef
from chronology_app.core.errors import NotFound
from tests.server.conftest import case_for


def joined_in_2022(reference: str, partner: str) -> dict[str, Any]:
    """Ann begins a relationship with `partner` in 2022; no incident here."""
    document = case_for(reference, partner)
    document["entries"] = [{**document["entries"][0], "date": "2022-01", "date_text": None}]
    document["entries"][0].pop("date_text")
    return document


@pytest.fixture
def authority(service_as: Callable[[str], Any]) -> tuple[Any, Any, Any]:
    alice, bob, sam = service_as("alice"), service_as("bob"), service_as("sam")
    alice.import_case(joined_in_2022("N-1", "Stephen Marsh"))
    bob.import_case(case_for("S-1", "Steven Marsh"))  # he is alleged perpetrator there
    return alice, bob, sam


def marsh(notes: list[AuthorityNote]) -> list[AuthorityNote]:
    return [note for note in notes if note.person_id == "p3"]


def test_a_hidden_case_is_named_only_by_its_team_and_history_dates(
    authority: tuple[Any, Any, Any],
) -> None:
    alice, _bob, _sam = authority
    notes = alice.authority_notes("N-1")
    assert marsh(notes) == [
        AuthorityNote(
            "p3",
            "south",
            ("2021-06-01",),
            False,
            (HiddenEntry("2021-06-01", "incident", ("hidden-1",)),),
        )
    ]
    shown = repr(notes) + " ".join(n.describe("Stephen Marsh") for n in notes)
    for secret in ("S-1", "Steven", "Ann Test", "Police called"):
        assert secret not in shown.replace("Stephen Marsh", "")
    assert marsh(notes)[0].describe("Stephen Marsh") == (
        "Another case in the authority records a person who may be Stephen Marsh with a "
        "domestic-abuse history (2021-06-01). Contact team south."
    )


def test_cases_the_user_sees_are_left_to_ordinary_suggestions(
    authority: tuple[Any, Any, Any],
) -> None:
    _alice, _bob, sam = authority
    assert sam.authority_notes("N-1") == []  # sam sees both cases
    pairs = {(str(s.first), str(s.second)) for s in sam.match_suggestions()}
    assert ("N-1/p3", "S-1/p3") in pairs


def test_dates_of_birth_that_cannot_be_the_same_day_rule_a_match_out(
    service_as: Callable[[str], Any],
) -> None:
    alice, bob = service_as("alice"), service_as("bob")
    here = joined_in_2022("N-1", "Stephen Marsh")
    here["persons"][2]["date_of_birth"] = "1980-04-04"
    there = case_for("S-1", "Steven Marsh")
    there["persons"][2]["date_of_birth"] = "1991-09-09"
    alice.import_case(here)
    bob.import_case(there)
    assert marsh(alice.authority_notes("N-1")) == []


def test_an_edit_and_its_undo_file_a_person_again_for_suggestions(
    authority: tuple[Any, Any, Any],
) -> None:
    """What the candidate join blocks on (date of birth, professional) is stored beside the
    name keys: an edit, and its undo, change it at once."""
    alice, bob, sam = authority

    def suggested() -> bool:
        pairs = {(str(s.first), str(s.second)) for s in sam.match_suggestions()}
        return ("N-1/p3", "S-1/p3") in pairs

    def marsh_as(service: Any, reference: str, **changes: Any) -> None:
        person = next(p for p in service.document(reference)["persons"] if p["id"] == "p3")
        service.edit_person(reference, "p3", {**person, **changes})

    assert suggested()
    marsh_as(alice, "N-1", date_of_birth="1980-04-04")
    assert suggested()  # his date of birth there is not known: compatible
    marsh_as(bob, "S-1", date_of_birth="1991-09-09")
    assert not suggested()  # never the same day
    bob.undo()
    assert suggested()
    marsh_as(bob, "S-1", date_of_birth="1980-04", roles=["professional"])
    assert not suggested()  # professionals are never suggested
    marsh_as(bob, "S-1", roles=["partner"])
    assert suggested()  # April 1980 may be 4 April 1980


def test_a_confirmed_match_feeds_the_rules_without_naming_the_other_case(
    authority: tuple[Any, Any, Any],
) -> None:
    alice, _bob, sam = authority
    before = [f.flag.rule for f in alice.flags("N-1")]
    assert "returning-perpetrator" not in before
    with pytest.raises(NotFound):  # alice cannot see the other person to confirm
        alice.decide_match(PersonRef("N-1", "p3"), PersonRef("S-1", "p3"), "confirmed")
    sam.decide_match(PersonRef("N-1", "p3"), PersonRef("S-1", "p3"), "confirmed", "same DOB")
    assert marsh(alice.authority_notes("N-1"))[0].confirmed
    flags = [f.flag for f in alice.flags("N-1") if f.flag.rule == "returning-perpetrator"]
    assert len(flags) == 1
    assert "another case in the authority (contact team south)" in flags[0].explanation
    assert "S-1" not in flags[0].explanation


def test_the_serial_perpetrator_rule_counts_victims_in_a_case_the_user_cannot_see(
    service_as: Callable[[str], Any],
) -> None:
    """alice's case names one victim of Stephen Marsh; bob's case (team south, hidden from
    alice) names another. Once a supervisor who sees both confirms he is the same man, alice's
    flag counts two victims and says only where to ask, never who or which case."""
    alice, bob, sam = service_as("alice"), service_as("bob"), service_as("sam")
    alice.import_case(case_for("N-1", "Stephen Marsh"))
    there = case_for("S-1", "Steven Marsh")
    there["persons"][0]["name"] = "Dee Hidden"
    bob.import_case(there)
    assert "serial-perpetrator" not in [f.flag.rule for f in alice.flags("N-1")]
    (note,) = marsh(alice.authority_notes("N-1"))
    assert note.other_victims == 1 and not note.confirmed
    sam.decide_match(PersonRef("N-1", "p3"), PersonRef("S-1", "p3"), "confirmed", "same DOB")
    (flag,) = [f.flag for f in alice.flags("N-1") if f.flag.rule == "serial-perpetrator"]
    assert "against 2 different victims" in flag.explanation
    assert (
        "1 more victim is recorded in another case in the authority (contact team south)."
        in flag.explanation
    )
    for secret in ("S-1", "Steven", "Dee", "Hidden", "E0001 (1 June 2021) in"):
        assert secret not in flag.explanation
    # Confirmed as the same person as Ann here, the victim there is Ann: counted once.
    sam.decide_match(PersonRef("N-1", "p1"), PersonRef("S-1", "p1"), "confirmed", "same DOB")
    (note,) = marsh(alice.authority_notes("N-1"))
    assert note.history[0].victims == ("p1",)
    assert "serial-perpetrator" not in [f.flag.rule for f in alice.flags("N-1")]


def test_the_narrow_function_gives_a_practitioner_no_identity(
    service_as: Callable[[str], Any], as_user: Callable[[str], Any]
) -> None:
    """Plain SQL as alice: what the function returns holds no name, reference or entry text."""
    service_as("alice").import_case(case_for("N-1", "Stephen Marsh"))
    there = case_for("S-1", "Steven Marsh")
    there["persons"][0]["name"] = "Dee Hidden"
    service_as("bob").import_case(there)
    rows = as_user("alice").execute("SELECT * FROM chronology_authority_matches('N-1')").fetchall()
    assert rows
    shown = repr(rows)
    for secret in ("S-1", "Steven", "Dee", "Hidden", "Police", "Ann Test"):
        assert secret not in shown
    assert as_user("alice").execute(
        "SELECT count(*) FROM person WHERE name = 'Dee Hidden'"
    ).fetchone() == (0,)


def _dated_people(reference: str, births: list[str | None]) -> dict[str, Any]:
    """One case of variants of one man, each with a date of birth in another form."""
    document = case_for(reference, "Stephen Marsh")
    names = ["Steven Marsh", "Marsh Stephen", "Stephen Mash", "Stephan Marsh", "Steve Marsh"]
    for index, born in enumerate(births):
        person: dict[str, Any] = {"id": f"x{index}", "name": names[index % 5], "roles": ["partner"]}
        if born is not None:
            person["date_of_birth"] = born
        document["persons"].append(person)
    document["persons"].append({"id": "pro", "name": "Steven Marsh", "roles": ["professional"]})
    return document


def test_the_server_suggests_exactly_what_a_file_with_the_same_cases_does(
    service_as: Callable[[str], Any], tmp_path: Any
) -> None:
    """The server blocks candidates by name key and year of birth; nothing a file would
    suggest is lost (partial, missing and free-form dates of birth, professionals left out)."""
    from chronology_app.core.service import Service

    cases = [
        _dated_people("N-1", ["1980", "1980-04", "1980-04-04", None, "before 1981-01-01"]),
        _dated_people("N-2", ["1980-04-05", "1981", "1980", "1980-05", "after 1979"]),
        _dated_people("S-1", ["1980-04-04", None, "1979-12-31", "1980", "1979-06-01/1980-06-30"]),
    ]
    on_file = Service.create(tmp_path / "f.chronology", "correct horse battery", "me")
    on_server = service_as("sam")
    for document in cases:
        on_file.import_case(document)
        on_server.import_case(document)
    expected = on_file.match_suggestions()
    on_file.close()
    assert len(expected) > 20
    assert on_server.match_suggestions() == expected


def _generated_authority() -> list[dict[str, Any]]:
    """Cases from the matching benchmark's generator (shared forenames and surnames, one person
    in five a spelling variant of a person in another case: Mac/Mc, a doubled letter, forename
    and surname swapped), with aliases, accents, dates of birth in every form (year, month,
    day, free-form, missing) and professionals mixed in."""
    rng = random.Random(18)
    cases = make_cases(40, 10, seed=9)
    everyone = [person for document in cases for person in document["persons"]]
    for person in everyone:
        roll = rng.random()
        if roll < 0.1:
            person.pop("date_of_birth")
        elif roll < 0.15:
            person["date_of_birth"] = f"before {person['date_of_birth'][:4]}-07-01"
        elif roll < 0.2:
            person["aliases"] = [rng.choice(everyone)["name"].replace("e", "é", 1)]
        elif roll < 0.25:
            person["roles"] = ["professional"]
        elif roll < 0.3:
            person["name"] = person["name"].upper()
    return cases


def test_the_server_suggests_what_a_file_does_over_a_generated_authority(
    service_as: Callable[[str], Any], tmp_path: Any
) -> None:
    from chronology_app.core.service import Service

    on_file = Service.create(tmp_path / "f.chronology", "correct horse battery", "me")
    on_server = service_as("sam")
    for document in _generated_authority():
        on_file.import_case(document)
        on_server.import_case(document)
    rejected = on_file.match_suggestions()[3]
    for service in (on_file, on_server):
        service.decide_match(rejected.first, rejected.second, "rejected", "not him")
    expected = on_file.match_suggestions()
    on_file.close()
    assert len(expected) > 50 and rejected not in expected
    assert len({s.why.split(" (")[0] for s in expected}) >= 4  # several kinds of match
    assert on_server.match_suggestions() == expected


def test_the_candidate_function_returns_only_persons_the_caller_may_read(
    service_as: Callable[[str], Any], as_user: Callable[[str], Any]
) -> None:
    """Plain SQL as alice: the supervisor's candidate function (SECURITY DEFINER) gives her
    only persons of her own cases, however many hidden persons share their names."""
    alice = service_as("alice")
    alice.import_case(case_for("N-1", "Stephen Marsh"))
    alice.import_case(case_for("N-2", "Steven Marsh"))
    service_as("bob").import_case(case_for("S-1", "Stephen Marsh"))
    rows = as_user("alice").execute("SELECT * FROM chronology_match_candidates()").fetchall()
    # One row holds the pairs (two arrays of ids); the others each person in a pair once.
    [(_, *_, firsts, seconds)] = [row for row in rows if row[0] is None]
    persons = {row[0]: row[1] for row in rows if row[0] is not None}
    pairs = list(zip(firsts, seconds, strict=True))
    assert set(persons.values()) == {"N-1", "N-2"}
    assert pairs and {person for pair in pairs for person in pair} <= set(persons)
