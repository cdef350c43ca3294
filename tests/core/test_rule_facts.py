"""The shared pieces the rules stand on: month arithmetic and the date index."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from chronology_app.core.records import EntryRecord, entry_record
from chronology_app.core.rules.facts import DateIndex, add_months, chrono


def _relativedelta_months(day: dt.date, months: int) -> dt.date:
    try:
        return day + relativedelta(months=months)
    except (OverflowError, ValueError):
        return dt.date.max if months > 0 else dt.date.min


@settings(max_examples=500)
@given(st.dates(), st.integers(-130_000, 130_000))
def test_add_months_is_relativedelta_months(day: dt.date, months: int) -> None:
    assert add_months(day, months) == _relativedelta_months(day, months)


def test_add_months_keeps_within_the_month() -> None:
    assert add_months(dt.date(2020, 1, 31), 1) == dt.date(2020, 2, 29)
    assert add_months(dt.date(2019, 3, 31), -1) == dt.date(2019, 2, 28)
    assert add_months(dt.date(9999, 6, 1), 12) == dt.date.max
    assert add_months(dt.date(1, 6, 1), -12) == dt.date.min


# Every kind of date an entry can carry: days, minutes, weeks, months, "about", years, ranges
# and open-ended ones, so that all three tiers of the index are exercised.
EXPRESSIONS = (
    "{d}",
    "{d}T10:30",
    "{d}/{w}",
    "{m}",
    "about {m}",
    "about {d}",
    "{y}",
    "{y}/{y2}",
    "{y}/{y10}",
    "before {d}",
    "after {m}",
)


@st.composite
def entries(draw: st.DrawFn) -> list[EntryRecord]:
    found = []
    for index in range(draw(st.integers(0, 40))):
        day = dt.date(2018, 1, 1) + dt.timedelta(days=draw(st.integers(0, 4 * 365)))
        form = draw(st.sampled_from(EXPRESSIONS))
        expression = form.format(
            d=day.isoformat(),
            w=(day + dt.timedelta(days=6)).isoformat(),
            m=f"{day:%Y-%m}",
            y=day.year,
            y2=day.year + 1,
            y10=day.year + 10,
        )
        doc = {
            "id": f"e{index}",
            "date": expression,
            "kind": "note",
            "summary": "Fictional.",
            "source": {"agency": "Test"},
        }
        found.append(entry_record(doc, index))
    return found


_days = st.dates(dt.date(2017, 6, 1), dt.date(2023, 6, 1))
spans = st.one_of(
    st.tuples(_days, st.integers(0, 400)).map(lambda s: (s[0], s[0] + dt.timedelta(days=s[1]))),
    _days.map(lambda day: (dt.date.min, day)),  # "everything up to": history before an entry
    _days.map(lambda day: (day, dt.date.max)),
)


def _brute(found: list[EntryRecord], start: dt.date, end: dt.date) -> list[EntryRecord]:
    return sorted((e for e in found if e.date.could_fall_within(start, end)), key=chrono)


@settings(max_examples=300)
@given(entries(), spans)
def test_date_index_finds_exactly_the_entries_that_may_fall_in_a_span(
    found: list[EntryRecord], span: tuple[dt.date, dt.date]
) -> None:
    index = DateIndex(found)
    expected = _brute(found, *span)
    assert index.may_fall(*span) == expected
    assert index.any_in(*span) == bool(expected)


@settings(max_examples=300)
@given(entries(), st.lists(spans, max_size=6))
def test_date_index_over_many_spans_is_the_union_of_single_spans(
    found: list[EntryRecord], many: list[tuple[dt.date, dt.date]]
) -> None:
    expected = {e.id: e for span in many for e in _brute(found, *span)}
    assert DateIndex(found).may_fall_any(many) == sorted(expected.values(), key=chrono)
