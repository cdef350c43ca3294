"""Rule 12: a DA event during a pregnancy or in the year after a birth."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from chronology_app.core.dates import parse_expression
from chronology_app.core.errors import InvalidDate
from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    Facts,
    add_months,
    list_entries,
    may_fall,
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
        for anchor, start, end, wording in periods:
            events = [e for e in facts.da_events if may_fall(e.date, start, end)]
            if not events:
                continue
            victims = sorted({v for e in events for v in e.persons_in("victim")})
            against = f" against {facts.names(victims)}" if victims else ""
            text = (
                f"Domestic abuse{against} is recorded {wording} (recorded in "
                f"{list_entries([anchor])}): {list_entries(events)}."
            )
            if not any(surely_falls(e.date, start, end) for e in events):
                text += uncertainty_note([anchor, *events], "they could fall in that time")
            persons: list[str] = [
                *anchor.persons_in("subject"),
                *(v for e in events for v in e.persons_in("victim")),
            ]
            yield self.flag(text, [anchor, *events], persons)

    @staticmethod
    def _whose(facts: Facts, anchor: EntryRecord) -> str:
        subjects = anchor.persons_in("subject")
        return f"{facts.names(subjects)}'s " if subjects else "a "
