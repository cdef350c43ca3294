"""Working days: Monday to Friday less the bank holidays of one nation of the UK.

The bank holidays come from the `holidays` package (a well-kept calendar, pinned), for the
nation an authority names in its settings (`bank_holidays`). England and Wales share one set;
Scotland and Northern Ireland each have their own (spec: rules.md, Working days). Where a
deadline falls, and which holidays it stepped over, is said in words a practitioner can check
("5 working days after 2 May 2024, counting the 6 May bank holiday, is 10 May 2024").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from dataclasses import dataclass, field

from chronology_app.core.dates import format_day

# The settings' words for a nation -> the `holidays` package's subdivision of GB.
NATIONS: dict[str, str] = {
    "england_wales": "ENG",
    "scotland": "SCT",
    "northern_ireland": "NIR",
}
NATION_NAMES: dict[str, str] = {
    "england_wales": "England and Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}
DEFAULT_NATION = "england_wales"


@dataclass(frozen=True)
class Deadline:
    """`days` working days on from `start` (back, when negative) is `day`; `holidays` are the
    bank holidays on weekdays that were stepped over."""

    start: dt.date
    days: int
    day: dt.date
    holidays: tuple[dt.date, ...]

    def describe(self) -> str:
        """'5 working days after 2 May 2024, counting the 6 May bank holiday, is 10 May 2024'."""
        direction = "after" if self.days >= 0 else "before"
        text = f"{abs(self.days)} working days {direction} {format_day(self.start)}"
        if self.holidays:
            shown = [_short(day, self.day.year) for day in self.holidays]
            if len(shown) == 1:
                text += f", counting the {shown[0]} bank holiday,"
            else:
                text += f", counting the {', '.join(shown[:-1])} and {shown[-1]} bank holidays,"
        return f"{text} is {format_day(self.day)}"


def _short(day: dt.date, year: int) -> str:
    """'6 May' in the deadline's year, '26 December 2023' in another."""
    return format_day(day) if day.year != year else format_day(day).rsplit(" ", 1)[0]


@dataclass
class WorkingCalendar:
    """Working days for one nation; each year's bank holidays are read once."""

    nation: str = DEFAULT_NATION
    _years: dict[int, frozenset[dt.date]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.nation not in NATIONS:
            raise ValueError(
                f'"{self.nation}" is not a nation for bank holidays: choose one of '
                + ", ".join(NATIONS)
            )

    @property
    def name(self) -> str:
        return NATION_NAMES[self.nation]

    def bank_holidays(self, year: int) -> frozenset[dt.date]:
        """The bank holidays of the year that fall on a weekday (a holiday on a Saturday is
        replaced by a weekday one, which the calendar lists as observed)."""
        found = self._years.get(year)
        if found is None:
            # Imported here: it is slow to import, and only deadlines in working days need it.
            import holidays

            days: list[dt.date] = []
            with contextlib.suppress(ValueError, OverflowError):  # a year it cannot reckon
                days = list(
                    holidays.country_holidays("GB", subdiv=NATIONS[self.nation], years=year)
                )
            found = self._years[year] = frozenset(day for day in days if day.weekday() < 5)
        return found

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.bank_holidays(day.year)

    def add(self, day: dt.date, days: int) -> dt.date:
        return self.deadline(day, days).day

    def deadline(self, day: dt.date, days: int) -> Deadline:
        """`days` working days after `day` (before it, when negative); the open ends of an
        uncertain date stay open."""
        if day in (dt.date.min, dt.date.max):
            return Deadline(day, days, day, ())
        forward = days >= 0
        step = dt.timedelta(days=1 if forward else -1)
        edge = dt.date.max if forward else dt.date.min
        remaining, current, skipped = abs(days), day, []
        year, holidays = day.year, self.bank_holidays(day.year)
        while remaining:
            if current == edge:
                return Deadline(day, days, edge, ())
            current += step
            if current.weekday() >= 5:
                continue
            if current.year != year:
                year, holidays = current.year, self.bank_holidays(current.year)
            if current in holidays:
                skipped.append(current)
                continue
            remaining -= 1
        return Deadline(day, days, current, tuple(skipped if forward else reversed(skipped)))


@functools.cache
def calendar_for(nation: str = DEFAULT_NATION) -> WorkingCalendar:
    """The one calendar of a nation in this process, so each year's holidays are read once."""
    return WorkingCalendar(nation)
