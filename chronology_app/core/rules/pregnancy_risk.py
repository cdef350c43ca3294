"""Rule 12: a DA event during a pregnancy or within a year of a birth in the family."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from chronology_app.core.dates import parse_expression
from chronology_app.core.errors import InvalidDate
from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    DateIndex,
    Facts,
    SpanCover,
    add_days,
    add_months,
    chrono,
    join_words,
    list_entries,
    short_date,
    unbracketed,
    uncertainty_note,
)

PREGNANCY_DAYS = 280  # 40 weeks


@dataclass(frozen=True)
class _Period:
    anchor: EntryRecord | None  # the pregnancy or birth entry (None: a child's date of birth)
    start: dt.date
    end: dt.date
    wording: str
    # Whose DA events count: the mother; the child and their parents. When no adult is known
    # (no parent recorded for the child), every DA event in the case counts.
    family: frozenset[str]
    adults: bool  # whether the family names anyone other than a child

    @property
    def counted(self) -> Iterable[str]:
        """Whose DA events count: the family's, or everyone's ("") when it has no adult."""
        return self.family if self.adults else ("",)


def _period(
    facts: Facts,
    anchor: EntryRecord | None,
    start: dt.date,
    end: dt.date,
    wording: str,
    family: Iterable[str],
) -> _Period:
    people = frozenset(family)
    adults = bool(people - facts.child_ids)
    return _Period(anchor, start, end, wording, people, adults)


def _spans_by_person(periods: Iterable[_Period]) -> dict[str, list[tuple[dt.date, dt.date]]]:
    """Per person, the periods whose family includes them ("" for families with no adult,
    where every DA event in the case counts)."""
    spans: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for period in periods:
        for person in period.counted:
            spans[person].append((period.start, period.end))
    return spans


def _da_index(facts: Facts, person: str) -> DateIndex:
    """The DA events naming the person ("": every DA event in the case), indexed by date."""
    if not person:
        return facts.index("da", lambda: facts.da_events)
    return facts.index(f"da-naming:{person}", lambda: facts.da_naming.get(person, []))


def _due(pregnancy: EntryRecord) -> dt.date | None:
    due = pregnancy.attributes.get("due")
    if isinstance(due, str):
        try:
            return parse_expression(due).latest
        except InvalidDate:
            return None
    return None


class PregnancyRisk(Rule):
    id = "pregnancy-risk"
    severity = "medium"
    title = "Domestic abuse during pregnancy or in a baby's first year"
    suggested_action = "Make sure midwifery and health visiting know; review the plan."
    basis = "DASH question on pregnancy and a new baby."
    defaults = {"months_after_birth": 12}

    def find(self, facts: Facts) -> Iterator[Flag]:
        periods = sorted(
            self._pregnancies(facts) + self._births(facts),
            key=lambda p: (p.start, p.end, p.anchor.id if p.anchor else p.wording),
        )
        # Overlapping periods (a pregnancy and the year after an earlier birth) make one flag.
        groups: list[list[_Period]] = []
        reach = dt.date.min
        for period in periods:
            if groups and period.start <= reach:
                groups[-1].append(period)
                reach = max(reach, period.end)
            else:
                groups.append([period])
                reach = period.end
        for group in groups:
            found = [p for p in group if self._any_event(p, facts)]
            if not found:
                continue
            anchors = [p.anchor for p in found if p.anchor is not None]
            events = self._events(found, facts)
            victims = sorted({v for e in events for v in e.persons_in("victim")})
            against = f" against {facts.names(victims)}" if victims else ""
            when = join_words([p.wording for p in found])
            text = f"Domestic abuse{against} is recorded {when}: {list_entries(events)}."
            if not self._any_certain(found, events, facts):
                text += uncertainty_note([*anchors, *events], "they could fall in that time")
            persons = [s for a in anchors for s in a.persons_in("subject")] + victims
            yield self.flag(text, [*anchors, *events], persons)

    # Which DA events count for a period: those that may fall in it and name someone in its
    # family; every DA event in the case when the family has no adult (no parent recorded).
    # Each person has an index of the DA events naming them, so a period is checked by
    # bisection, and the events of many periods are gathered over their merged spans.

    @staticmethod
    def _any_event(period: _Period, facts: Facts) -> bool:
        return any(
            _da_index(facts, person).any_in(period.start, period.end) for person in period.counted
        )

    @staticmethod
    def _events(periods: list[_Period], facts: Facts) -> list[EntryRecord]:
        found: dict[str, EntryRecord] = {}
        for person, spans in _spans_by_person(periods).items():
            found.update((e.id, e) for e in _da_index(facts, person).may_fall_any(spans))
        return sorted(found.values(), key=chrono)

    @staticmethod
    def _any_certain(periods: list[_Period], events: list[EntryRecord], facts: Facts) -> bool:
        """Whether some event surely falls in a period it counts for: per person, the periods
        whose family includes them ("" for the periods of families with no adult)."""
        covers = {person: SpanCover(spans) for person, spans in _spans_by_person(periods).items()}
        anyone = covers.get("")
        return any(
            (anyone is not None and anyone.holds(e.date))
            or any(
                link.person in covers and covers[link.person].holds(e.date) for link in e.persons
            )
            for e in events
        )

    def _pregnancies(self, facts: Facts) -> list[_Period]:
        periods = []
        births = facts.kind("birth")
        birth_days = [birth.date.earliest for birth in births]
        for pregnancy in facts.kind("pregnancy"):
            mothers = pregnancy.persons_in("subject")
            due = _due(pregnancy)
            start, end = pregnancy.date.earliest, add_months(pregnancy.date.latest, 9)
            if due is not None:
                # The entry says when the pregnancy became known; it began about 40 weeks
                # before the due date.
                start, end = min(start, add_days(due, -PREGNANCY_DAYS)), due
            else:
                # Else it lasts until the next recorded birth (or nine months).
                later = bisect.bisect_left(birth_days, pregnancy.date.earliest)
                if later < len(births):
                    end = births[later].date.latest
            whose = f"{facts.names(mothers)}'s " if mothers else "a "
            wording = f"during {whose}pregnancy as recorded in {list_entries([pregnancy])}"
            periods.append(_period(facts, pregnancy, start, end, wording, mothers))
        return periods

    def _births(self, facts: Facts) -> list[_Period]:
        months = self.param("months_after_birth")
        periods = []
        recorded: set[str] = set()
        for birth in facts.kind("birth"):
            children = birth.persons_in("subject")
            recorded.update(children)
            family = {*children, *birth.persons_in("about")}
            for child in children:
                family.update(facts.parents.get(child, ()))
            whose = f"{facts.names(children)}'s " if children else "a "
            wording = (
                f"within {months} months of {whose}birth as recorded in {list_entries([birth])}"
            )
            end = add_months(birth.date.latest, months)
            periods.append(_period(facts, birth, birth.date.earliest, end, wording, family))
        for person in facts.case.persons:
            born = person.date_of_birth
            if not person.is_child or born is None or person.id in recorded:
                continue
            if born.earliest == dt.date.min or born.latest == dt.date.max:
                continue
            family = {person.id, *facts.parents.get(person.id, ())}
            wording = (
                f"within {months} months of {facts.name(person.id)}'s birth "
                f"(born {unbracketed(short_date(born))})"
            )
            end = add_months(born.latest, months)
            periods.append(_period(facts, None, born.earliest, end, wording, family))
        return periods
