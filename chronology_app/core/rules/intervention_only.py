"""Rule 17: after a DA event, the only responses are interventions such as a group programme."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from chronology_app.core.dates import format_day
from chronology_app.core.model.vocabulary import kinds_in
from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Finding, Rule
from chronology_app.core.rules.facts import Facts, add_days, list_entries

SAFETY_KINDS = tuple(sorted(kinds_in("safety_response")))


def _not(event: EntryRecord, entry: EntryRecord) -> bool:
    return entry is not event


class InterventionOnly(Rule):
    id = "intervention-only"
    severity = "medium"
    title = "A programme was the only response to domestic abuse"
    suggested_action = (
        "Attendance at a programme is not evidence of reduced risk: plan safety and assess risk."
    )
    basis = "Review findings of over-reliance on a single programme; perpetrator-pattern practice."
    defaults = {"window_days": 90}

    def find(self, facts: Facts) -> Iterator[Finding]:
        days = self.param("window_days")
        interventions = facts.index("interventions", lambda: facts.kind("intervention"))
        safety = facts.index("safety", lambda: facts.kind(*SAFETY_KINDS))
        for event in facts.da_events:
            start, end = event.date.earliest, add_days(event.date.latest, days)
            if not interventions.any_in(start, end, event.id):
                continue  # no programme: not the pattern this rule looks for
            response = safety.first(start, end, partial(_not, event))
            if response is not None:
                yield self.answered(event, response, end)
                continue
            responses = [i for i in interventions.may_fall(start, end) if i.id != event.id]
            if not facts.window_closed(end):
                yield self.due(
                    event,
                    end,
                    f"Safety plan, risk assessment or referral to record by {format_day(end)}: "
                    f"after the domestic-abuse event {list_entries([event])}, the only responses "
                    f"so far are interventions: {list_entries(responses)}.",
                )
                continue
            text = (
                f"After the domestic-abuse event {list_entries([event])}, the only responses "
                f"recorded within {days} days are interventions: {list_entries(responses)}. "
                "There is no safety plan, risk assessment, referral, MARAC referral or DVDS."
            )
            people = [*event.persons_in("victim"), *event.persons_in("alleged_perpetrator")]
            yield self.flag(text, [event, *responses], people)
