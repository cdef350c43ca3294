"""What the rules need to know about one case, worked out once per analysis.

Everything here is derived from read-only records. Time comparisons treat an uncertain date as
possibly anywhere between its earliest and latest day: "may" functions say whether something is
possible, "surely" functions whether it is certain, and rules say so in their explanations when
the difference decides a flag.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import heapq
import itertools
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TypeVar

from chronology_app.core.dates import PartialDate
from chronology_app.core.model.vocabulary import ABUSE_TYPE_TAGS, kinds_in
from chronology_app.core.records import CaseData, EntryRecord
from chronology_app.core.rules.working_days import WorkingCalendar, calendar_for
from chronology_app.core.wording import date_shown

DA_KINDS = kinds_in("da_event")
HISTORY_KINDS = kinds_in("history")
PARTNER_KINDS = kinds_in("partnering")
PERPETRATOR_ROLE = frozenset({"alleged_perpetrator"})
HISTORY_ROLES = frozenset({"alleged_perpetrator", "subject"})  # subject: of HISTORY_KINDS
ABUSE_TAGS = frozenset(ABUSE_TYPE_TAGS)


def add_days(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` months on (or back), kept within the month: 31 January plus one
    month is the last day of February (as dateutil's relativedelta does, which is much slower
    for the many windows the rules open)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    if year < dt.MINYEAR:
        return dt.date.min
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# The order rules use: by date and `sequence`, then id; never the order of the file, so that no
# result depends on where an entry sits in it. (`EntryRecord.rule_order`, read in C when sorting.)
chrono: Callable[[EntryRecord], tuple[dt.date, int, dt.date, str]] = operator.attrgetter(
    "rule_order"
)


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


def _may_come_before(entry: EntryRecord, other: EntryRecord) -> bool:
    return not surely_precedes(entry, other)


def may_fall(date: PartialDate, start: dt.date, end: dt.date) -> bool:
    return date.could_fall_within(start, end)


def surely_falls(date: PartialDate, start: dt.date, end: dt.date) -> bool:
    return date.certainly_within(start, end)


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


def possible_runs(
    events: Sequence[EntryRecord], count: int, months: int
) -> list[list[EntryRecord]]:
    """Groups of events in which every event belongs to some set of at least `count` events
    that could all fall within `months` months; events too far apart for one span to hold
    them are separate groups.

    A set of dates can share one span exactly when its largest earliest day is no later than
    its smallest latest day plus the span. So for each event's latest day L the events that
    can share a span whose smallest latest day is L are those with latest >= L and
    earliest <= L + months, and their number is
        #(earliest <= L + months) - #(latest < L),
    two bisections. An event belongs to a qualifying set when some qualifying L lies between
    its earliest day less the span and its latest day. O(n log n), uncertain dates included.
    """
    if len(events) < count:
        return []
    earliests = sorted(e.date.earliest for e in events)
    latests = sorted(e.date.latest for e in events)
    qualifying = sorted(
        {
            day
            for day in latests
            if bisect.bisect_right(earliests, add_months(day, months))
            - bisect.bisect_left(latests, day)
            >= count
        }
    )
    members = []
    for event in sorted(events, key=chrono):
        low = bisect.bisect_left(qualifying, add_months(event.date.earliest, -months))
        if low < len(qualifying) and qualifying[low] <= event.date.latest:
            members.append(event)
    groups: list[list[EntryRecord]] = []
    reach = dt.date.min  # no span holding the group so far reaches past this day
    for event in members:
        if groups and event.date.earliest <= reach:
            groups[-1].append(event)
            reach = max(reach, add_months(event.date.latest, months))
        else:
            groups.append([event])
            reach = add_months(event.date.latest, months)
    return [group for group in groups if len(group) >= count]


def merge_spans(spans: Iterable[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """The union of day spans (start..end inclusive) as separate spans in order; spans that
    overlap or touch become one."""
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in sorted(spans):
        if merged and start <= add_days(merged[-1][1], 1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


T = TypeVar("T")


def group_by_spans(
    items: Sequence[T], spans: Sequence[tuple[dt.date, dt.date]]
) -> list[tuple[tuple[dt.date, dt.date], list[T]]]:
    """Items (each with its span, in the same order) grouped by the merged spans theirs
    belong to: items whose spans overlap or touch share a group. In the order of the spans;
    items keep their order within a group."""
    merged = merge_spans(spans)
    starts = [start for start, _ in merged]
    groups: list[list[T]] = [[] for _ in merged]
    for item, (start, _) in zip(items, spans, strict=True):
        groups[bisect.bisect_right(starts, start) - 1].append(item)
    return list(zip(merged, groups, strict=True))


class SpanCover:
    """Whether some span (start..end inclusive) wholly holds a date, by bisection: of the spans
    starting on or before the date's first day, the furthest end reached."""

    def __init__(self, spans: Iterable[tuple[dt.date, dt.date]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._reach = list(itertools.accumulate((end for _, end in ordered), max))

    def holds(self, date: PartialDate) -> bool:
        index = bisect.bisect_right(self._starts, date.earliest) - 1
        return index >= 0 and self._reach[index] >= date.latest


class _Widths:
    """Entries of one width class (at most `width` days between earliest and latest day),
    sorted by earliest day: those that may fall in a span start at most `width` days before
    it, so a bisection with that much slack finds them."""

    def __init__(self, width: int) -> None:
        self.width = dt.timedelta(days=width)
        self.entries: list[EntryRecord] = []
        self.starts: list[dt.date] = []

    def candidates(self, start: dt.date, end: dt.date) -> Iterator[EntryRecord]:
        entries = self.entries
        lowest = start - self.width if start > dt.date.min + self.width else dt.date.min
        for index in range(
            bisect.bisect_left(self.starts, lowest), bisect.bisect_right(self.starts, end)
        ):
            if entries[index].date.latest >= start:
                yield entries[index]


class DateIndex:
    """Entries that may fall in a span, found by bisection instead of a scan.

    Single days (most entries) are found exactly by bisection on their day. Other dates are
    kept in classes by width (a week, two months, about a year, a decade, …), each bisected
    on its earliest day with its width as slack, so a query looks only at dates that could
    reach the span. Open-ended dates are found by bisection too: "before X" by its last day,
    "after X" by its first. A query costs bisections plus what it finds, plus the dates of a
    class that start within that class's width before the span."""

    WIDTHS = (7, 62, 400, 4000, 40000, 400000, 4000000)  # days; 4,000,000 covers any date

    def __init__(self, entries: Iterable[EntryRecord]) -> None:
        self._days: list[EntryRecord] = []
        classes: dict[int, _Widths] = {}  # made only for the widths present
        self._before: list[EntryRecord] = []  # open at the start: "before X"
        self._after: list[EntryRecord] = []  # open at the end: "after X"
        self._always: list[EntryRecord] = []  # open at both ends
        for entry in sorted(entries, key=chrono):
            earliest, latest = entry.date.earliest, entry.date.latest
            if earliest == latest:
                self._days.append(entry)
            elif earliest == dt.date.min:
                (self._always if latest == dt.date.max else self._before).append(entry)
            elif latest == dt.date.max:
                self._after.append(entry)
            else:
                width = next(w for w in self.WIDTHS if (latest - earliest).days <= w)
                found = classes.get(width) or classes.setdefault(width, _Widths(width))
                found.entries.append(entry)
                found.starts.append(earliest)
        self._classes = list(classes.values())
        self._day_starts = [e.date.earliest for e in self._days]
        self._before.sort(key=lambda e: e.date.latest)
        self._before_ends = [e.date.latest for e in self._before]
        self._after_starts = [e.date.earliest for e in self._after]  # in order already
        self._ordered = not (self._classes or self._before or self._after or self._always)

    def candidates(self, start: dt.date, end: dt.date) -> Iterator[EntryRecord]:
        """Entries that may fall in the span (start..end inclusive), tier by tier: in the
        rules' order within single days, not across tiers (`may_fall` sorts)."""
        days = self._days
        for index in range(
            bisect.bisect_left(self._day_starts, start), bisect.bisect_right(self._day_starts, end)
        ):
            yield days[index]
        yield from self._wider(start, end)

    def _wider(self, start: dt.date, end: dt.date) -> Iterator[EntryRecord]:
        """The candidates that are not single days."""
        for widths in self._classes:
            yield from widths.candidates(start, end)
        before, after = self._before, self._after
        for index in range(bisect.bisect_left(self._before_ends, start), len(before)):
            yield before[index]
        for index in range(bisect.bisect_right(self._after_starts, end)):
            yield after[index]
        yield from self._always

    def may_fall(self, start: dt.date, end: dt.date) -> list[EntryRecord]:
        """The entries that may fall in the span, in the rules' order."""
        found = list(self.candidates(start, end))
        return found if self._ordered else sorted(found, key=chrono)

    def may_fall_any(self, spans: Iterable[tuple[dt.date, dt.date]]) -> list[EntryRecord]:
        """The entries that may fall in at least one of the spans, in the rules' order.

        An entry's days meet one of the spans exactly when they meet their union, so the
        spans are merged first and each entry is found once: the cost follows the merged
        spans and what they hold, not how many spans overlap."""
        found = {e.id: e for start, end in merge_spans(spans) for e in self.candidates(start, end)}
        return sorted(found.values(), key=chrono)

    def first(
        self,
        start: dt.date,
        end: dt.date,
        where: Callable[[EntryRecord], bool],
    ) -> EntryRecord | None:
        """The entry that answers a window: the first single day in the span (in the rules'
        order) passing `where`, else the first in the rules' order of the wider dates that may
        fall in it. An exactly dated answer is the better evidence, and most answers are found
        without looking further than the first."""
        days = self._days
        for index in range(
            bisect.bisect_left(self._day_starts, start), bisect.bisect_right(self._day_starts, end)
        ):
            if where(days[index]):
                return days[index]
        if self._ordered:
            return None
        return next(filter(where, sorted(self._wider(start, end), key=chrono)), None)

    def any_in(
        self,
        start: dt.date,
        end: dt.date,
        skip: str | None = None,
        where: Callable[[EntryRecord], bool] | None = None,
    ) -> bool:
        """Whether any entry (other than `skip`, and passing `where`) may fall in the span;
        stops at the first."""
        return any(
            entry.id != skip and (where is None or where(entry))
            for entry in self.candidates(start, end)
        )


def short_date(date: PartialDate) -> str:
    """A date as explanations say it (core/wording.py; no time of day)."""
    return date_shown(date, time=False)


def entry_when(entry: EntryRecord) -> str:
    """'E0003 (14 February 2019)': how an explanation points at an entry. Brackets in the date
    as written become commas, so no bracket is ever inside another."""
    return f"{entry.ref} ({unbracketed(entry.date_text or short_date(entry.date))})"


def unbracketed(text: str) -> str:
    """'during 2019 (neighbour could not say when)' -> 'during 2019, neighbour could not say
    when'."""
    if not _BRACKETS.intersection(text):
        return text
    text = _BRACKETED.sub(lambda found: ", " + found.group(1).strip(), text)
    return " ".join(text.translate(_NO_BRACKETS).split())


_BRACKETS = frozenset("()[]")
_NO_BRACKETS = str.maketrans(dict.fromkeys("()[]", " "))
_BRACKETED = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")

# Past this many days, a date is a wide span: listed after the exactly and narrowly dated.
NARROW_DAYS = 92


def listing_tier(entry: EntryRecord) -> int:
    """0 for an exactly dated entry, 1 for a narrow span (a week, a month, a season), 2 for a
    wide span or an open-ended date."""
    date = entry.date
    if date.earliest == date.latest and not date.approximate:
        return 0
    if date.earliest != dt.date.min and (date.latest - date.earliest).days <= NARROW_DAYS:
        return 1
    return 2


def listing_order(entry: EntryRecord) -> tuple[int, tuple[dt.date, int, dt.date, str]]:
    """How an explanation lists entries: exactly dated first, then narrow spans, then wide
    spans and open-ended dates ("before 2019"); in the rules' order within each. So the
    evidence a reader can check leads, and "before X" does not come first only because its
    earliest possible day is the earliest of all."""
    return listing_tier(entry), entry.rule_order


# An explanation names at most this many entries; the flag's evidence still lists them all.
LISTED = 12


def list_entries(entries: Iterable[EntryRecord]) -> str:
    unique = set(entries)
    # Most entries are exactly dated: then the rules' order (read in C) is the listing order.
    mixed = any(e.date.earliest != e.date.latest or e.date.approximate for e in unique)
    if len(unique) > LISTED:  # only the first few are named: no need to sort them all
        first = heapq.nsmallest(LISTED - 1, unique, key=listing_order if mixed else chrono)
        return listed([entry_when(entry) for entry in first], len(unique), "more")
    ordered = sorted(unique, key=chrono)
    if mixed:
        ordered.sort(key=listing_tier)  # stable: the rules' order within each tier
    return join_words([entry_when(entry) for entry in ordered])


def listed(shown: Sequence[str], total: int, rest: str) -> str:
    """'A, B and C'; when `total` is more than those shown, 'A, B, C and 9 more'."""
    if total > len(shown):
        return ", ".join(shown) + f" and {total - len(shown)} {rest}"
    return join_words(shown)


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
        f" Some dates are uncertain: {list_entries(vague)}. The flag is raised because "
        f"{what}, though it is not certain."
    )


Namer = Callable[[str], str]


def in_cases(references: list[str]) -> str:
    """Where history elsewhere is: "case A, B", or, for a case the user may not see on a
    team server, only "another case in the authority (contact team …)" (core/authority.py)."""
    named = [ref for ref in references if not ref.startswith("another case")]
    parts = ([f"case {', '.join(named)}"] if named else []) + [
        ref for ref in references if ref.startswith("another case")
    ]
    return " and ".join(parts)


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
