"""Rule 7: three or more DA events involving the same victim within twelve months."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    Facts,
    chrono,
    list_entries,
    months_span_certain,
    months_span_possible,
    uncertainty_note,
)


def clusters(events: list[EntryRecord], count: int, months: int) -> list[list[EntryRecord]]:
    """Groups of events in which every event belongs to some run of `count` events that could
    fall within `months` months; overlapping runs are merged into one group."""
    groups: list[list[EntryRecord]] = []
    for start in range(len(events)):
        run = [events[start]]
        for later in events[start + 1 :]:
            if months_span_possible([*run, later], months):
                run.append(later)
        if len(run) < count:
            continue
        if groups and set(run) & set(groups[-1]):
            groups[-1] = sorted(set(groups[-1]) | set(run), key=chrono)
        else:
            groups.append(run)
    return groups


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
            for group in clusters(events, count, months):
                text = (
                    f"The entries show {len(group)} domestic-abuse events against "
                    f"{facts.name(victim)} with {count} or more within {months} months: "
                    f"{list_entries(group)}."
                )
                if not months_span_certain(group[:count], months):
                    text += uncertainty_note(group, f"they could fall within {months} months")
                yield self.flag(text, group, [victim])
