"""Reading dates the way practitioners write them, and the calendar checks both readers share.

`read_wording` turns typed wording ("12/03/2019", "early 2018", "w/c 4 March 2019") into a
case-file date expression (see `chronology_app.core.dates`). It never guesses: anything it cannot
read with certainty raises `DateReadError`, whose `reason` completes a sentence that starts with the
quoted text (`"31/02/2019" is not a real date (February 2019 has 28 days)`).

Forms read (case, extra spaces, commas and a trailing full stop do not matter): every
case-file expression; 12/03/2019, 12/3/19, 12.03.2019, 12-03-2019, 03/2019, 2019-3-12, 2019/03/12;
12 March 2019, 12th of Mar 19, Tuesday 12 March 2019 (the weekday must match), March 12 2019,
12Mar2019, 12-Mar-2019, 2019 March 12, March 2019, 2019; early / mid / late 2018 or March 2019;
spring / summer / autumn / fall / winter 2017; w/c, wc, w/b, week commencing or beginning, week
ending + a day; about, approx., c., circa, around + a day, month or year; between A and B,
from A to B, A to B, A-B (A may leave out what B gives: between 1 and 15 March 2019); 2019/20;
before, prior to or after + any of these; a day followed by a time (14:30, 2.30pm, at 9am).

Readings chosen where the wording alone is ambiguous:

- Numbers are read day first, as in the UK: 12/03/2019 is 12 March 2019.
- Two-digit years: 00-49 are 2000-2049 and 50-99 are 1950-1999 (12/3/19 is 12 March 2019).
  "March 19" could be 19 March or March 2019, so it is refused; "March 99" is March 1999.
- early / mid / late a year: 1 Jan-30 Apr / 1 May-31 Aug / 1 Sep-31 Dec; of a month: days
  1-10 / 11-20 / 21 to the end.
- Seasons: spring = March-May, summer = June-August, autumn (or fall) = September-November,
  winter 2017 = 1 December 2017 to the end of February 2018 (also written winter 2017/18).
- 2019/20 (a financial or school year) is read as the whole of 2019 and 2020: the wider reading
  never excludes the true date.
- w/c, w/b, week commencing or beginning a day: the seven days from that day; week ending a
  day: the seven days up to it.
- before / prior to X: before X begins; after X: after X ends. "about", "approx.", "c." and
  "circa" go with a single day, month or year only. "since X" and "until X" are not read.

Month and weekday names come from python-dateutil's `parserinfo`. Whole strings are not handed
to `dateutil.parser.parse`: even when parsed twice with different defaults it accepted wording
such as "March 2019/20" (as 20 March 2019), "2019-03 Tuesday" (the first Tuesday after the
default day) and "12 and 15 March 2019" (skipping "and"). The text is split into words and
numbers here instead, and only the forms above are read.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from dateutil import parser as dateutil_parser

MIN_YEAR = 1800
MAX_YEAR = 2199
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

GENERIC = (
    "is not a date that can be read with certainty: write it as, for example, 12/03/2019, "
    "12 March 2019, March 2019, 2019, early 2018, summer 2017, w/c 4 March 2019, approx. 2015 "
    "or between March and May 2019"
)
_RANGE_HINT = (
    "is not a range that can be read with certainty: write it as, for example, "
    "between 1 and 15 March 2019, between March and May 2019 or between 2017 and 2019"
)

Precision = Literal["year", "month", "day", "range"]


class DateReadError(Exception):
    """Why some text is not a date. Callers put the quoted text in front of `reason`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def period_bounds(
    year: int, month: int | None = None, day: int | None = None
) -> tuple[dt.date, dt.date]:
    """First and last day of a year, a month or a single day, checking it is a real date."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateReadError(f"is outside the years {MIN_YEAR} to {MAX_YEAR}")
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if not 1 <= month <= 12:
        raise DateReadError(f"is not a real date (there is no month {month})")
    length = calendar.monthrange(year, month)[1]
    if day is None:
        return dt.date(year, month, 1), dt.date(year, month, length)
    if not 1 <= day <= length:
        name = MONTH_NAMES[month - 1]
        raise DateReadError(f"is not a real date ({name} {year} has {length} days)")
    return dt.date(year, month, day), dt.date(year, month, day)


@dataclass(frozen=True)
class _Period:
    """A reading: its first and last possible day and its case-file expression."""

    first: dt.date
    last: dt.date
    expression: str
    precision: Precision


def _point(year: int, month: int | None = None, day: int | None = None) -> _Period:
    first, last = period_bounds(year, month, day)
    if month is None:
        return _Period(first, last, f"{year:04d}", "year")
    if day is None:
        return _Period(first, last, f"{year:04d}-{month:02d}", "month")
    return _Period(first, last, first.isoformat(), "day")


def _span(first: dt.date, last: dt.date) -> _Period:
    return _Period(first, last, f"{first.isoformat()}/{last.isoformat()}", "range")


# --- single days, months and years -------------------------------------------------------------

_A = re.ASCII
_YEAR = re.compile(r"[0-9]{4}", _A)
_YEAR_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})", _A)
_YEAR_FIRST = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})", _A)
_DAY_FIRST = re.compile(r"([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{2}|[0-9]{4})", _A)
_MONTH_YEAR = re.compile(r"([0-9]{1,2})([-/.])([0-9]{4})", _A)
_DAY_TOKEN = re.compile(r"([0-9]{1,2})(st|nd|rd|th)?", _A)
_W = r"(?:[0-9]++(?:st|nd|rd|th)?+|[a-z]++)"  # a number (perhaps 12th) or a word
_WORD = re.compile(_W, _A)
_CHUNK = re.compile(rf"{_W}+|{_W}(?:/{_W})+|{_W}(?:\.{_W})+", _A)
_INFO = dateutil_parser.parserinfo()


@dataclass(frozen=True)
class _Parts:
    year: int | None
    month: int | None
    day: int | None
    weekday: int | None = None


def _full_year(digits: str) -> int:
    """Four digits as written; two digits: 00-49 are 2000-2049, 50-99 are 1950-1999."""
    value = int(digits)
    if len(digits) == 4:
        return value
    return 2000 + value if value < 50 else 1900 + value


def _month_number(word: str) -> int | None:
    if len(word) < 3 or not word.isalpha():
        return None
    number = _INFO.month(word)
    return number if isinstance(number, int) and number > 0 else None


def _weekday_number(word: str) -> int | None:
    number = _INFO.weekday(word) if word.isalpha() and len(word) >= 3 else None
    return number if isinstance(number, int) else None


def _parts(text: str) -> _Parts | None:
    """The year, month and day written in `text` (any may be missing); None if not a known form."""
    if _YEAR.fullmatch(text):
        return _Parts(int(text), None, None)
    if match := _YEAR_MONTH.fullmatch(text):
        return _Parts(int(match[1]), int(match[2]), None)
    if match := _YEAR_FIRST.fullmatch(text):
        return _Parts(int(match[1]), int(match[3]), int(match[4]))
    if match := _DAY_FIRST.fullmatch(text):
        day, month = int(match[1]), int(match[3])
        if month > 12 >= day:
            raise DateReadError(
                f"is not a real date (there is no month {month}; dates are read day first, "
                "so 12/03/2019 is 12 March 2019)"
            )
        return _Parts(_full_year(match[4]), month, day)
    if match := _MONTH_YEAR.fullmatch(text):
        return _Parts(int(match[3]), int(match[1]), None)
    return _word_parts(text)


def _word_parts(text: str) -> _Parts | None:
    """Forms with a month name: 12 March 2019, 12th of Mar 19, March 12 2019, 12Mar2019,
    2019 March 12, March 2019, with an optional weekday first (which must match)."""
    words: list[str] = []
    for raw in text.split():  # "12", "mar.", "12th", "12mar2019", "12/mar/2019"
        chunk = raw.removesuffix(".") if raw[:-1].isalpha() else raw
        if not _CHUNK.fullmatch(chunk):
            return None
        words += _WORD.findall(chunk)
    while words and words[0] in ("on", "the"):  # "on the 12th of March 2019"
        words = words[1:]
    words = [w for i, w in enumerate(words) if not _is_day_of_month(words, i)]
    weekday = _weekday_number(words[0]) if words else None
    if weekday is not None:
        words = words[1:]
    shape, values = "", []
    for word in words:
        if (month := _month_number(word)) is not None:
            shape, value = shape + "M", month
        elif _YEAR.fullmatch(word):
            shape, value = shape + "Y", int(word)
        elif match := _DAY_TOKEN.fullmatch(word):
            # "N": bare one or two digits, a day or perhaps a two-digit year
            shape += "N" if match[2] is None and len(word) == 2 else "D"
            value = int(match[1])
        else:
            return None
        values.append(value)
    if shape in ("DMY", "NMY"):
        return _Parts(values[2], values[1], values[0], weekday)
    if shape in ("DMN", "NMN"):
        return _Parts(_full_year(words[2]), values[1], values[0], weekday)
    if shape in ("MDY", "MNY"):
        return _Parts(values[2], values[0], values[1], weekday)
    if shape in ("YMD", "YMN"):
        return _Parts(values[0], values[1], values[2], weekday)
    if weekday is not None:
        return None
    if shape in ("MY", "YM"):
        return _Parts(values[shape.index("Y")], values[shape.index("M")], None)
    if shape == "MN":
        name, year = MONTH_NAMES[values[0] - 1], _full_year(words[1])
        if values[1] <= 31:
            raise DateReadError(
                f"could mean {values[1]} {name} or {name} {year}: write the year in full, "
                f"for example {name} {year}"
            )
        return _Parts(year, values[0], None)
    if shape == "M":
        return _Parts(None, values[0], None)
    if shape in ("DM", "NM"):
        return _Parts(None, values[1], values[0])
    if shape == "MD":
        return _Parts(None, values[0], values[1])
    if shape in ("D", "N"):
        return _Parts(None, None, values[0])
    return None


def _is_day_of_month(words: list[str], i: int) -> bool:
    """True for the "of" in "12th of March"."""
    return (
        words[i] == "of"
        and 0 < i < len(words) - 1
        and _DAY_TOKEN.fullmatch(words[i - 1]) is not None
        and _month_number(words[i + 1]) is not None
    )


def _complete(parts: _Parts) -> _Period:
    if parts.year is None:
        if parts.month is None:
            raise DateReadError("has no month or year: write, for example, 5 March 2019")
        raise DateReadError("has no year: add one, for example March 2019 or 12 March 2019")
    if parts.month is None and parts.day is not None:
        raise DateReadError("has no month: write, for example, 5 March 2019")
    period = _point(parts.year, parts.month, parts.day)
    if parts.weekday is not None and period.first.weekday() != parts.weekday:
        actual = WEEKDAY_NAMES[period.first.weekday()]
        raise DateReadError(f"does not add up: {_say(period.first)} was a {actual}")
    return period


def _say(day: dt.date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


# --- wording -------------------------------------------------------------------------------------

_STRICT_SHAPE = re.compile(
    r"(?:(?:about|before|after) )?[0-9]{4}-[0-9]{2}(?:-[0-9]{2}(?:T[0-9]{2}:[0-9]{2})?)?"
    r"|[0-9]{4}(?:-[0-9]{2}){0,2}/[0-9]{4}(?:-[0-9]{2}){0,2}",
    _A,
)
_APPROX = re.compile(r"(?:approximately|approx|about|around|roughly|circa|ca|c)\b\.?\s*(.+)")
_BEFORE = re.compile(r"(?:before|prior to)\s+(.+)")
_AFTER = re.compile(r"after\s+(.+)")
_TIME = re.compile(
    r"(.+?)\s+(?:at\s+)?([0-9]{1,2})(?:[:.]([0-9]{2})(?::00)?)?\s*(am|pm)?(?:\s*hrs?)?", _A
)
_BETWEEN = re.compile(r"(?:between\s+(.+?)\s+and|from\s+(.+?)\s+(?:to|until|till))\s+(.+)")
_PLAIN_RANGE = re.compile(r"(.+?)\s+(?:to|-|until|till)\s+(.+)")
_WEEK = re.compile(
    r"(w/c|w/b|wc|wb|week commencing|week beginning|week starting|week ending)\b\.?\s*(.+)"
)
_PART = re.compile(r"(early|mid|late)\s+(.+)")
_SEASON = re.compile(r"(spring|summer|autumn|fall|winter)\s+(?:of\s+)?([0-9]{4})", _A)
_WINTER_PAIR = re.compile(r"winter\s+(?:of\s+)?([0-9]{4})/([0-9]{2}|[0-9]{4})", _A)
_YEAR_PAIR = re.compile(r"([0-9]{4})/([0-9]{2})", _A)
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
_PART_MONTHS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_PART_DAYS: dict[str, tuple[int, int | None]] = {
    "early": (1, 10),
    "mid": (11, 20),
    "late": (21, None),  # to the end of the month
}


_HYPHENS = re.compile(r"[\u2010\u2011]")
_DASHES = re.compile(r"[\u2012-\u2015\u2212]")
_PART_HYPHEN = re.compile(r"\b(early|mid|late)-")
_DIGIT_LETTER_HYPHEN = re.compile(r"(?<=[0-9])-(?=[a-z])|(?<=[a-z])-(?=[0-9])")
_WORD_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_AM_PM = re.compile(r"(?<![a-z])([ap])\.m(?![a-z])\.?")
_TIME_T = re.compile(r"(?<=[0-9])t(?=[0-9])")


def normalise(text: str) -> str:
    """Lower case, single spaces, no trailing full stop, dashes and commas made regular.

    Each substitution runs only when the text holds the character it needs (a hyphen, ".m",
    "t", a character beyond ASCII): most dates have none, and this runs once per row of an
    imported table."""
    text = text.strip().lower()
    if not text.isascii():
        text = _DASHES.sub(" - ", _HYPHENS.sub("-", text))
    if "-" in text:
        text = _PART_HYPHEN.sub(r"\1 ", text)
        text = _DIGIT_LETTER_HYPHEN.sub(" ", text)
        text = _WORD_HYPHEN.sub(" - ", text)
    if ".m" in text:
        text = _AM_PM.sub(r"\1m", text)
    text = " ".join(text.replace(",", " ").split()).rstrip(".").rstrip()
    return _TIME_T.sub("T", text) if "t" in text else text


def read_wording(text: str) -> str:
    """The case-file expression for `text` as a practitioner typed it; raises `DateReadError`."""
    text = normalise(text)
    if len(text) > 100:
        raise DateReadError("is too long to be a date")
    if _STRICT_SHAPE.fullmatch(text):
        return text  # already a case-file expression; the strict reader checks it
    if match := _APPROX.fullmatch(text):
        inner = _period(match[1])
        if inner.precision == "range":
            raise DateReadError(
                "cannot be made approximate: about, approx. and c. go with a day, a month or a "
                "year, for example approx. March 2019"
            )
        return f"about {inner.expression}"
    if match := _BEFORE.fullmatch(text):
        inner = _period(match[1])
        return (
            f"before {inner.first.isoformat() if inner.precision == 'range' else inner.expression}"
        )
    if match := _AFTER.fullmatch(text):
        inner = _period(match[1])
        return f"after {inner.last.isoformat() if inner.precision == 'range' else inner.expression}"
    if (match := _TIME.fullmatch(text)) and (match[3] or match[4]):
        return _with_time(match[1], int(match[2]), int(match[3] or 0), match[4])
    return _period(text).expression


def _with_time(date_text: str, hour: int, minute: int, half: str | None) -> str:
    day = _period(date_text)
    if day.precision != "day":
        raise DateReadError("has a time but no single day: write, for example, 12/03/2019 14:30")
    if half is not None:
        if not 1 <= hour <= 12:
            raise DateReadError("is not a real time (with am or pm the hour is 1 to 12)")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise DateReadError("is not a real time (use 00:00 to 23:59)")
    return f"{day.expression}T{hour:02d}:{minute:02d}"


def _period(text: str) -> _Period:
    """A day, month, year or span of days written without about / before / after."""
    if match := _BETWEEN.fullmatch(text):
        return _range(match[1] or match[2], match[3])
    if match := _WEEK.fullmatch(text):
        return _week(match[1], match[2])
    if match := _PART.fullmatch(text):
        return _part_of(match[1], _period(match[2]))
    if match := _WINTER_PAIR.fullmatch(text):
        year = int(match[1])
        if not _is_next_year(year, match[2]):
            raise DateReadError("is not a winter: write, for example, winter 2017/18")
        return _season("winter", year)
    if match := _SEASON.fullmatch(text):
        return _season(match[1], int(match[2]))
    if match := _YEAR_PAIR.fullmatch(text):
        year = int(match[1])
        if not _is_next_year(year, match[2]):
            raise DateReadError("is not a pair of years: write, for example, 2019/20 or 2019/2020")
        return _Period(_point(year).first, _point(year + 1).last, f"{year}/{year + 1}", "range")
    parts = _parts(text)
    if parts is not None:
        return _complete(parts)
    if match := _PLAIN_RANGE.fullmatch(text):
        return _range(match[1], match[2])
    raise DateReadError(GENERIC)


def _is_next_year(year: int, digits: str) -> bool:
    """True if `digits` (two or four of them) name the year after `year`: 2019/20, 2019/2020."""
    return digits in (str(year + 1), f"{(year + 1) % 100:02d}")


def _range(left_text: str, right_text: str) -> _Period:
    right = _period(right_text)
    parts = _parts(left_text)
    if parts is None:
        left = _period(left_text)
    elif parts.year is not None:
        left = _complete(parts)
    else:  # "between 1 and 15 March 2019", "between March and May 2019": borrow from the right
        needs = "day" if parts.month is None else "month"
        if right.precision not in ("day", "month") or (needs == "day" and right.precision != "day"):
            raise DateReadError(_RANGE_HINT)
        month = parts.month if parts.month is not None else right.first.month
        left = _complete(_Parts(right.first.year, month, parts.day, parts.weekday))
    if left.first > right.first or left.last > right.last:
        raise DateReadError("is not a range: the first date is after the second")
    if left.precision != "range" and right.precision != "range":
        return _Period(left.first, right.last, f"{left.expression}/{right.expression}", "range")
    return _span(left.first, right.last)


def _week(word: str, day_text: str) -> _Period:
    day = _period(day_text)
    if day.precision != "day":
        raise DateReadError(
            f"needs a single day after {word}: write, for example, {word} 4 March 2019"
        )
    if word == "week ending":
        return _span(day.first - dt.timedelta(days=6), day.first)
    return _span(day.first, day.first + dt.timedelta(days=6))


def _part_of(part: str, inner: _Period) -> _Period:
    year = inner.first.year
    if inner.precision == "year":
        start, end = _PART_MONTHS[part]
        return _span(_point(year, start).first, _point(year, end).last)
    if inner.precision == "month":
        first_day, last_day = _PART_DAYS[part]
        return _span(
            inner.first.replace(day=first_day), inner.first.replace(day=last_day or inner.last.day)
        )
    raise DateReadError(
        "cannot be read: early, mid and late go with a month or a year, "
        "for example early 2018 or late March 2019"
    )


def _season(name: str, year: int) -> _Period:
    if name == "winter":
        return _span(_point(year, 12).first, _point(year + 1, 2).last)
    start, end = _SEASON_MONTHS[name]
    return _span(_point(year, start).first, _point(year, end).last)
