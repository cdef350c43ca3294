"""Rule 6: a denial of contact, and evidence of contact between the same two people."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator

from chronology_app.core.model.vocabulary import kinds_in
from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    DateIndex,
    Facts,
    SpanCover,
    add_days,
    group_by_spans,
    list_entries,
    surely_precedes,
    uncertainty_note,
)

CONTACT_KINDS = kinds_in("contact")


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
            contact = DateIndex(
                e for e in facts.couple_entries(pair) if _shows_contact(facts, e, subject, other)
            )
            windows = _Windows(facts, pair, days)
            # The denials that contact contradicts; those whose windows overlap make one flag
            # (a denial repeated while contact goes on).
            spans = {d.id: windows.of(d) for d in denials}
            contradicted = [d for d in denials if contact.any_in(*spans[d.id])]
            for _, named in group_by_spans(contradicted, [spans[d.id] for d in contradicted]):
                shown = contact.may_fall_any(spans[d.id] for d in named)
                text = (
                    f"{facts.name(subject)} denied contact with {facts.name(other)} "
                    f"in {list_entries(named)}, but entries show contact between them within "
                    f"{days} days: {list_entries(shown)}."
                )
                if not _any_surely_within(shown, [spans[d.id] for d in named]):
                    text += uncertainty_note(
                        [*named, *shown], f"they could fall within {days} days"
                    )
                yield self.flag(text, [*named, *shown], [subject, other])


def _any_surely_within(entries: list[EntryRecord], spans: list[tuple[dt.date, dt.date]]) -> bool:
    """Whether some entry is surely within one of the spans."""
    cover = SpanCover(spans)
    return any(cover.holds(e.date) for e in entries)


class _Windows:
    """Contact counts up to `days` after the denial, and before it back to `days` earlier
    but not before the couple's last recorded separation: the incident that ended the
    relationship does not contradict a later "no contact since"."""

    def __init__(self, facts: Facts, pair: tuple[str, str], days: int) -> None:
        self._days = days
        self._separations = sorted(
            (e for e in facts.couple_entries(pair) if e.kind == "separation"),
            key=lambda e: e.date.latest,
        )
        self._ends = [s.date.latest for s in self._separations]

    def of(self, denial: EntryRecord) -> tuple[dt.date, dt.date]:
        start = add_days(denial.date.earliest, -self._days)
        # Separations surely before the denial: those ending before its earliest day, and
        # those recorded earlier on the same (exact) day.
        last = None
        before = bisect.bisect_left(self._ends, denial.date.earliest)
        if before:
            last = self._ends[before - 1]
        for index in range(before, len(self._separations)):
            separation = self._separations[index]
            if separation.date.latest != denial.date.earliest:
                break
            if surely_precedes(separation, denial):
                last = separation.date.latest
        if last is not None:
            start = max(start, add_days(last, 1))
        return start, add_days(denial.date.latest, self._days)
