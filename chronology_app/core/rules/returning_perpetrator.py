"""Rule 1: a relationship starts or resumes with a person who has a DA history."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    PARTNER_KINDS,
    Facts,
    list_entries,
    surely_precedes,
    uncertainty_note,
)


class ReturningPerpetrator(Rule):
    id = "returning-perpetrator"
    severity = "high"
    title = "A partner with a history of domestic abuse is back in the family"
    suggested_action = (
        "Re-run the risk assessment, review the plan, and consider a DVDS application."
    )
    basis = (
        "DASH guidance to review after a change of circumstances; the 'trigger' stage of the "
        "homicide timeline; serious case reviews where the partner 'came back'."
    )

    def find(self, facts: Facts) -> Iterator[Flag]:
        for joining in facts.kind(*PARTNER_KINDS):
            partners = facts.relationship_partners(joining)
            for person in partners:
                others = [p for p in partners if p != person]
                history = facts.history_before(person, joining)
                elsewhere = facts.external_history.get(person, ())
                if not history and not elsewhere:
                    continue
                verb = "resumed" if joining.kind == "reconciliation" else "started"
                text = (
                    f"{facts.names(others) or 'A partner'} {verb} a relationship with "
                    f"{facts.name(person)} in {list_entries([joining])}."
                )
                if history:
                    text += (
                        f" Earlier entries name {facts.name(person)} as alleged perpetrator or "
                        f"as the subject of police or court action: {list_entries(history)}."
                    )
                if elsewhere:
                    cases = sorted({reference for reference, _ in elsewhere})
                    text += (
                        f" {facts.name(person)} is confirmed as the same person as someone with "
                        f"a domestic-abuse history in case {', '.join(cases)}."
                    )
                if not all(surely_precedes(h, joining) for h in history):
                    text += uncertainty_note([joining, *history], "the history could come first")
                yield self.flag(text, [joining, *history], [person, *others])
