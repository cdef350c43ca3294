"""Rule 3: one person is alleged perpetrator against two or more different victims."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import Facts, in_cases, list_entries

KINDS = frozenset({"incident", "disclosure", "police_action", "court_order"})
SUBJECT_IS_PERPETRATOR = frozenset({"police_action", "court_order"})


class SerialPerpetrator(Rule):
    id = "serial-perpetrator"
    severity = "high"
    title = "Alleged perpetrator against more than one victim"
    suggested_action = "Share with the police and the MARAC; consider a DVDS Right to Know."
    basis = "ACPO (2009) definition of a serial perpetrator; DVDS disclosable information."
    defaults = {"min_victims": 2}

    def find(self, facts: Facts) -> Iterator[Flag]:
        victims: dict[str, dict[str, list[EntryRecord]]] = defaultdict(lambda: defaultdict(list))
        for entry in facts.entries:
            if entry.kind not in KINDS:
                continue
            perpetrators = set(entry.persons_in("alleged_perpetrator"))
            if entry.kind in SUBJECT_IS_PERPETRATOR:
                perpetrators.update(entry.persons_in("subject"))
            for perpetrator in perpetrators:
                for victim in entry.persons_in("victim"):
                    if victim != perpetrator:
                        victims[perpetrator][victim].append(entry)
        for perpetrator in sorted(set(victims) | set(facts.external_history)):
            by_victim = victims.get(perpetrator, {})
            # Victims in other cases: ones confirmed as the same person as a victim here are
            # that person (counted once); others are counted as themselves.
            elsewhere = [
                found
                for found in facts.external_history.get(perpetrator, ())
                if found.entry.kind in KINDS and found.victims
            ]
            outside = {v for found in elsewhere for v in found.victims if v not in by_victim}
            count = len(by_victim) + len(outside)
            if count < self.param("min_victims") or not by_victim:
                continue
            parts = [
                f"{facts.name(victim)} ({list_entries(entries)})"
                for victim, entries in sorted(by_victim.items())
            ]
            text = (
                f"The entries name {facts.name(perpetrator)} as alleged perpetrator against "
                f"{count} different victims: {'; '.join(parts)}."
            )
            if outside:
                cases = sorted({found.case_reference for found in elsewhere})
                text += (
                    f" {len(outside)} more in {in_cases(cases)}, where "
                    f"{facts.name(perpetrator)} is confirmed as the same person."
                )
            evidence = [entry for entries in by_victim.values() for entry in entries]
            yield self.flag(text, evidence, [perpetrator, *sorted(by_victim)])
