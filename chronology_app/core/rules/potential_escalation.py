"""Rule 7: three or more DA events involving the same victim within twelve months."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    Facts,
    list_entries,
    months_span_certain,
    possible_runs,
    uncertainty_note,
)


class PotentialEscalation(Rule):
    id = "potential-escalation"
    severity = "high"
    title = "Repeated domestic abuse against the same person (potential escalation)"
    suggested_action = "Consider a MARAC referral on the potential-escalation criterion."
    basis = "SafeLives MARAC referral criteria (local variants: 3 in 6 months)."
    defaults = {"min_events": 3, "window_months": 12}

    def find(self, facts: Facts) -> Iterator[Flag]:
        count, months = self.param("min_events"), self.param("window_months")
        for victim in sorted(facts.victim_events):
            events = facts.victim_events[victim]
            for group in possible_runs(events, count, months):
                text = (
                    f"The entries show {len(group)} domestic-abuse events against "
                    f"{facts.name(victim)} with {count} or more within {months} months: "
                    f"{list_entries(group)}."
                )
                if not months_span_certain(group[:count], months):
                    text += uncertainty_note(group, f"they could fall within {months} months")
                yield self.flag(text, group, [victim])
