"""Cross-case matching: the same person may appear in more than one family's case.

The app only *suggests* that two person records in different cases may be one person (the same
name or alias, and dates of birth that could be the same day); a practitioner confirms or
rejects each suggestion, and only confirmed matches feed the rules (spec: rules.md, Cross-case
matching).
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from chronology_app.core.dates import PartialDate
from chronology_app.core.model.vocabulary import kinds_in
from chronology_app.core.name_matching import compare_names, name_keys, normalise_name
from chronology_app.core.records import CaseData, EntryRecord, PersonRecord, person_record
from chronology_app.core.rules.facts import ExternalEntry

HISTORY_KINDS = kinds_in("history")


@dataclass(frozen=True, order=True)
class PersonRef:
    """A person in a workspace: their case and their id in it."""

    case_reference: str
    person_id: str

    def __str__(self) -> str:
        return f"{self.case_reference}/{self.person_id}"


@dataclass(frozen=True)
class MatchSuggestion:
    first: PersonRef
    second: PersonRef
    first_name: str
    second_name: str
    shared_name: str  # the name they share, normalised ("" for a spelling variant)
    dates_of_birth: str  # "same", "compatible" or "one or both unknown"
    why: str = ""  # why they may be the same person, in words


def pair_key(first: PersonRef, second: PersonRef) -> str:
    """One string per unordered pair (JSON, since a case reference may contain any character)."""
    a, b = sorted((first, second))
    return json.dumps([[a.case_reference, a.person_id], [b.case_reference, b.person_id]])


def parse_pair_key(key: str) -> tuple[PersonRef, PersonRef]:
    (ref_a, id_a), (ref_b, id_b) = json.loads(key)
    return PersonRef(ref_a, id_a), PersonRef(ref_b, id_b)


def names_of(person: PersonRecord) -> set[str]:
    return {n for n in (normalise_name(x) for x in (person.name, *person.aliases)) if n}


def all_names(person: PersonRecord) -> tuple[str, ...]:
    return (person.name, *person.aliases)


def dates_of_birth(first: PartialDate | None, second: PartialDate | None) -> str | None:
    """How two dates of birth compare: None when they cannot be the same day."""
    if first is None or second is None:
        return "one or both unknown"
    if first.earliest > second.latest or second.earliest > first.latest:
        return None
    return "same" if first == second and first.is_exact else "compatible"


def suggest_matches(
    persons: Sequence[tuple[str, PersonRecord]], decided: Iterable[str]
) -> list[MatchSuggestion]:
    """Pairs of persons in different cases who may be the same person, leaving out pairs a
    practitioner has already decided on. `persons` holds (case reference, person). Only persons
    who share a name key are compared (no loop over every pair)."""
    buckets: dict[str, list[int]] = defaultdict(list)
    for index, (_reference, person) in enumerate(persons):
        if "professional" not in person.roles:
            for key in name_keys(all_names(person)):
                buckets[key].append(index)
    pairs = {
        (a, b)
        for holders in buckets.values()
        for position, a in enumerate(holders)
        for b in holders[position + 1 :]
        if persons[a][0] != persons[b][0]
    }
    return suggest_from_pairs(((*persons[a], *persons[b]) for a, b in pairs), decided)


def suggest_from_rows(
    rows: Iterable[tuple[str, Mapping[str, Any], str, Mapping[str, Any]]], decided: Iterable[str]
) -> list[MatchSuggestion]:
    """`suggest_from_pairs` for candidate rows of stored person documents (the store's
    candidate join), each person's record made once however many pairs it is in."""
    made: dict[int, PersonRecord] = {}

    def record(doc: Mapping[str, Any]) -> PersonRecord:
        found = made.get(id(doc))
        if found is None:
            found = made[id(doc)] = person_record(doc)
        return found

    # Many objects are made and none is garbage: the cycle collector would only walk them
    # again and again (a third of the time for 100,000 suggestions).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return suggest_from_pairs(
            ((ref_a, record(doc_a), ref_b, record(doc_b)) for ref_a, doc_a, ref_b, doc_b in rows),
            decided,
        )
    finally:
        if collecting:
            gc.enable()


def suggest_from_pairs(
    candidates: Iterable[tuple[str, PersonRecord, str, PersonRecord]], decided: Iterable[str]
) -> list[MatchSuggestion]:
    """The candidate pairs (case, person, case, person) that may be one person: a close enough
    name and dates of birth that could be the same day."""
    # Pairs as plain tuples of strings (compared in C: a supervisor's list holds 100,000).
    done = {_plain(*parse_pair_key(key)) for key in decided}
    found: dict[tuple[str, str, str, str], MatchSuggestion] = {}
    for ref_one, one, ref_two, two in candidates:
        if ref_one == ref_two or "professional" in one.roles or "professional" in two.roles:
            continue
        dob = dates_of_birth(one.date_of_birth, two.date_of_birth)
        if dob is None:
            continue
        key = (ref_one, one.id, ref_two, two.id)
        a, b = one, two
        if key > (ref_two, two.id, ref_one, one.id):
            key, a, b = (ref_two, two.id, ref_one, one.id), two, one
        if key in done or key in found:
            continue
        match = compare_names(all_names(a), all_names(b))
        if match is None:
            continue
        why = f"{match.why}; dates of birth: {dob}"
        if dob == "one or both unknown":
            why += " (a missing date of birth is taken as compatible)"
        found[key] = MatchSuggestion(
            PersonRef(key[0], key[1]),
            PersonRef(key[2], key[3]),
            a.name,
            b.name,
            match.name if match.exact else "",
            dob,
            why,
        )
    return [found[key] for key in sorted(found)]


def _plain(first: PersonRef, second: PersonRef) -> tuple[str, str, str, str]:
    a, b = sorted((first, second))
    return (a.case_reference, a.person_id, b.case_reference, b.person_id)


def look_alikes(
    person: PersonRecord, others: Iterable[PersonRecord]
) -> list[tuple[PersonRecord, str]]:
    """Persons already in a case whom a person being added may duplicate, with why (the same
    matcher as across cases)."""
    keys = name_keys(all_names(person))
    found = []
    for other in others:
        if other.id == person.id or not keys & name_keys(all_names(other)):
            continue
        dob = dates_of_birth(person.date_of_birth, other.date_of_birth)
        match = compare_names(all_names(person), all_names(other))
        if dob is not None and match is not None:
            found.append((other, f"{match.why}; dates of birth: {dob}"))
    return found


def history_entries(case: CaseData, person_id: str) -> list[EntryRecord]:
    """Entries that give a person a DA history: named as alleged perpetrator, or the subject of
    a police action or court order."""
    return [
        entry
        for entry in case.entries
        if person_id in entry.persons_in("alleged_perpetrator")
        or (entry.kind in HISTORY_KINDS and person_id in entry.persons_in("subject"))
    ]


def external_history(
    reference: str,
    confirmed: Iterable[tuple[PersonRef, PersonRef]],
    cases: Mapping[str, CaseData],
) -> dict[str, list[ExternalEntry]]:
    """For each person in case `reference`, the DA history of their confirmed matches in other
    cases. A victim there who is confirmed as the same as someone here is named by this case's
    id, so no one is counted twice."""
    pairs = list(confirmed)
    here_as: dict[PersonRef, str] = {}
    for first, second in pairs:
        for local, other in ((first, second), (second, first)):
            if local.case_reference == reference and other.case_reference != reference:
                here_as[other] = local.person_id
    result: dict[str, list[ExternalEntry]] = defaultdict(list)
    for there, person_here in sorted(here_as.items()):
        other_case = cases.get(there.case_reference)
        if other_case is None:
            continue
        recorded = other_case.person_by_id.get(there.person_id)
        recorded_as = recorded.name if recorded is not None else ""
        for entry in history_entries(other_case, there.person_id):
            victims = tuple(
                here_as.get(PersonRef(there.case_reference, v), f"{there.case_reference}/{v}")
                for v in entry.persons_in("victim")
                if v != there.person_id
            )
            result[person_here].append(
                ExternalEntry(there.case_reference, entry, victims, recorded_as)
            )
    return dict(result)
