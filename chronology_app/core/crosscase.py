"""Cross-case matching: the same person may appear in more than one family's case.

The app only *suggests* that two person records in different cases may be one person (the same
name or alias, and dates of birth that could be the same day); a practitioner confirms or
rejects each suggestion, and only confirmed matches feed the rules (spec: rules.md, Cross-case
matching).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from chronology_app.core.dates import PartialDate
from chronology_app.core.records import CaseData, EntryRecord, PersonRecord
from chronology_app.core.rules.facts import ExternalEntry

HISTORY_KINDS = frozenset({"police_action", "court_order"})


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
    shared_name: str
    dates_of_birth: str  # "same", "compatible" or "one or both unknown"


def pair_key(first: PersonRef, second: PersonRef) -> str:
    """One string per unordered pair (JSON, since a case reference may contain any character)."""
    a, b = sorted((first, second))
    return json.dumps([[a.case_reference, a.person_id], [b.case_reference, b.person_id]])


def parse_pair_key(key: str) -> tuple[PersonRef, PersonRef]:
    (ref_a, id_a), (ref_b, id_b) = json.loads(key)
    return PersonRef(ref_a, id_a), PersonRef(ref_b, id_b)


# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"}
)


def normalise_name(name: str) -> str:
    """Case, accents, punctuation and spacing do not tell two names apart."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_UNDECOMPOSED))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", plain).split())


def names_of(person: PersonRecord) -> set[str]:
    return {n for n in (normalise_name(x) for x in (person.name, *person.aliases)) if n}


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
    practitioner has already decided on. `persons` holds (case reference, person)."""
    done = set(decided)
    by_name: dict[str, list[tuple[str, PersonRecord]]] = defaultdict(list)
    for reference, person in persons:
        if "professional" in person.roles:
            continue  # professionals are not the people the rules follow between families
        for name in names_of(person):
            by_name[name].append((reference, person))
    found: dict[str, MatchSuggestion] = {}
    for name, holders in sorted(by_name.items()):
        for index, (ref_a, a) in enumerate(holders):
            for ref_b, b in holders[index + 1 :]:
                if ref_a == ref_b:
                    continue
                first, second = sorted((PersonRef(ref_a, a.id), PersonRef(ref_b, b.id)))
                key = pair_key(first, second)
                dob = dates_of_birth(a.date_of_birth, b.date_of_birth)
                if key in done or key in found or dob is None:
                    continue
                names = {PersonRef(ref_a, a.id): a.name, PersonRef(ref_b, b.id): b.name}
                found[key] = MatchSuggestion(first, second, names[first], names[second], name, dob)
    return sorted(found.values(), key=lambda s: (s.first, s.second))


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
