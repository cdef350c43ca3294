"""What the rules need to know about one case, worked out once per analysis.

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
from functools import cached_property

from dateutil.relativedelta import relativedelta

from chronology_app.core.dates import DateKind, PartialDate, format_day
from chronology_app.core.model.vocabulary import ABUSE_TYPE_TAGS
from chronology_app.core.records import CaseData, EntryRecord

DA_KINDS = frozenset({"incident", "disclosure", "police_action"})
HISTORY_KINDS = frozenset({"police_action", "court_order"})
PARTNER_KINDS = frozenset({"relationship_start", "reconciliation"})
ABUSE_TAGS = frozenset(ABUSE_TYPE_TAGS)


def add_days(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def add_months(day: dt.date, months: int) -> dt.date:
    try:
        return day + relativedelta(months=months)
    except (OverflowError, ValueError):
        return dt.date.max if months > 0 else dt.date.min


def add_working_days(day: dt.date, days: int) -> dt.date:
    """Monday to Friday; bank holidays are not known here, so a deadline may be a day early."""
    if day in (dt.date.min, dt.date.max):
        return day
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    while remaining:
        day = add_days(day, step)
        if day.weekday() < 5:
            remaining -= 1
    return day


def chrono(entry: EntryRecord) -> tuple[dt.date, int, dt.date, str]:
    """The order rules use: by date and `sequence`, then id; never the order of the file,
    so that no result depends on where an entry sits in it."""
    return (entry.date.earliest, entry.sequence or 0, entry.date.latest, entry.id)


def may_follow(later: EntryRecord, earlier: EntryRecord) -> bool:
    """`later` could have happened after `earlier` (on the same day only if its sequence is
    higher)."""
    if later.id == earlier.id:
        return False
    if later.date.latest > earlier.date.earliest:
        return True
    return later.date.latest == earlier.date.earliest and (later.sequence or 0) > (
        earlier.sequence or 0
    )


def may_fall(date: PartialDate, start: dt.date, end: dt.date) -> bool:
    return date.earliest <= end and date.latest >= start


def surely_falls(date: PartialDate, start: dt.date, end: dt.date) -> bool:
    return date.earliest >= start and date.latest <= end


def may_precede(first: EntryRecord, second: EntryRecord) -> bool:
    """`first` could have happened on or before `second` (and is not the same entry)."""
    return first.id != second.id and first.date.earliest <= second.date.latest


def surely_precedes(first: EntryRecord, second: EntryRecord) -> bool:
    return first.date.latest < second.date.earliest or (
        first.date.is_exact
        and second.date.is_exact
        and first.date.earliest == second.date.earliest
        and (first.sequence or 0) < (second.sequence or 0)
    )


def months_span_possible(entries: Sequence[EntryRecord], months: int) -> bool:
    """All the entries could fall within one span of `months` months."""
    latest_start = max(entry.date.earliest for entry in entries)
    earliest_end = min(entry.date.latest for entry in entries)
    return latest_start <= add_months(earliest_end, months)


def months_span_certain(entries: Sequence[EntryRecord], months: int) -> bool:
    first = min(entry.date.earliest for entry in entries)
    last = max(entry.date.latest for entry in entries)
    return last <= add_months(first, months)


def short_date(date: PartialDate) -> str:
    if date.wording:
        return date.wording
    if date.kind in (DateKind.DAY, DateKind.MINUTE) and not date.approximate:
        return format_day(date.earliest)
    if date.kind == DateKind.MONTH and not date.approximate:
        return date.earliest.strftime("%B %Y")
    if date.kind == DateKind.YEAR and not date.approximate:
        return str(date.earliest.year)
    return date.describe()


def entry_when(entry: EntryRecord) -> str:
    """'E0003 (14 February 2019)': how an explanation points at an entry."""
    return f"{entry.ref} ({entry.date_text or short_date(entry.date)})"


def list_entries(entries: Iterable[EntryRecord]) -> str:
    ordered = sorted(set(entries), key=chrono)
    return join_words([entry_when(entry) for entry in ordered])


def join_words(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def uncertain(entries: Iterable[EntryRecord]) -> list[EntryRecord]:
    return sorted({e for e in entries if not e.date.is_exact}, key=chrono)


def uncertainty_note(entries: Iterable[EntryRecord], what: str) -> str:
    """The sentence an explanation adds when uncertain dates decide the result."""
    vague = uncertain(entries)
    if not vague:
        return ""
    return (
        f" Some dates are uncertain ({list_entries(vague)}); the flag is raised because "
        f"{what}, though it is not certain."
    )


Namer = Callable[[str], str]


def latest_day(case: CaseData) -> dt.date | None:
    """The latest day the case's entries reach (an open-ended "after" date counts from its
    start)."""
    days = [
        entry.date.latest if entry.date.latest != dt.date.max else entry.date.earliest
        for entry in case.entries
    ]
    return max(days, default=None)


@dataclass
class Facts:
    """Indexes over one case, built once and shared by every rule."""

    case: CaseData
    namer: Namer | None = None
    # Cross-case: per person id, history entries from other cases where a practitioner confirmed
    # the same person, with the other case's reference (filled in by the workspace analysis).
    external_history: Mapping[str, Sequence[tuple[str, EntryRecord]]] = field(default_factory=dict)
    # The day the case is analysed as of: its latest entry unless settings say "today".
    as_of: dt.date | None = None

    def __post_init__(self) -> None:
        if self.as_of is None:
            self.as_of = latest_day(self.case)

    def window_closed(self, end: dt.date) -> bool:
        """Whether a "nothing followed within N days" window has ended by the analysis date;
        until it has, its absence cannot be known and the rule waits."""
        return self.as_of is not None and end < self.as_of

    def name(self, person_id: str) -> str:
        if self.namer is not None:
            return self.namer(person_id)
        person = self.case.person_by_id.get(person_id)
        return person.name if person else person_id

    def names(self, person_ids: Iterable[str]) -> str:
        return join_words([self.name(pid) for pid in dict.fromkeys(person_ids)])

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

    def kind(self, *kinds: str) -> list[EntryRecord]:
        return sorted(
            (entry for kind in kinds for entry in self.by_kind.get(kind, ())),
            key=chrono,
        )

    @cached_property
    def da_events(self) -> list[EntryRecord]:
        return [
            entry for entry in self.entries if entry.kind in DA_KINDS or entry.tags & ABUSE_TAGS
        ]

    @cached_property
    def history(self) -> Mapping[str, list[EntryRecord]]:
        """Per person: entries naming them as alleged perpetrator, or as subject of a police
        action or court order (the spec's "DA history")."""
        index: dict[str, list[EntryRecord]] = defaultdict(list)
        for entry in self.entries:
            people = set(entry.persons_in("alleged_perpetrator"))
            if entry.kind in HISTORY_KINDS:
                people.update(entry.persons_in("subject"))
            for person in people:
                index[person].append(entry)
        return index

    def history_before(self, person_id: str, entry: EntryRecord) -> list[EntryRecord]:
        return [h for h in self.history.get(person_id, ()) if may_precede(h, entry)]

    @cached_property
    def victim_events(self) -> Mapping[str, list[EntryRecord]]:
        """Per victim: DA events naming them as victim, in chronological order."""
        index: dict[str, list[EntryRecord]] = defaultdict(list)
        for entry in sorted(self.da_events, key=chrono):
            for person in dict.fromkeys(entry.persons_in("victim")):
                index[person].append(entry)
        return index

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

    def couple_entries(self, couple: tuple[str, str]) -> list[EntryRecord]:
        """Entries in one relationship: naming both partners, or naming the relationship."""
        first, second = couple
        relationship_ids = {
            r.id for r in self.case.relationships if set(r.persons) == {first, second}
        }
        return [
            entry
            for entry in self.entries
            if (entry.names(first) and entry.names(second))
            or (entry.relationship is not None and entry.relationship in relationship_ids)
        ]

    def relationship_partners(self, entry: EntryRecord) -> tuple[str, ...]:
        relationship = self.case.relationship_by_id.get(entry.relationship or "")
        if relationship is not None:
            return relationship.persons
        return tuple(dict.fromkeys(entry.persons_in("subject")))

    @cached_property
    def children(self) -> list[str]:
        return [p.id for p in self.case.persons if p.is_child]
