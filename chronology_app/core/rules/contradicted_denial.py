"""Rule 6: a denial of contact, and evidence of contact between the same two people."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    Facts,
    add_days,
    list_entries,
    surely_falls,
    uncertainty_note,
)

CONTACT_KINDS = frozenset({"contact_evidence", "incident", "police_action", "reconciliation"})


def _shows_contact(facts: Facts, entry: EntryRecord, first: str, second: str) -> bool:
    if entry.kind == "online_check":
        finding = entry.attributes.get("finding")
        if not (isinstance(finding, str) and finding.strip()):
            return False
    elif entry.kind not in CONTACT_KINDS:
        return False
    named = {link.person for link in entry.persons}
    if entry.kind == "reconciliation":
        named.update(facts.relationship_partners(entry))
    return first in named and second in named


class ContradictedDenial(Rule):
    id = "contradicted-denial"
    severity = "high"
    title = "A denial of contact is contradicted by other entries"
    suggested_action = (
        "Discuss the contradiction openly with the parent; review the risk assessment."
    )
    basis = (
        "Serious case reviews; internet checks that contradicted denials of contact with "
        "dangerous ex-partners."
    )
    defaults = {"window_days": 180}

    def find(self, facts: Facts) -> Iterator[Flag]:
        days = self.param("window_days")
        # Denials by the same person about the same person whose windows overlap are one
        # flag: a parent who repeats the denial while contact goes on is one contradiction.
        by_pair: dict[tuple[str, str], list[EntryRecord]] = {}
        for denial in facts.kind("denial"):
            for subject in dict.fromkeys(denial.persons_in("subject")):
                for other in dict.fromkeys(denial.persons_in("about")):
                    if subject != other:
                        by_pair.setdefault((subject, other), []).append(denial)
        for (subject, other), denials in sorted(by_pair.items()):
            pair = (subject, other) if subject < other else (other, subject)
            together = facts.index(f"couple:{pair}", partial(facts.couple_entries, pair))
            for group in self._overlapping(denials, days):
                start = add_days(group[0].date.earliest, -days)
                end = add_days(max(d.date.latest for d in group), days)
                ids = {d.id for d in group}
                contact = [
                    entry
                    for entry in together.may_fall(start, end)
                    if entry.id not in ids and _shows_contact(facts, entry, subject, other)
                ]
                if not contact:
                    continue
                text = (
                    f"{facts.name(subject)} denied contact with {facts.name(other)} "
                    f"in {list_entries(group)}, but entries within {days} days show "
                    f"contact between them: {list_entries(contact)}."
                )
                if not any(surely_falls(e.date, start, end) for e in contact):
                    text += uncertainty_note(
                        [*group, *contact], f"they could fall within {days} days"
                    )
                yield self.flag(text, [*group, *contact], [subject, other])

    @staticmethod
    def _overlapping(denials: list[EntryRecord], days: int) -> list[list[EntryRecord]]:
        groups: list[list[EntryRecord]] = []
        reach = None
        for denial in denials:  # already in date order
            start = add_days(denial.date.earliest, -days)
            if groups and reach is not None and start <= reach:
                groups[-1].append(denial)
            else:
                groups.append([denial])
            end = add_days(denial.date.latest, days)
            reach = end if reach is None or not groups[-1][:-1] else max(reach, end)
        return groups
