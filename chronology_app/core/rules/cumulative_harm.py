"""Rule 14: domestic abuse together with parental substance misuse and mental health needs."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import Facts, list_entries

PARENT_ROLES = frozenset({"parent", "carer", "partner"})


class CumulativeHarm(Rule):
    id = "cumulative-harm"
    severity = "medium"
    title = "Domestic abuse with parental substance misuse and mental health needs"
    suggested_action = "Assess the combined effect on the child."
    basis = "Case-review evidence on co-occurring parental factors."

    def find(self, facts: Facts) -> Iterator[Flag]:
        substance = self._parental(facts, "substance_misuse")
        mental = self._parental(facts, "mental_health")
        abuse = facts.da_events or [e for e in facts.entries if "domestic_abuse" in e.tags]
        if not (substance and mental and abuse):
            return
        parents = sorted({p for e in substance + mental for p in self._parents_named(facts, e)})
        text = (
            f"The case records domestic abuse in {list_entries(abuse[:3])}"
            f"{' and others' if len(abuse) > 3 else ''}, together with parental substance "
            f"misuse in {list_entries(substance)} and parental mental health needs in "
            f"{list_entries(mental)}, concerning {facts.names(parents)}."
        )
        yield self.flag(text, [*abuse, *substance, *mental], parents)

    def _parental(self, facts: Facts, tag: str) -> list[EntryRecord]:
        return [e for e in facts.entries if tag in e.tags and self._parents_named(facts, e)]

    @staticmethod
    def _parents_named(facts: Facts, entry: EntryRecord) -> list[str]:
        return [
            link.person
            for link in entry.persons
            if link.person in facts.case.person_by_id
            and PARENT_ROLES & set(facts.case.person_by_id[link.person].roles)
        ]
