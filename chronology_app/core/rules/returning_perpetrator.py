"""Rule 1: a relationship starts or resumes with a person who has a DA history."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    Facts,
    in_cases,
    list_entries,
    surely_precedes,
    uncertainty_note,
)


def joined_verb(joinings: Sequence[EntryRecord]) -> str:
    kinds = {joining.kind for joining in joinings}
    if kinds == {"reconciliation"}:
        return "resumed a relationship"
    if kinds == {"relationship_start"}:
        return "started a relationship"
    return "started and resumed a relationship"


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
        # One flag per partner and person joined to them, naming every such joining: each new
        # reconciliation is new evidence, so a dismissed flag comes back with it.
        for back in facts.returning_partners:
            person = facts.name(back.person)
            text = (
                f"{facts.names(back.others) or 'A partner'} {joined_verb(back.joinings)} with "
                f"{person} in {list_entries(back.joinings)}."
            )
            if back.history:
                text += (
                    f" Earlier entries name {person} as alleged perpetrator or as the subject of "
                    f"police or court action: {list_entries(back.history)}."
                )
            if back.elsewhere:
                cases = sorted({found.case_reference for found in back.elsewhere})
                text += (
                    f" {person} is confirmed as the same person as someone with a domestic-abuse "
                    f"history in {in_cases(cases)}."
                )
            last = back.joinings[-1]
            if not all(surely_precedes(h, last) for h in back.history):
                text += uncertainty_note(
                    [*back.joinings, *back.history], "the history could come first"
                )
            yield self.flag(text, [*back.joinings, *back.history], [back.person, *back.others])
