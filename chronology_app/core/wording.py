"""How dates and ages read, in one place: the table, the editor, explanations and reports all
ask here, so an entry's date and a person's age read the same wherever a practitioner meets
them. Dates are British ("12 March 2019"); the practitioner's own wording of a date, where
they gave one, is always shown as written.
"""

from __future__ import annotations

import datetime as dt

from chronology_app.core.dates import DateKind, PartialDate, format_day
from chronology_app.core.records import EntryRecord

__all__ = ["age", "age_from_day", "child_age", "date_shown", "day", "entry_date", "time_ahead"]


def day(when: dt.date) -> str:
    """'12 March 2019'."""
    return format_day(when)


def date_shown(date: PartialDate, *, time: bool = True) -> str:
    """A date as a practitioner reads it: its wording where it has one, otherwise '12 March
    2019', '12 March 2019 at 14:30' (the time left out with `time=False`, as explanations do),
    'March 2019', '2019', or a plain description of a span or an open end ('between 1 and 15
    March 2019', 'before 2000 (up to 31 December 1999)')."""
    if date.wording:
        return date.wording
    if not date.approximate:
        if date.kind is DateKind.DAY or (date.kind is DateKind.MINUTE and not time):
            return format_day(date.earliest)
        if date.kind is DateKind.MONTH:
            return date.earliest.strftime("%B %Y")
        if date.kind is DateKind.YEAR:
            return str(date.earliest.year)
    return date.describe()


def entry_date(entry: EntryRecord) -> str:
    """An entry's date: as the practitioner wrote it, else `date_shown`."""
    return entry.date_text or date_shown(entry.date)


def _years(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age(date_of_birth: PartialDate | None, on: dt.date) -> str:
    """A person's age in years on a day: '34'; 'about 34' where the date of birth leaves it in
    doubt; 'at least 26' / 'under 30' for open-ended dates; 'not known'; 'not yet born'."""
    if date_of_birth is None:
        return "not known"
    if date_of_birth.earliest > on:
        return "not yet born"
    if date_of_birth.kind is DateKind.BEFORE:
        return f"at least {_years(date_of_birth.latest, on)}"
    if date_of_birth.kind is DateKind.AFTER or date_of_birth.latest > on:
        return f"under {_years(date_of_birth.earliest, on) + 1}"
    oldest, youngest = _years(date_of_birth.earliest, on), _years(date_of_birth.latest, on)
    if oldest == youngest and not date_of_birth.approximate:
        return str(oldest)
    middle = date_of_birth.earliest + (date_of_birth.latest - date_of_birth.earliest) / 2
    return f"about {_years(middle, on)}"


def child_age(date_of_birth: PartialDate | None, on: dt.date) -> str:
    """A young child's age on a day as a social worker writes it ('5 days', '6 weeks', '9m',
    '2y 3m') when the date of birth is an exact day; otherwise as `age` says it."""
    if date_of_birth is None or not date_of_birth.is_exact or date_of_birth.earliest > on:
        return age(date_of_birth, on)
    return age_from_day(date_of_birth.earliest, on)


def age_from_day(born: dt.date, on: dt.date) -> str:
    """`child_age` for a date of birth known to the day."""
    if born > on:
        return "not yet born"
    days = (on - born).days
    if days < 7 * 8:
        if days >= 14:
            return f"{days // 7} weeks"
        return "1 day" if days == 1 else f"{days} days"
    months = (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)
    years, months = divmod(months, 12)
    return f"{years}y {months}m" if years else f"{months}m"


def time_ahead(when: dt.date, today: dt.date) -> str:
    """How far after today a day is, as said in a question: 'tomorrow', '12 days from today',
    '3 weeks from today', 'more than 5 months from today', '4 years from today', 'more than 4
    years from today'."""
    days = (when - today).days
    if days <= 1:
        return "tomorrow" if days == 1 else "today"
    if days < 14:
        return f"{days} days from today"
    months = (when.year - today.year) * 12 + when.month - today.month - (when.day < today.day)
    if months < 2:
        weeks, extra = divmod(days, 7)
        return f"{'more than ' if extra else ''}{weeks} weeks from today"
    years, rest = divmod(months, 12)
    if years == 0:
        whole = _add_months(today, months) == when
        return f"{'' if whole else 'more than '}{months} months from today"
    whole = rest == 0 and _add_months(today, months) == when
    unit = "year" if years == 1 else "years"
    return f"{'' if whole else 'more than '}{years} {unit} from today"


def _add_months(day_: dt.date, months: int) -> dt.date:
    total = day_.month - 1 + months
    year, month = day_.year + total // 12, total % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day_.day, last))
