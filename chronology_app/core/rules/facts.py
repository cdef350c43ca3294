"""What the rules need to know about one case, worked out once per analysis (the date
arithmetic and index are in timing.py, the wording of explanations in explaining.py; rules
import all three from here).

Everything here is derived from read-only records. Time comparisons treat an uncertain date as
possibly anywhere between its earliest and latest day: "may" functions say whether something is
possible, "surely" functions whether it is certain, and rules say so in their explanations when
the difference decides a flag.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial

from chronology_app.core.model.vocabulary import ABUSE_TYPE_TAGS, kinds_in
from chronology_app.core.records import CaseData, EntryRecord
from chronology_app.core.rules.explaining import (
    LISTED,
    NARROW_DAYS,
    Namer,
    entry_when,
    in_cases,
    join_words,
    list_entries,
    listed,
    listing_order,
    listing_tier,
    short_date,
    unbracketed,
    uncertain,
    uncertainty_note,
)
from chronology_app.core.rules.timing import (
    DateIndex,
    SpanCover,
    T,
    _may_come_before,
    add_days,
    add_months,
    chrono,
    group_by_spans,
    may_fall,
    may_follow,
    may_precede,
    merge_spans,
    months_span_certain,
    months_span_possible,
    possible_runs,
    surely_falls,
    surely_precedes,
)
from chronology_app.core.rules.working_days import WorkingCalendar, calendar_for

DA_KINDS = kinds_in("da_event")
HISTORY_KINDS = kinds_in("history")
PARTNER_KINDS = kinds_in("partnering")
PERPETRATOR_ROLE = frozenset({"alleged_perpetrator"})
HISTORY_ROLES = frozenset({"alleged_perpetrator", "subject"})  # subject: of HISTORY_KINDS
ABUSE_TAGS = frozenset(ABUSE_TYPE_TAGS)


@dataclass(frozen=True)
class ExternalEntry:
    """A history entry from another case, about a person confirmed as the same as one here.
    `victims` are this case's person ids where the victim is confirmed as the same person,
    else "REFERENCE/id"."""

    case_reference: str
    entry: EntryRecord
    victims: tuple[str, ...]
    recorded_as: str = ""  # the name the person is recorded under in that case


@dataclass(frozen=True)
class ReturningPartner:
    """A partner with a DA history joined again (or for the first time) to someone."""

    person: str  # the partner with the history
    others: tuple[str, ...]  # whom they were joined to
    joinings: tuple[EntryRecord, ...]  # starts and reconciliations that follow some history
    history: tuple[EntryRecord, ...]  # history in this case that may precede the last joining
    elsewhere: tuple[ExternalEntry, ...]  # history in other cases (confirmed same person)


def latest_day(case: CaseData) -> dt.date | None:
    """The latest day the case's entries reach (an open-ended "after" date counts from its
    start)."""
    days = [
        entry.date.latest if entry.date.latest != dt.date.max else entry.date.earliest
        for entry in case.entries
    ]
    return max(days, default=None)


def _by_person_named(
    entries: Iterable[EntryRecord],
    roles: Callable[[EntryRecord], frozenset[str]] | None = None,
) -> dict[str, list[EntryRecord]]:
    """Per person: the entries (in the order given) that name them, in any role or in one of
    the entry's `roles`."""
    index: dict[str, list[EntryRecord]] = defaultdict(list)
    for entry in entries:
        wanted = roles(entry) if roles is not None else None
        for link in entry.persons:
            if wanted is not None and link.role not in wanted:
                continue
            found = index[link.person]
            if not found or found[-1] is not entry:  # once per entry
                found.append(entry)
    return index


def _history_roles(entry: EntryRecord) -> frozenset[str]:
    return HISTORY_ROLES if entry.kind in HISTORY_KINDS else PERPETRATOR_ROLE


@dataclass
class Facts:
    """Indexes over one case, built once and shared by every rule."""

    case: CaseData
    namer: Namer | None = None
    # Cross-case: per person id, history entries from other cases where a practitioner confirmed
    # the same person, with the other case's reference (filled in by the workspace analysis).
    external_history: Mapping[str, Sequence[ExternalEntry]] = field(default_factory=dict)
    # The day the case is analysed as of: its latest entry unless the caller says otherwise
    # (an open case in a workspace is analysed as of today: spec, As of when).
    as_of: dt.date | None = None
    # Working days less the bank holidays of the authority's nation (spec: Working days).
    calendar: WorkingCalendar = field(default_factory=calendar_for)

    def __post_init__(self) -> None:
        if self.as_of is None:
            self.as_of = latest_day(self.case)

    def window_closed(self, end: dt.date) -> bool:
        """Whether a "nothing followed within N days" window has ended by the analysis date;
        until it has, its absence cannot be known and the rule waits (the response is due)."""
        return self.as_of is not None and end < self.as_of

    def name(self, person_id: str) -> str:
        if self.namer is not None:
            return self.namer(person_id)
        person = self.case.person_by_id.get(person_id)
        return person.name if person else person_id

    def names(self, person_ids: Iterable[str]) -> str:
        """'Amy, Ben and Cal'; past LISTED people, 'Amy, Ben, … and 20 others' (the flag's
        persons still list them all)."""
        unique = list(dict.fromkeys(person_ids))
        shown = unique if len(unique) <= LISTED else unique[: LISTED - 1]
        return listed([self.name(pid) for pid in shown], len(unique), "others")

    @cached_property
    def entries(self) -> list[EntryRecord]:
        """The case's entries in the rules' order (see `chrono`)."""
        return sorted(self.case.entries, key=chrono)

    @cached_property
    def by_kind(self) -> Mapping[str, list[EntryRecord]]:
        index: dict[str, list[EntryRecord]] = defaultdict(list)
        for entry in self.entries:
            index[entry.kind].append(entry)
        return index

    @cached_property
    def _kind_cache(self) -> dict[tuple[str, ...], list[EntryRecord]]:
        return {}

    def kind(self, *kinds: str) -> list[EntryRecord]:
        """The entries of these kinds, in order (cached: several rules ask for the same)."""
        found = self._kind_cache.get(kinds)
        if found is None:
            if len(kinds) == 1:  # each kind's list is in order already
                found = list(self.by_kind.get(kinds[0], ()))
            else:
                found = sorted(
                    (entry for kind in kinds for entry in self.by_kind.get(kind, ())), key=chrono
                )
            self._kind_cache[kinds] = found
        return found

    @cached_property
    def _index_cache(self) -> dict[str, DateIndex]:
        return {}

    @cached_property
    def _memo(self) -> dict[str, object]:
        return {}

    def memo(self, name: str, build: Callable[[], T]) -> T:
        """Something a rule works out once per analysis under `name` (an index by person, for
        example), shared with the other rules that ask for it."""
        if name not in self._memo:
            self._memo[name] = build()
        return self._memo[name]  # type: ignore[return-value]

    def index(self, name: str, entries: Callable[[], Iterable[EntryRecord]]) -> DateIndex:
        """A DateIndex over some entries, built once per analysis under `name`."""
        found = self._index_cache.get(name)
        if found is None:
            found = self._index_cache[name] = DateIndex(entries())
        return found

    @cached_property
    def da_events(self) -> list[EntryRecord]:
        return [
            entry for entry in self.entries if entry.kind in DA_KINDS or entry.tags & ABUSE_TAGS
        ]

    @cached_property
    def da_naming(self) -> Mapping[str, list[EntryRecord]]:
        """Per person: the DA events that name them, in any role, in order."""
        return _by_person_named(self.da_events)

    @cached_property
    def history(self) -> Mapping[str, list[EntryRecord]]:
        """Per person: entries naming them as alleged perpetrator, or as subject of a police
        action or court order (the spec's "DA history")."""
        return _by_person_named(self.entries, _history_roles)

    def history_of(self, person_id: str) -> list[EntryRecord]:
        return list(self.history.get(person_id, ()))

    def history_before(self, person_id: str, entry: EntryRecord) -> list[EntryRecord]:
        """History entries that may come before `entry` (a same-day entry with a higher
        `sequence` does not)."""
        history = self.index(f"history:{person_id}", partial(self.history_of, person_id))
        return [
            h
            for h in history.may_fall(dt.date.min, entry.date.latest)
            if h.id != entry.id and not surely_precedes(entry, h)
        ]

    def history_elsewhere_before(self, person_id: str, entry: EntryRecord) -> list[ExternalEntry]:
        """History in other cases (confirmed same person) that may come before `entry`."""
        return [
            found
            for found in self.external_history.get(person_id, ())
            if found.entry.date.earliest <= entry.date.latest
        ]

    @cached_property
    def returning_partners(self) -> list[ReturningPartner]:
        """Per partner with a DA history and the person joined to them, every start or
        reconciliation that may follow some of that history (rules 1 and 4)."""
        groups: dict[tuple[str, tuple[str, ...]], list[EntryRecord]] = defaultdict(list)
        for joining in self.kind(*PARTNER_KINDS):
            partners = self.relationship_partners(joining)
            for person in partners:
                others = tuple(p for p in partners if p != person)
                history = self.index(f"history:{person}", partial(self.history_of, person))
                before = history.any_in(
                    dt.date.min,
                    joining.date.latest,
                    joining.id,
                    where=partial(_may_come_before, joining),
                )
                if before or self.history_elsewhere_before(person, joining):
                    groups[(person, others)].append(joining)
        return [
            ReturningPartner(
                person,
                others,
                tuple(joinings),
                tuple(self.history_before(person, joinings[-1])),
                tuple(self.history_elsewhere_before(person, joinings[-1])),
            )
            for (person, others), joinings in sorted(groups.items())
        ]

    @cached_property
    def victim_events(self) -> Mapping[str, list[EntryRecord]]:
        """Per victim: DA events naming them as victim, in chronological order."""
        index: dict[str, list[EntryRecord]] = defaultdict(list)
        for entry in self.da_events:  # already in the rules' order
            for person in dict.fromkeys(entry.persons_in("victim")):
                index[person].append(entry)
        return index

    def events_against(self, victim: str) -> list[EntryRecord]:
        return list(self.victim_events.get(victim, ()))

    @cached_property
    def couples(self) -> list[tuple[str, str]]:
        """Pairs of people in an intimate relationship: recorded relationships, and victim /
        alleged-perpetrator pairs named together in an entry."""
        pairs: dict[frozenset[str], tuple[str, str]] = {}
        for relationship in self.case.relationships:
            if relationship.kind == "intimate_partner":
                pairs.setdefault(frozenset(relationship.persons), relationship.persons)
        for entry in self.da_events:
            for victim in entry.persons_in("victim"):
                for perpetrator in entry.persons_in("alleged_perpetrator"):
                    if victim != perpetrator:
                        pairs.setdefault(frozenset((victim, perpetrator)), (victim, perpetrator))
        return sorted(pairs.values())

    @cached_property
    def partners_of(self) -> Mapping[str, list[str]]:
        """Per person: their partners in recorded intimate relationships, in file order."""
        index: dict[str, list[str]] = defaultdict(list)
        for relationship in self.case.relationships:
            first, second = relationship.persons
            if relationship.kind == "intimate_partner" and first != second:
                index[first].append(second)
                index[second].append(first)
        return index

    @cached_property
    def naming(self) -> Mapping[str, list[EntryRecord]]:
        """Per person: the entries that name them, in any role, in order."""
        return _by_person_named(self.entries)

    @cached_property
    def _naming_sets(self) -> dict[str, set[EntryRecord]]:
        return {}

    def naming_both(self, first: str, second: str) -> list[EntryRecord]:
        if len(self.naming.get(first, ())) > len(self.naming.get(second, ())):
            first, second = second, first  # walk the shorter list
        others = self._naming_sets.get(second)
        if others is None:
            others = self._naming_sets[second] = set(self.naming.get(second, ()))
        return [e for e in self.naming.get(first, ()) if e in others]

    @cached_property
    def by_relationship(self) -> Mapping[str, list[EntryRecord]]:
        index: dict[str, list[EntryRecord]] = defaultdict(list)
        for entry in self.entries:
            if entry.relationship is not None:
                index[entry.relationship].append(entry)
        return index

    @cached_property
    def _couple_cache(self) -> dict[tuple[str, str], list[EntryRecord]]:
        return {}

    def couple_entries(self, couple: tuple[str, str]) -> list[EntryRecord]:
        """Entries in one relationship: naming both partners, or naming the relationship."""
        cached = self._couple_cache.get(couple)
        if cached is not None:
            return cached
        first, second = couple
        relationship_ids = {
            r.id for r in self.case.relationships if set(r.persons) == {first, second}
        }
        found = {e.id: e for e in self.naming_both(first, second)}
        for relationship_id in sorted(relationship_ids):
            for entry in self.by_relationship.get(relationship_id, ()):
                found[entry.id] = entry
        result = sorted(found.values(), key=chrono)
        self._couple_cache[couple] = result
        return result

    def relationship_partners(self, entry: EntryRecord) -> tuple[str, ...]:
        """The partners a start, separation or reconciliation is about: an intimate
        relationship's two persons (a parent-child or sibling relationship names none)."""
        relationship = self.case.relationship_by_id.get(entry.relationship or "")
        if relationship is None:
            return tuple(dict.fromkeys(entry.persons_in("subject")))
        return relationship.persons if relationship.kind == "intimate_partner" else ()

    @cached_property
    def children(self) -> list[str]:
        return [p.id for p in self.case.persons if p.is_child]

    @cached_property
    def child_ids(self) -> frozenset[str]:
        return frozenset(self.children)

    @cached_property
    def parents(self) -> Mapping[str, list[str]]:
        """Per child: the parents recorded in parent-child relationships, in file order."""
        index: dict[str, list[str]] = defaultdict(list)
        for relationship in self.case.relationships:
            if relationship.kind == "parent_child":
                index[relationship.persons[1]].append(relationship.persons[0])
        return index


# Rules import these from here, with the facts they work on.
__all__ = [
    "ABUSE_TAGS",
    "DA_KINDS",
    "HISTORY_KINDS",
    "HISTORY_ROLES",
    "LISTED",
    "NARROW_DAYS",
    "PARTNER_KINDS",
    "PERPETRATOR_ROLE",
    "DateIndex",
    "ExternalEntry",
    "Facts",
    "Namer",
    "ReturningPartner",
    "SpanCover",
    "add_days",
    "add_months",
    "chrono",
    "entry_when",
    "group_by_spans",
    "in_cases",
    "join_words",
    "latest_day",
    "list_entries",
    "listed",
    "listing_order",
    "listing_tier",
    "may_fall",
    "may_follow",
    "may_precede",
    "merge_spans",
    "months_span_certain",
    "months_span_possible",
    "possible_runs",
    "short_date",
    "surely_falls",
    "surely_precedes",
    "unbracketed",
    "uncertain",
    "uncertainty_note",
]
