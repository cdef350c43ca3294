"""Rule 2: a disclosure names nobody as alleged perpetrator."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import Facts, list_entries


class UnnamedPerpetrator(Rule):
    id = "unnamed-perpetrator"
    severity = "medium"
    title = "Domestic abuse disclosed without the alleged perpetrator named"
    suggested_action = (
        "Ask, and record the names, dates of birth and aliases of the alleged perpetrators."
    )
    basis = (
        "Reviews finding that a disclosed 'history of domestic abuse' was never followed by names."
    )

    def find(self, facts: Facts) -> Iterator[Flag]:
        for disclosure in facts.kind("disclosure"):
            if disclosure.persons_in("alleged_perpetrator"):
                continue
            who = disclosure.persons_in("discloser", "victim")
            text = (
                f"In {list_entries([disclosure])} "
                f"{facts.names(who) if who else 'someone'} disclosed domestic abuse, but the "
                "entry names nobody as the alleged perpetrator."
            )
            children = self._children_by_then(facts, disclosure)
            severity = None
            if children:
                severity = "high"
                text += (
                    f" A child lives in the family ({facts.names(children)}), so this is "
                    "marked high."
                )
            yield self.flag(text, [disclosure], [*who, *children], severity=severity)

    @staticmethod
    def _children_by_then(facts: Facts, disclosure: EntryRecord) -> list[str]:
        """Children in the case who may have been born by the time of the disclosure."""
        born = []
        for child in facts.children:
            birth = facts.case.person_by_id[child].date_of_birth
            if birth is None or birth.earliest <= disclosure.date.latest:
                born.append(child)
        return born
