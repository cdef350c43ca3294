"""Rule 4: a relationship with a person with a DA history, and no DVDS step soon after."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    PARTNER_KINDS,
    Facts,
    add_days,
    list_entries,
    may_fall,
)


class DvdsNotConsidered(Rule):
    id = "dvds-not-considered"
    severity = "high"
    title = "No Clare's Law (DVDS) step after a relationship with a person with a DA history"
    suggested_action = (
        "Consider a DVDS (Clare's Law) Right to Ask application with the person at risk."
    )
    basis = "Domestic Violence Disclosure Scheme (Clare's Law)."
    defaults = {"window_days": 28}

    def find(self, facts: Facts) -> Iterator[Flag]:
        days = self.param("window_days")
        for joining in facts.kind(*PARTNER_KINDS):
            partners = facts.relationship_partners(joining)
            end = add_days(joining.date.latest, days)
            if not facts.window_closed(end):
                continue
            answered = any(
                may_fall(dvds.date, joining.date.earliest, end)
                and (not dvds.persons or any(dvds.names(p) for p in partners))
                for dvds in facts.kind("dvds")
            )
            if answered:
                continue
            for person in partners:
                history = facts.history_before(person, joining)
                if not history and not facts.external_history.get(person):
                    continue
                at_risk = [p for p in partners if p != person]
                text = (
                    f"{facts.names(at_risk) or 'A partner'} and {facts.name(person)} "
                    f"{'resumed' if joining.kind == 'reconciliation' else 'started'} a "
                    f"relationship in {list_entries([joining])}, and {facts.name(person)} has a "
                    f"domestic-abuse history"
                    + (f" ({list_entries(history)})" if history else " in another case")
                    + f". No DVDS entry follows within {days} days."
                )
                yield self.flag(text, [joining, *history], [*at_risk, person])
