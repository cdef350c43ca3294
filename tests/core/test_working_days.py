"""Working days with each nation's bank holidays (spec: rules.md, Working days), and how
`cross-boundary-gap` counts and words its deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chronology_app.core import casefile
from chronology_app.core.records import case_data
from chronology_app.core.rules.engine import examine
from chronology_app.core.rules.working_days import WorkingCalendar, calendar_for
from tests.core.test_rules import LATER, document, e

D = dt.date
RULE = "cross-boundary-gap"

# (nation, start, working days, deadline, bank holidays counted on the way)
DEADLINES = [
    # England and Wales: the early May bank holiday and Easter Monday count ...
    ("england_wales", D(2024, 5, 2), 5, D(2024, 5, 10), (D(2024, 5, 6),)),
    ("england_wales", D(2024, 3, 28), 5, D(2024, 4, 8), (D(2024, 3, 29), D(2024, 4, 1))),
    ("england_wales", D(2024, 8, 22), 5, D(2024, 8, 30), (D(2024, 8, 26),)),
    # ... Scotland's 2 January and first Monday in August do not.
    ("england_wales", D(2024, 8, 1), 5, D(2024, 8, 8), ()),
    ("england_wales", D(2023, 12, 29), 5, D(2024, 1, 8), (D(2024, 1, 1),)),
    # Scotland: 2 January and its August holiday count; Easter Monday does not.
    ("scotland", D(2023, 12, 29), 5, D(2024, 1, 9), (D(2024, 1, 1), D(2024, 1, 2))),
    ("scotland", D(2024, 8, 1), 5, D(2024, 8, 9), (D(2024, 8, 5),)),
    ("scotland", D(2024, 3, 28), 5, D(2024, 4, 5), (D(2024, 3, 29),)),
    ("scotland", D(2024, 8, 22), 5, D(2024, 8, 29), ()),
    # Northern Ireland: St Patrick's Day (observed) and the Twelfth count; others' do not.
    ("northern_ireland", D(2024, 3, 14), 5, D(2024, 3, 22), (D(2024, 3, 18),)),
    ("northern_ireland", D(2024, 7, 10), 5, D(2024, 7, 18), (D(2024, 7, 12),)),
    ("northern_ireland", D(2024, 8, 1), 5, D(2024, 8, 8), ()),
    # Counting back, and across a weekend with no holiday.
    ("england_wales", D(2024, 5, 10), -5, D(2024, 5, 2), (D(2024, 5, 6),)),
    ("england_wales", D(2024, 6, 7), 5, D(2024, 6, 14), ()),
]


@pytest.mark.parametrize(("nation", "start", "days", "deadline", "counted"), DEADLINES)
def test_working_days_leave_out_the_nations_bank_holidays(
    nation: str, start: dt.date, days: int, deadline: dt.date, counted: tuple[dt.date, ...]
) -> None:
    found = WorkingCalendar(nation).deadline(start, days)
    assert (found.day, found.holidays) == (deadline, counted)


def test_the_deadline_is_said_in_words() -> None:
    calendar = calendar_for("england_wales")
    assert calendar.deadline(D(2024, 5, 2), 5).describe() == (
        "5 working days after 2 May 2024, counting the 6 May bank holiday, is 10 May 2024"
    )
    assert calendar.deadline(D(2024, 3, 28), 5).describe() == (
        "5 working days after 28 March 2024, counting the 29 March and 1 April bank holidays, "
        "is 8 April 2024"
    )
    assert calendar.deadline(D(2024, 12, 20), 5).describe() == (
        "5 working days after 20 December 2024, counting the 25 December and 26 December bank "
        "holidays, is 31 December 2024"
    )
    assert calendar.deadline(D(2024, 6, 7), 5).describe() == (
        "5 working days after 7 June 2024 is 14 June 2024"
    )


def test_open_ends_and_the_ends_of_the_calendar_stay_open() -> None:
    calendar = calendar_for()
    assert calendar.add(dt.date.min, -5) == dt.date.min
    assert calendar.add(dt.date.max, 5) == dt.date.max
    assert calendar.add(D(9999, 12, 30), 5) == dt.date.max
    assert calendar.add(D(1, 1, 2), -5) == dt.date.min


def test_an_unknown_nation_is_refused() -> None:
    with pytest.raises(ValueError, match="not a nation for bank holidays"):
        WorkingCalendar("wales")


def _move(date: str, shared: str | None, area: str = "Leeds") -> list[dict[str, Any]]:
    entries = [e("mv", date, "move", from_area="Bradford", to_area=area)]
    if shared:
        entries.append(e("sh", shared, "information_request", **{"from": area, "to": "Bradford"}))
    return entries


def _gap(entries: list[dict[str, Any]], nation: str) -> Any:
    data = case_data(casefile.check(document([*entries, LATER])))
    return examine(data, calendar=calendar_for(nation))


# The move on the Thursday before a bank holiday; the receiving area asks for the file on the
# fifth working day counting the holiday: answered where it is a holiday, late where it is not.
HOLIDAY_WINDOWS = [
    ("england_wales", "2024-05-02", "2024-05-10", True),  # 6 May, everywhere
    ("scotland", "2024-05-02", "2024-05-10", True),
    ("northern_ireland", "2024-05-02", "2024-05-10", True),
    ("england_wales", "2024-08-22", "2024-08-30", True),  # 26 August
    ("scotland", "2024-08-22", "2024-08-30", False),  # Scotland works on 26 August
    ("scotland", "2024-08-01", "2024-08-09", True),  # 5 August
    ("england_wales", "2024-08-01", "2024-08-09", False),
    ("northern_ireland", "2024-07-10", "2024-07-18", True),  # 12 July
    ("england_wales", "2024-07-10", "2024-07-18", False),
    ("northern_ireland", "2024-03-14", "2024-03-22", True),  # St Patrick's Day observed
    ("northern_ireland", "2024-08-01", "2024-08-09", False),  # Scotland's 5 August is not NI's
    ("scotland", "2024-03-14", "2024-03-22", False),
]


@pytest.mark.parametrize(("nation", "moved", "asked", "in_time"), HOLIDAY_WINDOWS)
def test_cross_boundary_gap_counts_the_nations_bank_holidays(
    nation: str, moved: str, asked: str, in_time: bool
) -> None:
    found = _gap(_move(moved, asked), nation)
    flags = [f for f in found.flags if f.rule == "cross-boundary-gap"]
    answered = [a for a in found.answered if a.rule == "cross-boundary-gap"]
    if in_time:
        assert flags == []
        assert [(a.trigger, a.answered_by) for a in answered] == [("mv", "sh")]
    else:
        assert [f.entries for f in flags] == [("mv",)]
        assert answered == []


def test_the_flag_says_where_the_deadline_fell_and_which_holidays_it_counted() -> None:
    (flag,) = [f for f in _gap(_move("2024-05-02", None), "england_wales").flags if f.rule == RULE]
    assert flag.explanation == (
        "The family moved to Leeds in E0001 (2 May 2024), and no entry shows information shared "
        "with or requested by Leeds within 5 working days: 5 working days after 2 May 2024, "
        "counting the 6 May bank holiday, is 10 May 2024 (bank holidays of England and Wales)."
    )
    (flag,) = [f for f in _gap(_move("2024-05", None), "scotland").flags if f.rule == RULE]
    assert flag.explanation.endswith(
        "within 5 working days: from the latest day the move could be, 5 working days after "
        "31 May 2024 is 7 June 2024 (bank holidays of Scotland)."
    )
