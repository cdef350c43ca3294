"""Rule 17: after a DA event, the only responses are interventions such as a group programme."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import Facts, add_days, list_entries

SAFETY_KINDS = ("safety_plan", "risk_assessment", "referral", "marac_referral", "dvds")


class InterventionOnly(Rule):
    id = "intervention-only"
    severity = "medium"
    title = "A programme was the only response to domestic abuse"
    suggested_action = (
        "Attendance at a programme is not evidence of reduced risk: plan safety and assess risk."
    )
    basis = "Review findings of over-reliance on a single programme; perpetrator-pattern practice."
    defaults = {"window_days": 90}

    def find(self, facts: Facts) -> Iterator[Flag]:
        days = self.param("window_days")
        interventions = facts.index("interventions", lambda: facts.kind("intervention"))
        safety = facts.index("safety", lambda: facts.kind(*SAFETY_KINDS))
        for event in facts.da_events:
            start, end = event.date.earliest, add_days(event.date.latest, days)
            if not facts.window_closed(end):
                continue
            if not interventions.any_in(start, end, event.id) or safety.any_in(
                start, end, event.id
            ):
                continue
            responses = [i for i in interventions.may_fall(start, end) if i.id != event.id]
            text = (
                f"After the domestic-abuse event {list_entries([event])}, the only responses "
                f"recorded within {days} days are interventions ({list_entries(responses)}): "
                "no safety plan, risk assessment, referral, MARAC referral or DVDS."
            )
            people = [*event.persons_in("victim"), *event.persons_in("alleged_perpetrator")]
            yield self.flag(text, [event, *responses], people)
