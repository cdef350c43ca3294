"""Partial dates: the case file's date expressions, and the wording practitioners type.

A date in a chronology is often known only roughly. Every value is a `PartialDate` with an
expression in the case-file form, the earliest and latest day it can mean, and a plain-English
description. The forms (case-file format, "Date expressions") and what they mean:

- `2019-03-12`: that day. `2019-03-12T14:30`: that minute of that day.
- `2019-03`, `2019`: some day in that month or year (its first to its last day).
- `about X` (X a day, month or year): roughly then, widened. About a day is 7 days either
  side; about a month runs from the first day of the month before to the last day of the month
  after; about a year runs from 1 January of the year before to 31 December of the year after.
- `before X`: any day up to the day before X begins (earliest is `date.min`).
  `after X`: any day from the day after X ends (latest is `date.max`).
- `A/B` (A and B each a day, month or year): from the first day of A to the last day of B;
  A must not begin after B ends.

Years have four digits, 1800 to 2199. `parse_expression` reads exactly these forms;
`parse_practitioner_date` also reads typed wording such as "12/03/2019", "early 2018" or
"w/c 4 March 2019" (see `chronology_app.core.date_wording` for the readings it chooses) and keeps
that wording. Neither ever guesses or depends on today's date: text that cannot be read with
certainty raises `InvalidDate`, whose message quotes the text and says what is expected.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from enum import StrEnum

from chronology_app.core.date_wording import (
    MONTH_NAMES,
    DateReadError,
    period_bounds,
    read_wording,
)
from chronology_app.core.errors import InvalidDate

__all__ = [
    "DateKind",
    "PartialDate",
    "format_day",
    "parse_expression",
    "parse_practitioner_date",
]

_NOT_AN_EXPRESSION = (
    "is not a date expression: use a form such as 2019-03-12, 2019-03, 2019, about 2019, "
    "before 2019-03-12, after 2019 or 2019-03-01/2019-05-31"
)
_EMPTY = "Type a date, for example 12/03/2019, March 2019 or summer 2016"


class DateKind(StrEnum):
    """How precise a date is, or which way it is open."""

    MINUTE = "minute"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"
    BEFORE = "before"
    AFTER = "after"


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to some precision. Build one with `parse_expression`."""

    expression: str
    kind: DateKind
    earliest: dt.date
    latest: dt.date
    approximate: bool = False
    minute: dt.time | None = None
    wording: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.earliest > self.latest:
            raise InvalidDate(f'"{self.expression}" ends before it begins')

    @property
    def sort_key(self) -> tuple[dt.date, dt.date, bool, dt.time, str, str, bool]:
        """One total order, consistent with equality: by earliest day, then latest day, a
        day-only date before a timed one on the same day, then time and expression."""
        timed = self.minute is not None
        return (
            self.earliest,
            self.latest,
            timed,
            self.minute or dt.time(0, 0),
            self.expression,
            str(self.kind),
            self.approximate,
        )

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key < other.sort_key

    @property
    def is_exact(self) -> bool:
        """True for a single day or minute that is not approximate."""
        return self.kind in (DateKind.DAY, DateKind.MINUTE) and not self.approximate

    def with_wording(self, text: str | None) -> PartialDate:
        """A copy carrying the practitioner's original wording."""
        return PartialDate(
            self.expression,
            self.kind,
            self.earliest,
            self.latest,
            self.approximate,
            self.minute,
            text,
        )

    def could_fall_within(self, start: dt.date, end: dt.date) -> bool:
        """True if some day this date could mean lies in start..end (inclusive)."""
        return self.earliest <= end and self.latest >= start

    def certainly_within(self, start: dt.date, end: dt.date) -> bool:
        """True if every day this date could mean lies in start..end (inclusive)."""
        return self.earliest >= start and self.latest <= end

    def describe(self) -> str:
        """Plain English for an editor, e.g. "about March 2019 (between 1 February and
        30 April 2019)"."""
        if self.kind is DateKind.MINUTE and self.minute is not None:
            return f"{format_day(self.earliest)} at {self.minute:%H:%M}"
        if self.kind is DateKind.RANGE:
            return _between(self.earliest, self.latest)
        named, is_day = _name_of_bound(self.expression.rpartition(" ")[2])
        if self.kind is DateKind.BEFORE:
            return f"before {named}" + ("" if is_day else f" (up to {format_day(self.latest)})")
        if self.kind is DateKind.AFTER:
            return f"after {named}" + ("" if is_day else f" (from {format_day(self.earliest)})")
        if self.approximate:
            return f"about {named} ({_between(self.earliest, self.latest)})"
        return _between(self.earliest, self.latest)


def format_day(day: dt.date) -> str:
    """A day as a social worker writes it: "12 March 2019"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _between(first: dt.date, last: dt.date) -> str:
    if first == last:
        return format_day(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"between {first.day} and {format_day(last)}"
    if first.year == last.year:
        return f"between {first.day} {MONTH_NAMES[first.month - 1]} and {format_day(last)}"
    return f"between {format_day(first)} and {format_day(last)}"


def _name_of_bound(bound: str) -> tuple[str, bool]:
    """How a day, month or year bound reads ("12 March 2019", "March 2019", "2019"), and
    whether it is a single day."""
    match = _BOUND.fullmatch(bound)
    if match is None:
        return bound, False
    if match[3] is not None:
        return format_day(dt.date(int(match[1]), int(match[2]), int(match[3]))), True
    if match[2] is not None:
        return f"{MONTH_NAMES[int(match[2]) - 1]} {match[1]}", False
    return match[1], False


# --- the strict reader -------------------------------------------------------------------------

_BOUND = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", re.ASCII)
_MINUTE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})", re.ASCII)
_PREFIXES = {"about ": None, "before ": DateKind.BEFORE, "after ": DateKind.AFTER}


def _read_bound(text: str) -> tuple[DateKind, dt.date, dt.date]:
    """A day, month or year in case-file form, with its first and last day."""
    match = _BOUND.fullmatch(text)
    if match is None:
        raise DateReadError(_NOT_AN_EXPRESSION)
    year = int(match[1])
    month = None if match[2] is None else int(match[2])
    day = None if match[3] is None else int(match[3])
    first, last = period_bounds(year, month, day)
    kind = DateKind.YEAR if month is None else DateKind.MONTH if day is None else DateKind.DAY
    return kind, first, last


def _widen(kind: DateKind, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The span of "about" a day, month or year."""
    if kind is DateKind.DAY:
        return first - dt.timedelta(days=7), last + dt.timedelta(days=7)
    if kind is DateKind.MONTH:
        month_before = (first - dt.timedelta(days=1)).replace(day=1)
        month_after = (last + dt.timedelta(days=32)).replace(day=1)  # the month after next
        return month_before, month_after - dt.timedelta(days=1)
    return dt.date(first.year - 1, 1, 1), dt.date(last.year + 1, 12, 31)


def _read_expression(text: str) -> PartialDate:
    for prefix, open_kind in _PREFIXES.items():
        if text.startswith(prefix):
            kind, first, last = _read_bound(text[len(prefix) :])
            if open_kind is DateKind.BEFORE:
                return PartialDate(text, open_kind, dt.date.min, first - dt.timedelta(days=1))
            if open_kind is DateKind.AFTER:
                return PartialDate(text, open_kind, last + dt.timedelta(days=1), dt.date.max)
            return PartialDate(text, kind, *_widen(kind, first, last), approximate=True)
    if "/" in text:
        first_text, _, last_text = text.partition("/")
        _, first, _ = _read_bound(first_text)
        _, _, last = _read_bound(last_text)
        if first > last:
            raise DateReadError("is not a range: the first date is after the second")
        return PartialDate(text, DateKind.RANGE, first, last)
    if match := _MINUTE.fullmatch(text):
        day, _ = period_bounds(int(match[1]), int(match[2]), int(match[3]))
        hour, minute = int(match[4]), int(match[5])
        if hour > 23 or minute > 59:
            raise DateReadError("is not a real time (use 00:00 to 23:59)")
        return PartialDate(text, DateKind.MINUTE, day, day, minute=dt.time(hour, minute))
    kind, first, last = _read_bound(text)
    return PartialDate(text, kind, first, last)


@functools.lru_cache(maxsize=65536)
def parse_expression(text: str) -> PartialDate:
    """Read a case-file date expression exactly as the format defines it.

    Raises `InvalidDate` (quoting the text and saying what is expected) for anything else."""
    try:
        return _read_expression(text)
    except DateReadError as problem:
        raise InvalidDate(f'"{text}" {problem.reason}') from None


def parse_practitioner_date(text: str) -> PartialDate:
    """Read a date as a practitioner typed it ("12/03/2019", "summer 2017", "approx. 2015").

    The result's expression is in case-file form and its `wording` is the text as typed
    (stripped). Raises `InvalidDate` with a message quoting the text when it cannot be read
    with certainty."""
    typed = text.strip()
    if not typed:
        raise InvalidDate(_EMPTY)
    try:
        return _practitioner_date(typed)
    except DateReadError as problem:
        raise InvalidDate(f'"{typed}" {problem.reason}') from None


@functools.lru_cache(maxsize=65536)
def _practitioner_date(typed: str) -> PartialDate:
    """The reading of a stripped wording (the same wording recurs down an imported table)."""
    return _read_expression(read_wording(typed)).with_wording(typed)


def clear_caches() -> None:
    """Forget the readings kept (a benchmark times an import with none)."""
    parse_expression.cache_clear()
    _practitioner_date.cache_clear()
