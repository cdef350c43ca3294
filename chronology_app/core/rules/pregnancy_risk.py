"""Rule 12: a DA event during a pregnancy or within a year of a birth in the family."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from chronology_app.core.dates import parse_expression
from chronology_app.core.errors import InvalidDate
from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    DateIndex,
    Facts,
    add_days,
    add_months,
    join_words,
    list_entries,
    short_date,
    surely_falls,
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
        for period in periods:
            if groups and period.start <= max(p.end for p in groups[-1]):
                groups[-1].append(period)
            else:
                groups.append([period])
        da = facts.index("da", lambda: facts.da_events)
        for group in groups:
            events = DateIndex(da.may_fall(group[0].start, max(p.end for p in group)))
            found = [(p, self._events(p, events, facts)) for p in group]
            found = [(p, hits) for p, hits in found if hits]
            if not found:
                continue
            anchors = [p.anchor for p, _ in found if p.anchor is not None]
            all_events = list({e.id: e for _, hits in found for e in hits}.values())
            victims = sorted({v for e in all_events for v in e.persons_in("victim")})
            against = f" against {facts.names(victims)}" if victims else ""
            when = join_words([p.wording for p, _ in found])
            text = f"Domestic abuse{against} is recorded {when}: {list_entries(all_events)}."
            if not any(surely_falls(e.date, p.start, p.end) for p, hits in found for e in hits):
                text += uncertainty_note([*anchors, *all_events], "they could fall in that time")
            persons = [s for a in anchors for s in a.persons_in("subject")] + victims
            yield self.flag(text, [*anchors, *all_events], persons)

    @staticmethod
    def _events(period: _Period, events: DateIndex, facts: Facts) -> list[EntryRecord]:
        hits = events.may_fall(period.start, period.end)
        adults = [p for p in period.family if p not in facts.children]
        if not adults:
            return hits
        return [e for e in hits if any(e.names(p) for p in period.family)]

    def _pregnancies(self, facts: Facts) -> list[_Period]:
        periods = []
        births = facts.kind("birth")
        for pregnancy in facts.kind("pregnancy"):
            mothers = pregnancy.persons_in("subject")
            due = _due(pregnancy)
            start, end = pregnancy.date.earliest, add_months(pregnancy.date.latest, 9)
            if due is not None:
                # The entry says when the pregnancy became known; it began about 40 weeks
                # before the due date.
                start, end = min(start, add_days(due, -PREGNANCY_DAYS)), due
            else:
                later = [b for b in births if b.date.earliest >= pregnancy.date.earliest]
                if later:
                    end = later[0].date.latest
            whose = f"{facts.names(mothers)}'s " if mothers else "a "
            wording = f"during {whose}pregnancy (recorded in {list_entries([pregnancy])})"
            periods.append(_Period(pregnancy, start, end, wording, frozenset(mothers)))
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
                family.update(self._parents(facts, child))
            whose = f"{facts.names(children)}'s " if children else "a "
            wording = (
                f"within {months} months of {whose}birth (recorded in {list_entries([birth])})"
            )
            end = add_months(birth.date.latest, months)
            periods.append(_Period(birth, birth.date.earliest, end, wording, frozenset(family)))
        for person in facts.case.persons:
            born = person.date_of_birth
            if not person.is_child or born is None or person.id in recorded:
                continue
            if born.earliest == dt.date.min or born.latest == dt.date.max:
                continue
            family = {person.id, *self._parents(facts, person.id)}
            wording = (
                f"within {months} months of {facts.name(person.id)}'s birth "
                f"(born {short_date(born)})"
            )
            end = add_months(born.latest, months)
            periods.append(_Period(None, born.earliest, end, wording, frozenset(family)))
        return periods

    @staticmethod
    def _parents(facts: Facts, child: str) -> list[str]:
        return [
            r.persons[0]
            for r in facts.case.relationships
            if r.kind == "parent_child" and r.persons[1] == child
        ]
