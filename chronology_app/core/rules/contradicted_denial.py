"""Rule 6: a denial of contact, and evidence of contact between the same two people."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    Facts,
    add_days,
    list_entries,
    may_fall,
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
        for denial in facts.kind("denial"):
            start = add_days(denial.date.earliest, -days)
            end = add_days(denial.date.latest, days)
            for subject in dict.fromkeys(denial.persons_in("subject")):
                for other in dict.fromkeys(denial.persons_in("about")):
                    contact = [
                        entry
                        for entry in facts.entries
                        if entry.id != denial.id
                        and may_fall(entry.date, start, end)
                        and _shows_contact(facts, entry, subject, other)
                    ]
                    if not contact:
                        continue
                    text = (
                        f"{facts.name(subject)} denied contact with {facts.name(other)} "
                        f"in {list_entries([denial])}, but entries within {days} days show "
                        f"contact between them: {list_entries(contact)}."
                    )
                    if not any(surely_falls(e.date, start, end) for e in contact):
                        text += uncertainty_note(
                            [denial, *contact], f"they could fall within {days} days"
                        )
                    yield self.flag(text, [denial, *contact], [subject, other])
