"""Tests for partial dates: the strict case-file reader, the practitioners' wording reader,
describe(), the sort order and the span checks rules rely on."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronology_app.core.dates import (
    DateKind,
    PartialDate,
    format_day,
    parse_expression,
    parse_practitioner_date,
)
from chronology_app.core.errors import InvalidDate

MIN, MAX = dt.date.min, dt.date.max


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


# --- the strict case-file forms ------------------------------------------------------------------

STRICT_FORMS = [
    # expression, kind, approximate, earliest, latest
    ("2019-03-12", DateKind.DAY, False, "2019-03-12", "2019-03-12"),
    ("2019-03-12T14:30", DateKind.MINUTE, False, "2019-03-12", "2019-03-12"),
    ("2019-03", DateKind.MONTH, False, "2019-03-01", "2019-03-31"),
    ("2020-02", DateKind.MONTH, False, "2020-02-01", "2020-02-29"),
    ("2019", DateKind.YEAR, False, "2019-01-01", "2019-12-31"),
    ("about 2019-03-12", DateKind.DAY, True, "2019-03-05", "2019-03-19"),
    ("about 2019-03", DateKind.MONTH, True, "2019-02-01", "2019-04-30"),
    ("about 2019-01", DateKind.MONTH, True, "2018-12-01", "2019-02-28"),
    ("about 2019-12", DateKind.MONTH, True, "2019-11-01", "2020-01-31"),
    ("about 2019", DateKind.YEAR, True, "2018-01-01", "2020-12-31"),
    ("before 2019-03-12", DateKind.BEFORE, False, None, "2019-03-11"),
    ("before 2019-03", DateKind.BEFORE, False, None, "2019-02-28"),
    ("before 2019", DateKind.BEFORE, False, None, "2018-12-31"),
    ("after 2019-03-12", DateKind.AFTER, False, "2019-03-13", None),
    ("after 2019-02", DateKind.AFTER, False, "2019-03-01", None),
    ("after 2019", DateKind.AFTER, False, "2020-01-01", None),
    ("2019-03-01/2019-05-31", DateKind.RANGE, False, "2019-03-01", "2019-05-31"),
    ("2019-03/2019-05", DateKind.RANGE, False, "2019-03-01", "2019-05-31"),
    ("2017/2019", DateKind.RANGE, False, "2017-01-01", "2019-12-31"),
    ("2019/2019-03-12", DateKind.RANGE, False, "2019-01-01", "2019-03-12"),
    ("1800", DateKind.YEAR, False, "1800-01-01", "1800-12-31"),
    ("2199-12-31", DateKind.DAY, False, "2199-12-31", "2199-12-31"),
]


@pytest.mark.parametrize(("expression", "kind", "approximate", "earliest", "latest"), STRICT_FORMS)
def test_parse_expression_reads_every_case_file_form(
    expression: str, kind: DateKind, approximate: bool, earliest: str | None, latest: str | None
) -> None:
    value = parse_expression(expression)
    assert value.expression == expression
    assert value.kind is kind
    assert value.approximate is approximate
    assert value.earliest == (day(earliest) if earliest else MIN)
    assert value.latest == (day(latest) if latest else MAX)
    assert value.wording is None
    assert parse_expression(value.expression) == value


def test_minute_keeps_its_time() -> None:
    value = parse_expression("2019-03-12T14:30")
    assert value.minute == dt.time(14, 30)
    assert parse_expression("2019-03-12").minute is None


STRICT_ERRORS = [
    ("2019-02-30", "is not a real date (February 2019 has 28 days)"),
    ("2019-02-29", "February 2019 has 28 days"),
    ("2019-13", "there is no month 13"),
    ("2019-00-10", "there is no month 0"),
    ("2019-03-00", "is not a real date"),
    ("2019-03-12T24:00", "is not a real time"),
    ("2019-03-12T14:60", "is not a real time"),
    ("1799", "outside the years 1800 to 2199"),
    ("2200-01-01", "outside the years 1800 to 2199"),
    ("2019-05/2019-03", "the first date is after the second"),
    ("12/03/2019", "is not a date expression: use a form such as 2019-03-12"),
    ("March 2019", "is not a date expression"),
    ("About 2019", "is not a date expression"),
    ("about  2019", "is not a date expression"),
    ("about 2019-03-12T14:30", "is not a date expression"),
    ("before 2019-03-01/2019-04-01", "is not a date expression"),
    ("2019-3-12", "is not a date expression"),
    ("19", "is not a date expression"),
    ("2019-03-12 ", "is not a date expression"),
    ("2019/2020/2021", "is not a date expression"),
    ("", "is not a date expression"),
    ("\u0662\u0660\u0661\u0669", "is not a date expression"),  # Arabic-Indic digits
]


@pytest.mark.parametrize(("text", "fragment"), STRICT_ERRORS)
def test_parse_expression_refuses_anything_else(text: str, fragment: str) -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_expression(text)
    message = str(caught.value)
    assert message.startswith(f'"{text}" ')
    assert fragment in message


# --- practitioners' wording -----------------------------------------------------------------------

PRACTITIONER_FORMS = [
    # as typed, expression, earliest, latest
    ("2019-03-12", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("2019-03-12T14:30", "2019-03-12T14:30", "2019-03-12", "2019-03-12"),
    ("2019-03", "2019-03", "2019-03-01", "2019-03-31"),
    ("About 2019-03", "about 2019-03", "2019-02-01", "2019-04-30"),
    ("before 2019-03-12", "before 2019-03-12", None, "2019-03-11"),
    ("2019-03-01/2019-05-31", "2019-03-01/2019-05-31", "2019-03-01", "2019-05-31"),
    ("2019-3-12", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("2019/03/12", "2019-03-12", "2019-03-12", "2019-03-12"),
    # day first, as in the UK; two-digit years 00-49 are 20yy, 50-99 are 19yy
    ("12/03/2019", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("12/3/19", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("12.03.2019", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("12-03-2019", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("1/2/49", "2049-02-01", "2049-02-01", "2049-02-01"),
    ("1/2/50", "1950-02-01", "1950-02-01", "1950-02-01"),
    ("03/2019", "2019-03", "2019-03-01", "2019-03-31"),
    # month names
    ("12 March 2019", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("12th March 2019", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("12th Mar 2019", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("the 21st of March 2019", "2019-03-21", "2019-03-21", "2019-03-21"),
    ("12 Sept 19", "2019-09-12", "2019-09-12", "2019-09-12"),
    ("Mar 12 2019", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("March 12th, 2019", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("Tuesday 12 March 2019", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("12-Mar-2019", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("12/Mar/2019", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("2019 March 12", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("on the 12th of March 2019", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("Mar. 2019", "2019-03", "2019-03-01", "2019-03-31"),
    ("12Mar2019", "2019-03-12", "2019-03-12", "2019-03-12"),
    ("March 2019", "2019-03", "2019-03-01", "2019-03-31"),
    ("Mar 2019", "2019-03", "2019-03-01", "2019-03-31"),
    ("march 99", "1999-03", "1999-03-01", "1999-03-31"),
    ("2019", "2019", "2019-01-01", "2019-12-31"),
    # case, spaces and a trailing full stop do not matter
    ("  12   MARCH   2019. ", "2019-03-12", "2019-03-12", "2019-03-12"),
    # parts of a year or a month
    ("early 2018", "2018-01-01/2018-04-30", "2018-01-01", "2018-04-30"),
    ("mid 2018", "2018-05-01/2018-08-31", "2018-05-01", "2018-08-31"),
    ("mid-2018", "2018-05-01/2018-08-31", "2018-05-01", "2018-08-31"),
    ("late 2018", "2018-09-01/2018-12-31", "2018-09-01", "2018-12-31"),
    ("early March 2019", "2019-03-01/2019-03-10", "2019-03-01", "2019-03-10"),
    ("mid March 2019", "2019-03-11/2019-03-20", "2019-03-11", "2019-03-20"),
    ("mid-March 2019", "2019-03-11/2019-03-20", "2019-03-11", "2019-03-20"),
    ("late March 2019", "2019-03-21/2019-03-31", "2019-03-21", "2019-03-31"),
    ("late Feb 2020", "2020-02-21/2020-02-29", "2020-02-21", "2020-02-29"),
    # seasons
    ("spring 2017", "2017-03-01/2017-05-31", "2017-03-01", "2017-05-31"),
    ("summer 2017", "2017-06-01/2017-08-31", "2017-06-01", "2017-08-31"),
    ("Autumn 2017", "2017-09-01/2017-11-30", "2017-09-01", "2017-11-30"),
    ("fall 2017", "2017-09-01/2017-11-30", "2017-09-01", "2017-11-30"),
    ("winter 2017", "2017-12-01/2018-02-28", "2017-12-01", "2018-02-28"),
    ("winter 2019/20", "2019-12-01/2020-02-29", "2019-12-01", "2020-02-29"),
    # weeks
    ("w/c 4 March 2019", "2019-03-04/2019-03-10", "2019-03-04", "2019-03-10"),
    ("w/c 4/3/19", "2019-03-04/2019-03-10", "2019-03-04", "2019-03-10"),
    ("wc 4/3/2019", "2019-03-04/2019-03-10", "2019-03-04", "2019-03-10"),
    ("W/C 28/2/2019", "2019-02-28/2019-03-06", "2019-02-28", "2019-03-06"),
    ("week commencing 4 March 2019", "2019-03-04/2019-03-10", "2019-03-04", "2019-03-10"),
    ("w/b 4 March 2019", "2019-03-04/2019-03-10", "2019-03-04", "2019-03-10"),
    ("week beginning 4 March 2019", "2019-03-04/2019-03-10", "2019-03-04", "2019-03-10"),
    ("week ending 10 March 2019", "2019-03-04/2019-03-10", "2019-03-04", "2019-03-10"),
    # approximate
    ("approx. 2015", "about 2015", "2014-01-01", "2016-12-31"),
    ("approx 2015", "about 2015", "2014-01-01", "2016-12-31"),
    ("about 2015", "about 2015", "2014-01-01", "2016-12-31"),
    ("c. 2015", "about 2015", "2014-01-01", "2016-12-31"),
    ("c.2015", "about 2015", "2014-01-01", "2016-12-31"),
    ("circa 2015", "about 2015", "2014-01-01", "2016-12-31"),
    ("around March 2019", "about 2019-03", "2019-02-01", "2019-04-30"),
    ("approx. 12/03/2019", "about 2019-03-12", "2019-03-05", "2019-03-19"),
    # ranges
    ("between March and May 2019", "2019-03/2019-05", "2019-03-01", "2019-05-31"),
    ("between 1 and 15 March 2019", "2019-03-01/2019-03-15", "2019-03-01", "2019-03-15"),
    ("between 1 March and 15 April 2019", "2019-03-01/2019-04-15", "2019-03-01", "2019-04-15"),
    ("between 2017 and 2019", "2017/2019", "2017-01-01", "2019-12-31"),
    ("between December 2018 and March 2019", "2018-12/2019-03", "2018-12-01", "2019-03-31"),
    ("between early 2018 and summer 2019", "2018-01-01/2019-08-31", "2018-01-01", "2019-08-31"),
    ("March–May 2019", "2019-03/2019-05", "2019-03-01", "2019-05-31"),
    ("March-May 2019", "2019-03/2019-05", "2019-03-01", "2019-05-31"),
    ("from March to May 2019", "2019-03/2019-05", "2019-03-01", "2019-05-31"),
    ("2019/20", "2019/2020", "2019-01-01", "2020-12-31"),
    ("2019/2020", "2019/2020", "2019-01-01", "2020-12-31"),
    ("1999/00", "1999/2000", "1999-01-01", "2000-12-31"),
    # open-ended
    ("before March 2019", "before 2019-03", None, "2019-02-28"),
    ("Before 12 March 2019", "before 2019-03-12", None, "2019-03-11"),
    ("prior to 2019", "before 2019", None, "2018-12-31"),
    ("after 12/03/2019", "after 2019-03-12", "2019-03-13", None),
    ("after 2019", "after 2019", "2020-01-01", None),
    ("before summer 2017", "before 2017-06-01", None, "2017-05-31"),
    ("after late 2018", "after 2018-12-31", "2019-01-01", None),
    # times
    ("12/03/2019 14:30", "2019-03-12T14:30", "2019-03-12", "2019-03-12"),
    ("12 March 2019 at 2.30pm", "2019-03-12T14:30", "2019-03-12", "2019-03-12"),
    ("12 March 2019 at 2.30 p.m.", "2019-03-12T14:30", "2019-03-12", "2019-03-12"),
    ("12/03/2019 9am", "2019-03-12T09:00", "2019-03-12", "2019-03-12"),
    ("12/03/2019 12am", "2019-03-12T00:00", "2019-03-12", "2019-03-12"),
    ("12/03/2019 12pm", "2019-03-12T12:00", "2019-03-12", "2019-03-12"),
]


@pytest.mark.parametrize(("text", "expression", "earliest", "latest"), PRACTITIONER_FORMS)
def test_parse_practitioner_date_reads_common_wording(
    text: str, expression: str, earliest: str | None, latest: str | None
) -> None:
    value = parse_practitioner_date(text)
    assert value.expression == expression
    assert value.earliest == (day(earliest) if earliest else MIN)
    assert value.latest == (day(latest) if latest else MAX)
    assert value.wording == text.strip()
    assert parse_expression(value.expression) == value  # canonical, and wording is not compared


PRACTITIONER_ERRORS = [
    ("31/02/2019", "is not a real date (February 2019 has 28 days)"),
    ("29/02/2019", "is not a real date (February 2019 has 28 days)"),
    ("13/13/2019", "there is no month 13"),
    ("12/13/2019", "dates are read day first"),
    ("2019-13", "there is no month 13"),
    ("2019-02-30", "February 2019 has 28 days"),
    ("next Tuesday", "is not a date that can be read with certainty"),
    ("yesterday", "is not a date that can be read with certainty"),
    ("the 5th", "has no month or year"),
    ("12", "has no month or year"),
    ("Mar", "has no year"),
    ("12 March", "has no year"),
    ("March 12", "could mean 12 March or March 2012"),
    ("March 5", "has no year"),
    ("march 19", "could mean 19 March or March 2019"),
    ("3/19", "is not a date that can be read with certainty"),
    ("12/03", "is not a date that can be read with certainty"),
    ("3 4 2019", "is not a date that can be read with certainty"),
    ("12 and 15 March 2019", "is not a date that can be read with certainty"),
    ("12 March 2019 t", "is not a date that can be read with certainty"),
    ("Monday 12 March 2019", "12 March 2019 was a Tuesday"),
    ("since 2019", "is not a date that can be read with certainty"),
    ("1799", "outside the years 1800 to 2199"),
    ("12/03/1799", "outside the years 1800 to 2199"),
    ("winter 2199", "outside the years 1800 to 2199"),
    ("w/c March 2019", "needs a single day after w/c"),
    ("early 12 March 2019", "early, mid and late go with a month or a year"),
    ("approx summer 2017", "cannot be made approximate"),
    ("about about 2019", "is not a date that can be read with certainty"),
    ("between May and March 2019", "the first date is after the second"),
    ("between December and March 2019", "the first date is after the second"),
    ("between 1 and March 2019", "is not a range that can be read with certainty"),
    ("2019/21", "is not a pair of years"),
    ("winter 2019/21", "is not a winter"),
    ("March 2019 14:30", "has a time but no single day"),
    ("12/03/2019 25:00", "is not a real time"),
    ("12/03/2019 13pm", "is not a real time"),
    ("before 12/03/2019 14:30", "is not a date that can be read with certainty"),
    ("c", "is not a date that can be read with certainty"),
    ("12 March 2019 GMT", "is not a date that can be read with certainty"),
    ("x" * 150, "is too long to be a date"),
    # wording python-dateutil would have read by filling gaps or skipping words
    ("March 2019/20", "is not a date that can be read with certainty"),
    ("2019-03 Tuesday", "is not a date that can be read with certainty"),
    ("2019 of March", "is not a date that can be read with certainty"),
    ("02 March - 29", "has no month or year"),
    ("until 2019", "is not a date that can be read with certainty"),
    ("a" * 99 + "!", "is not a date that can be read with certainty"),  # no slow backtracking
]


@pytest.mark.parametrize(("text", "fragment"), PRACTITIONER_ERRORS)
def test_parse_practitioner_date_never_guesses(text: str, fragment: str) -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_practitioner_date(text)
    message = str(caught.value)
    assert message.startswith(f'"{text.strip()}" ')
    assert fragment in message


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_wording_asks_for_a_date(text: str) -> None:
    with pytest.raises(InvalidDate, match=r"^Type a date, for example 12/03/2019, March 2019"):
        parse_practitioner_date(text)


# --- describe, format_day and the value's behaviour ----------------------------------------------

DESCRIPTIONS = [
    ("2019-03-12", "12 March 2019"),
    ("2019-03-12T14:30", "12 March 2019 at 14:30"),
    ("2019-03-12T09:05", "12 March 2019 at 09:05"),
    ("2019-03", "between 1 and 31 March 2019"),
    ("2019", "between 1 January and 31 December 2019"),
    ("about 2019-03", "about March 2019 (between 1 February and 30 April 2019)"),
    ("about 2019-03-12", "about 12 March 2019 (between 5 and 19 March 2019)"),
    ("about 2019", "about 2019 (between 1 January 2018 and 31 December 2020)"),
    ("before 2019-03-12", "before 12 March 2019"),
    ("before 2019-03", "before March 2019 (up to 28 February 2019)"),
    ("after 2019", "after 2019 (from 1 January 2020)"),
    ("after 2019-03-12", "after 12 March 2019"),
    ("2019-03-01/2019-05-31", "between 1 March and 31 May 2019"),
    ("2019-03-04/2019-03-10", "between 4 and 10 March 2019"),
    ("2018-12/2019-02", "between 1 December 2018 and 28 February 2019"),
    ("2019-03-12/2019-03-12", "12 March 2019"),
]


@pytest.mark.parametrize(("expression", "description"), DESCRIPTIONS)
def test_describe_in_plain_english(expression: str, description: str) -> None:
    assert parse_expression(expression).describe() == description


def test_format_day_has_no_leading_zero_and_a_full_month_name() -> None:
    assert format_day(dt.date(2019, 3, 2)) == "2 March 2019"
    assert format_day(dt.date(2019, 12, 25)) == "25 December 2019"


def test_is_exact() -> None:
    assert parse_expression("2019-03-12").is_exact
    assert parse_expression("2019-03-12T14:30").is_exact
    assert not parse_expression("about 2019-03-12").is_exact
    assert not parse_expression("2019-03").is_exact
    assert not parse_expression("2019-03-12/2019-03-12").is_exact
    assert not parse_expression("before 2019-03-12").is_exact


def test_wording_is_kept_but_not_compared() -> None:
    plain = parse_expression("2019-03")
    worded = plain.with_wording("March 2019")
    assert worded.wording == "March 2019"
    assert plain.wording is None
    assert worded == plain
    assert hash(worded) == hash(plain)
    assert not worded < plain and not plain < worded


def test_values_are_immutable() -> None:
    value = parse_expression("2019")
    with pytest.raises(AttributeError):
        value.expression = "2020"  # type: ignore[misc]


def test_a_value_that_ends_before_it_begins_is_refused() -> None:
    with pytest.raises(InvalidDate):
        PartialDate("x", DateKind.RANGE, dt.date(2019, 2, 1), dt.date(2019, 1, 1))


@pytest.mark.parametrize(
    ("expression", "start", "end", "could", "certainly"),
    [
        ("2019-03-12", "2019-03-01", "2019-03-31", True, True),
        ("2019-03-12", "2019-03-12", "2019-03-12", True, True),
        ("2019-03-12", "2019-03-13", "2019-03-31", False, False),
        ("2019-03", "2019-03-15", "2019-04-15", True, False),
        ("2019-03", "2019-04-01", "2019-04-30", False, False),
        ("2019-03", "2019-02-28", "2019-04-01", True, True),
        ("about 2019-03", "2019-03-01", "2019-03-31", True, False),
        ("before 2019-03-12", "2019-03-11", "2019-12-31", True, False),
        ("before 2019-03-12", "2019-03-12", "2019-12-31", False, False),
        ("after 2019", "2019-01-01", "2019-12-31", False, False),
        ("after 2019", "2020-01-01", "2020-01-01", True, False),
        ("2019-03-01/2019-05-31", "2019-05-31", "2019-06-30", True, False),
    ],
)
def test_span_checks(expression: str, start: str, end: str, could: bool, certainly: bool) -> None:
    value = parse_expression(expression)
    assert value.could_fall_within(day(start), day(end)) is could
    assert value.certainly_within(day(start), day(end)) is certainly


def test_sort_order_follows_the_earliest_day() -> None:
    expressions = [
        "after 2019",
        "2019-03-12T14:30",
        "2019",
        "2019-03-12",
        "before 2019-03-12",
        "2019-03-12T09:00",
        "about 2019-03",
        "2019-03",
    ]
    ordered = [d.expression for d in sorted(parse_expression(e) for e in expressions)]
    assert ordered == [
        "before 2019-03-12",
        "2019",
        "about 2019-03",
        "2019-03",
        "2019-03-12",
        "2019-03-12T09:00",
        "2019-03-12T14:30",
        "after 2019",
    ]


def test_comparing_with_something_else_is_not_supported() -> None:
    with pytest.raises(TypeError):
        _ = parse_expression("2019") < "2019"


# --- properties --------------------------------------------------------------------------------

YEARS = st.integers(min_value=1800, max_value=2199)
DAYS = st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2199, 12, 31))
BOUNDS = st.one_of(
    DAYS.map(dt.date.isoformat),
    st.builds(lambda y, m: f"{y:04d}-{m:02d}", YEARS, st.integers(1, 12)),
    YEARS.map(str),
)


def _ordered_range(pair: tuple[str, str]) -> str:
    first, second = pair
    if parse_expression(first).earliest > parse_expression(second).latest:
        first, second = second, first
    return f"{first}/{second}"


EXPRESSIONS = st.one_of(
    BOUNDS,
    st.builds(
        lambda d, h, m: f"{d.isoformat()}T{h:02d}:{m:02d}",
        DAYS,
        st.integers(0, 23),
        st.integers(0, 59),
    ),
    st.builds(lambda p, b: f"{p} {b}", st.sampled_from(["about", "before", "after"]), BOUNDS),
    st.tuples(BOUNDS, BOUNDS).map(_ordered_range),
)
PARTIAL_DATES = EXPRESSIONS.map(parse_expression)


@settings(max_examples=200)
@given(PARTIAL_DATES)
def test_expressions_round_trip(value: PartialDate) -> None:
    assert parse_expression(value.expression) == value
    assert value.earliest <= value.latest


@settings(max_examples=200)
@given(PARTIAL_DATES)
def test_wording_reader_keeps_case_file_expressions(value: PartialDate) -> None:
    read = parse_practitioner_date(value.expression)
    assert read.expression == value.expression
    assert read == value


@settings(max_examples=200)
@given(PARTIAL_DATES)
def test_describe_never_raises(value: PartialDate) -> None:
    text = value.describe()
    assert isinstance(text, str) and text


@settings(max_examples=100)
@given(
    st.lists(PARTIAL_DATES, max_size=12).flatmap(
        lambda xs: st.tuples(st.just(xs), st.permutations(xs))
    )
)
def test_sorting_does_not_depend_on_input_order(
    lists: tuple[list[PartialDate], list[PartialDate]],
) -> None:
    original, shuffled = lists
    assert sorted(original) == sorted(shuffled)
    assert [d.sort_key for d in sorted(original)] == [d.sort_key for d in sorted(shuffled)]


@settings(max_examples=200)
@given(PARTIAL_DATES, PARTIAL_DATES, PARTIAL_DATES)
def test_order_is_total_and_consistent_with_equality(
    a: PartialDate, b: PartialDate, c: PartialDate
) -> None:
    assert [a < b, a == b, b < a].count(True) == 1
    assert (a == b) == (a.sort_key == b.sort_key)
    if a < b < c:
        assert a < c
    low, mid, high = sorted([a, b, c])
    assert low <= mid <= high and low <= high


DATE_WORDS = st.sampled_from(
    ["12", "3", "19", "2019", "31", "02", "march", "sept", "tuesday", "between", "and", "to", "-",
     "/", ".", ",", "–", "about", "c.", "before", "after", "early", "late", "summer", "winter",
     "w/c", "2019/20", "2019-03", "14:30", "2.30pm", "the", "of", "th"]
)  # fmt: skip


@settings(max_examples=200)
@given(
    st.one_of(
        st.text(max_size=40),
        st.lists(DATE_WORDS, max_size=6).map(" ".join),
        st.lists(DATE_WORDS, max_size=6).map("".join),
    )
)
def test_any_text_is_read_canonically_or_refused_with_its_quote(text: str) -> None:
    try:
        value = parse_practitioner_date(text)
    except InvalidDate as err:
        quoted = f'"{text.strip()}" '
        assert str(err).startswith(quoted) if text.strip() else "Type a date" in str(err)
        return
    assert parse_expression(value.expression) == value
    assert value.earliest <= value.latest
    assert value.describe()


@settings(max_examples=200)
@given(PARTIAL_DATES, DAYS, DAYS)
def test_certainly_within_implies_could_fall_within(
    value: PartialDate, start: dt.date, end: dt.date
) -> None:
    start, end = min(start, end), max(start, end)
    if value.certainly_within(start, end):
        assert value.could_fall_within(start, end)
