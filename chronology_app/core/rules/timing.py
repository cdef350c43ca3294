"""Date arithmetic for the rules, and the index that finds entries by date.

An uncertain date is possibly anywhere between its earliest and latest day: "may" functions say
whether something is possible, "surely" functions whether it is certain. `DateIndex` finds the
entries that may fall in a span by bisection, not by a scan of every entry.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from chronology_app.core.dates import PartialDate
from chronology_app.core.records import EntryRecord


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
