"""Cross-case matching: the same person may appear in more than one family's case.

The app only *suggests* that two person records in different cases may be one person (the same
name or alias, and dates of birth that could be the same day); a practitioner confirms or
rejects each suggestion, and only confirmed matches feed the rules (spec: rules.md, Cross-case
matching).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from chronology_app.core.bulk import collector_paused
from chronology_app.core.dates import PartialDate, parse_expression
from chronology_app.core.errors import InvalidDate
from chronology_app.core.model.vocabulary import kinds_in
from chronology_app.core.name_matching import (
    NameMatch,
    compare_forms,
    compare_names,
    compare_one,
    forms_of,
    name_keys,
    normalise_name,
)
from chronology_app.core.records import CaseData, EntryRecord, PersonRecord
from chronology_app.core.rules.facts import ExternalEntry

log = logging.getLogger(__name__)

HISTORY_KINDS = kinds_in("history")


@dataclass(frozen=True, order=True, slots=True)
class PersonRef:
    """A person in a workspace: their case and their id in it."""

    case_reference: str
    person_id: str

    def __str__(self) -> str:
        return f"{self.case_reference}/{self.person_id}"


class MatchSuggestion(NamedTuple):
    """Two persons who may be one (a tuple: a supervisor's list holds 100,000)."""

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


SAME, COMPATIBLE, UNKNOWN = "same", "compatible", "one or both unknown"


def dates_of_birth(first: PartialDate | None, second: PartialDate | None) -> str | None:
    """How two dates of birth compare: None when they cannot be the same day."""
    if first is None or second is None:
        return UNKNOWN
    if first.earliest > second.latest or second.earliest > first.latest:
        return None
    return SAME if first.is_exact and first == second else COMPATIBLE


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


_UNSEEN = NameMatch("", False, "")


class Candidate(NamedTuple):
    """What the matcher reads of one person, made once a person however many pairs they are
    in (`_check` works out the rest, once a person, from these)."""

    order: tuple[str, str]  # (case reference, person id): how pairs are put in order
    names: tuple[str, ...]  # the name, then the aliases
    date_of_birth: PartialDate | None


def candidate(reference: str, person: PersonRecord) -> Candidate | None:
    """The person as the matcher reads them; None for a professional (never suggested)."""
    if "professional" in person.roles:
        return None
    return Candidate((reference, person.id), all_names(person), person.date_of_birth)


def suggest_from_store(
    people: Mapping[int, tuple[str, str, tuple[str, ...], str | None]],
    pairs: Iterable[tuple[int, int]],
    decided: Iterable[str],
) -> list[MatchSuggestion]:
    """`suggest_among` for the store's candidates (repository.match_candidates): each person
    once by stored id (case reference, person id, names, date of birth as written: no
    professional among them) and pairs of stored ids."""
    with collector_paused():
        rows = sorted(
            ((reference, person_id), names, born, stored)
            for stored, (reference, person_id, names, born) in people.items()
        )
        at = {row[3]: index for index, row in enumerate(rows)}
        dates = {born: _stored_birth(born) for *_, born, _ in rows}
        return _check(
            [row[0] for row in rows],
            [row[1] for row in rows],
            [dates[row[2]] for row in rows],
            ((at[a], at[b]) for a, b in pairs if a in at and b in at),
            decided,
        )


def _stored_birth(born: object) -> PartialDate | None:
    """A date of birth as the store gives it (the column written from the person's document).
    One that does not read as a case-file date can only have been altered outside Chronology
    (`audit verify` names the person): it is taken as not known, compatible with any, so one
    altered row neither hides the person nor stops the whole list."""
    if born is None:
        return None
    try:
        if isinstance(born, str):
            return parse_expression(born)
    except InvalidDate:
        pass
    log.warning("a stored date of birth does not read as a date: taken as not known")
    return None


def suggest_from_pairs(
    candidates: Iterable[tuple[str, PersonRecord, str, PersonRecord]], decided: Iterable[str]
) -> list[MatchSuggestion]:
    """The candidate pairs (case, person, case, person) that may be one person: a close enough
    name and dates of birth that could be the same day."""
    with collector_paused():
        # each person read once (kept with the record, so that no object id is reused)
        made: dict[int, tuple[str, PersonRecord, Candidate | None]] = {}
        kept: list[tuple[Candidate, Candidate]] = []
        for ref_one, one, ref_two, two in candidates:
            # most pairs of a long list fail here, before anything is made for them
            if (
                ref_one == ref_two
                or "professional" in one.roles
                or "professional" in two.roles
                or dates_of_birth(one.date_of_birth, two.date_of_birth) is None
            ):
                continue
            first = made.get(id(one))
            if first is None or first[0] != ref_one:
                first = made[id(one)] = (ref_one, one, candidate(ref_one, one))
            second = made.get(id(two))
            if second is None or second[0] != ref_two:
                second = made[id(two)] = (ref_two, two, candidate(ref_two, two))
            a, b = first[2], second[2]
            if a is not None and b is not None:
                kept.append((a, b))
        people = {found.order: found for pair in kept for found in pair}
        ordered = [people[order] for order in sorted(people)]
        position = {found.order: index for index, found in enumerate(ordered)}
        return suggest_among(
            ordered, [(position[a.order], position[b.order]) for a, b in kept], decided
        )


def suggest_among(
    people: Sequence[Candidate], pairs: Iterable[tuple[int, int]], decided: Iterable[str]
) -> list[MatchSuggestion]:
    """The check behind every suggestion, on a file or a server: of the candidate pairs (as
    positions in `people`, which holds each person once, in order), those in different cases
    that may be one person, in order, leaving out the decided ones."""
    with collector_paused():
        return _check(
            [person.order for person in people],
            [person.names for person in people],
            [person.date_of_birth for person in people],
            pairs,
            decided,
        )


def _check(
    orders: list[tuple[str, str]],
    names: list[tuple[str, ...]],
    born: list[PartialDate | None],
    pairs: Iterable[tuple[int, int]],
    decided: Iterable[str],
) -> list[MatchSuggestion]:
    """`suggest_among` for persons given as lists: each person's (case reference, person id),
    in order, names and date of birth. A supervisor's list checks 100,000 pairs, so the loop
    reads lists, and keeps nothing a pair does not need."""
    width = len(orders)
    # each pair once, as its place in the order (a sorted list of them is the suggestions'
    # order), leaving out the decided ones
    places = {a * width + b if a < b else b * width + a for a, b in pairs}
    position = {order: index for index, order in enumerate(orders)}
    for pair in decided:
        lesser, greater = _plain(*parse_pair_key(pair))
        if lesser in position and greater in position:
            places.discard(position[lesser] * width + position[greater])
    case = [order[0] for order in orders]
    who = [PersonRef(*order) for order in orders]
    first_name = [person[0] for person in names]
    earliest = [None if date is None else date.earliest for date in born]
    latest = [None if date is None else date.latest for date in born]
    exact = [date is not None and date.is_exact for date in born]
    forms = [forms_of(person) for person in names]
    # Most persons have one name, compared straight (quicker than keeping every answer); two
    # persons with aliases are compared once a pair of their sets of names.
    single = [found[0] if len(found) == 1 else None for found in forms]
    numbered: dict[tuple[str, ...], int] = {}
    number = [numbered.setdefault(person, len(numbered)) for person in names]
    count = len(numbered)
    compared: dict[int, NameMatch | None] = {}
    found: list[MatchSuggestion] = []
    for place in sorted(places):
        a, b = divmod(place, width)
        if case[a] == case[b]:
            continue
        # dates_of_birth(born[a], born[b]), written out (the same text's date is one object)
        since, other = earliest[a], earliest[b]
        if since is None or other is None:
            dob = UNKNOWN
        elif since > latest[b] or other > latest[a]:  # type: ignore[operator]
            continue
        elif exact[a] and (born[a] is born[b] or born[a] == born[b]):
            dob = SAME
        else:
            dob = COMPATIBLE
        one, two = single[a], single[b]
        if one is not None and two is not None:
            ranked = compare_one(one, two)
            if ranked is None:
                continue
            why, exact_name, shared = ranked[1]
        else:
            both = number[a] * count + number[b]
            seen = compared.get(both, _UNSEEN)
            if seen is _UNSEEN:
                seen = compared[both] = compare_forms(forms[a], forms[b])
            if seen is None:
                continue
            why, exact_name, shared = seen
        found.append(
            _suggestion(
                MatchSuggestion,
                (
                    who[a],
                    who[b],
                    first_name[a],
                    first_name[b],
                    shared if exact_name else "",
                    dob,
                    why + _WHY[dob],
                ),
            )
        )
    return found


# MatchSuggestion(...) made straight (a third of the time, 100,000 times over)
_suggestion = tuple.__new__


# How the dates of birth are said after the names' reason.
_WHY = {
    SAME: f"; dates of birth: {SAME}",
    COMPATIBLE: f"; dates of birth: {COMPATIBLE}",
    UNKNOWN: f"; dates of birth: {UNKNOWN} (a missing date of birth is taken as compatible)",
}


def _plain(first: PersonRef, second: PersonRef) -> tuple[tuple[str, str], tuple[str, str]]:
    a, b = sorted((first, second))
    return (a.case_reference, a.person_id), (b.case_reference, b.person_id)


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
