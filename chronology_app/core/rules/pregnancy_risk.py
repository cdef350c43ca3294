"""Rule 12: a DA event during a pregnancy or in the year after a birth."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from chronology_app.core.dates import parse_expression
from chronology_app.core.errors import InvalidDate
from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    DateIndex,
    Facts,
    add_months,
    join_words,
    list_entries,
    surely_falls,
    uncertainty_note,
)


def pregnancy_end(facts: Facts, pregnancy: EntryRecord) -> dt.date:
    """The due date if recorded, else the next birth, else nine months on."""
    due = pregnancy.attributes.get("due")
    if isinstance(due, str):
        try:
            return parse_expression(due).latest
        except InvalidDate:
            pass
    later_births = [b for b in facts.kind("birth") if b.date.earliest >= pregnancy.date.earliest]
    if later_births:
        return later_births[0].date.latest
    return add_months(pregnancy.date.latest, 9)


class PregnancyRisk(Rule):
    id = "pregnancy-risk"
    severity = "medium"
    title = "Domestic abuse during pregnancy or in a baby's first year"
    suggested_action = "Make sure midwifery and health visiting know; review the plan."
    basis = "DASH question on pregnancy and a new baby."
    defaults = {"months_after_birth": 12}

    def find(self, facts: Facts) -> Iterator[Flag]:
        months = self.param("months_after_birth")
        periods = [
            (
                p,
                p.date.earliest,
                pregnancy_end(facts, p),
                f"during {self._whose(facts, p)}pregnancy",
            )
            for p in facts.kind("pregnancy")
        ] + [
            (
                b,
                b.date.earliest,
                add_months(b.date.latest, months),
                f"within {months} months of {self._whose(facts, b)}birth",
            )
            for b in facts.kind("birth")
        ]
        # Overlapping periods (a pregnancy and the year after an earlier birth, say) make one
        # flag, so a long chronology gives one prompt per stretch of time, not one per child.
        periods.sort(key=lambda period: (period[1], period[2], period[0].id))
        groups: list[list[tuple[EntryRecord, dt.date, dt.date, str]]] = []
        for period in periods:
            if groups and period[1] <= max(p[2] for p in groups[-1]):
                groups[-1].append(period)
            else:
                groups.append([period])
        da = facts.index("da", lambda: facts.da_events)
        for group in groups:
            start, end = group[0][1], max(p[2] for p in group)
            events = DateIndex(da.may_fall(start, end))
            found = [(p, events.may_fall(p[1], p[2])) for p in group]
            found = [(p, hits) for p, hits in found if hits]
            if not found:
                continue
            anchors = [p[0] for p, _ in found]
            all_events = list({e.id: e for _, hits in found for e in hits}.values())
            victims = sorted({v for e in all_events for v in e.persons_in("victim")})
            against = f" against {facts.names(victims)}" if victims else ""
            when = join_words([f"{p[3]} (recorded in {list_entries([p[0]])})" for p, _ in found])
            text = f"Domestic abuse{against} is recorded {when}: {list_entries(all_events)}."
            if not any(surely_falls(e.date, p[1], p[2]) for p, hits in found for e in hits):
                text += uncertainty_note([*anchors, *all_events], "they could fall in that time")
            persons: list[str] = [
                *(s for a in anchors for s in a.persons_in("subject")),
                *victims,
            ]
            yield self.flag(text, [*anchors, *all_events], persons)

    @staticmethod
    def _whose(facts: Facts, anchor: EntryRecord) -> str:
        subjects = anchor.persons_in("subject")
        return f"{facts.names(subjects)}'s " if subjects else "a "
