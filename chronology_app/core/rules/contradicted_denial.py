"""Rule 6: a denial of contact, and evidence of contact between the same two people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    Facts,
    add_days,
    list_entries,
    surely_falls,
    surely_precedes,
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
        by_pair: dict[tuple[str, str], list[EntryRecord]] = {}
        for denial in facts.kind("denial"):
            for subject in dict.fromkeys(denial.persons_in("subject")):
                for other in dict.fromkeys(denial.persons_in("about")):
                    if subject != other:
                        by_pair.setdefault((subject, other), []).append(denial)
        for (subject, other), denials in sorted(by_pair.items()):
            pair = (subject, other) if subject < other else (other, subject)
            together = facts.index(f"couple:{pair}", partial(facts.couple_entries, pair))
            separations = [e for e in facts.couple_entries(pair) if e.kind == "separation"]
            # Each denial with the contact that contradicts it; denials of the same pair whose
            # contact overlaps make one flag (a denial repeated while contact goes on).
            found: list[tuple[EntryRecord, list[EntryRecord]]] = []
            for denial in denials:
                start, end = self._window(denial, separations, days)
                contact = [
                    entry
                    for entry in together.may_fall(start, end)
                    if entry.id != denial.id and _shows_contact(facts, entry, subject, other)
                ]
                if contact:
                    found.append((denial, contact))
            for group in self._overlapping(found):
                named = [denial for denial, _ in group]
                contact = list({e.id: e for _, hits in group for e in hits}.values())
                text = (
                    f"{facts.name(subject)} denied contact with {facts.name(other)} "
                    f"in {list_entries(named)}, but entries show contact between them within "
                    f"{days} days: {list_entries(contact)}."
                )
                certain = any(
                    surely_falls(e.date, *self._window(denial, separations, days))
                    for denial, hits in group
                    for e in hits
                )
                if not certain:
                    text += uncertainty_note(
                        [*named, *contact], f"they could fall within {days} days"
                    )
                yield self.flag(text, [*named, *contact], [subject, other])

    @staticmethod
    def _window(
        denial: EntryRecord, separations: list[EntryRecord], days: int
    ) -> tuple[dt.date, dt.date]:
        """Contact counts up to `days` after the denial, and before it back to `days` earlier
        but not before the couple's last recorded separation: the incident that ended the
        relationship does not contradict a later "no contact since"."""
        start = add_days(denial.date.earliest, -days)
        before = [s for s in separations if surely_precedes(s, denial)]
        if before:
            start = max(start, add_days(max(s.date.latest for s in before), 1))
        return start, add_days(denial.date.latest, days)

    @staticmethod
    def _overlapping(
        found: list[tuple[EntryRecord, list[EntryRecord]]],
    ) -> list[list[tuple[EntryRecord, list[EntryRecord]]]]:
        groups: list[list[tuple[EntryRecord, list[EntryRecord]]]] = []
        seen: set[str] = set()
        for denial, contact in found:
            ids = {e.id for e in contact}
            if groups and ids & seen:
                groups[-1].append((denial, contact))
                seen |= ids
            else:
                groups.append([(denial, contact)])
                seen = set(ids)
        return groups
