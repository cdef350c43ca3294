"""Rule 8: a new high-harm marker, or shrinking gaps between incidents, in one relationship."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from chronology_app.core.model.vocabulary import reading
from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    Facts,
    chrono,
    join_words,
    list_entries,
    surely_precedes,
    uncertainty_note,
)

MARKERS = ("strangulation", "weapon", "threats_to_kill", "injury")


class EscalatingSeverity(Rule):
    id = "escalating-severity"
    severity = "high"
    title = "Incidents may be escalating in severity"
    suggested_action = "Re-run the risk assessment now."
    basis = (
        "SafeLives professional-judgement indicators; the escalation stage of the homicide "
        "timeline."
    )
    defaults = {"min_incidents": 4}

    def find(self, facts: Facts) -> Iterator[Flag]:
        for couple in facts.couples:
            incidents = [e for e in facts.couple_entries(couple) if e.kind == "incident"]
            yield from self._new_markers(facts, couple, incidents)
            yield from self._shrinking_gaps(facts, couple, incidents)

    def _new_markers(
        self, facts: Facts, couple: tuple[str, str], incidents: list[EntryRecord]
    ) -> Iterator[Flag]:
        # Walk the incidents in order, gathering the tags of those surely earlier (their latest
        # day before this one's earliest, or the same day with a lower sequence).
        by_latest = sorted(incidents, key=lambda e: (e.date.latest, e.sequence or 0, e.id))
        same_day: dict[object, list[EntryRecord]] = {}
        for incident in incidents:
            if incident.date.is_exact:
                same_day.setdefault(incident.date.earliest, []).append(incident)
        seen: set[str] = set()
        passed = 0
        for incident in incidents:
            while (
                passed < len(by_latest) and by_latest[passed].date.latest < incident.date.earliest
            ):
                seen |= by_latest[passed].tags
                passed += 1
            before = (
                [
                    e
                    for e in same_day.get(incident.date.earliest, ())
                    if surely_precedes(e, incident)
                ]
                if incident.date.is_exact
                else []
            )
            tags = seen.union(*(e.tags for e in before))
            new = [m for m in MARKERS if m in incident.tags and m not in tags]
            if not new or not (passed or before):
                continue
            earlier = [e for e in incidents if surely_precedes(e, incident)]
            words = join_words([reading(m) for m in new])
            text = (
                f"In the relationship between {facts.names(couple)}, {list_entries([incident])} "
                f"records {words}, which none of the earlier incidents did"
                + (f": {list_entries(earlier)}." if earlier else ".")
            )
            yield self.flag(text, [*earlier, incident], couple)

    def _shrinking_gaps(
        self, facts: Facts, couple: tuple[str, str], incidents: list[EntryRecord]
    ) -> Iterator[Flag]:
        needed = self.param("min_incidents")
        # One incident per day (the first by content), so gaps are between different days.
        first_each_day: dict[object, EntryRecord] = {}
        for incident in sorted(incidents, key=chrono):
            first_each_day.setdefault(incident.date.earliest, incident)
        dated = list(first_each_day.values())
        run: list[EntryRecord] = dated[:2]
        runs = []
        for incident in dated[2:]:
            gap = (incident.date.earliest - run[-1].date.latest).days
            previous = (run[-1].date.earliest - run[-2].date.latest).days
            if gap < previous:
                run.append(incident)
            else:
                runs.append(run)
                run = [run[-1], incident]
        runs.append(run)
        for run in runs:
            if len(run) < needed:
                continue
            # The same measure decides and is shown: from one incident's latest possible day
            # to the next one's earliest.
            gaps = [(b.date.earliest - a.date.latest).days for a, b in itertools.pairwise(run)]
            text = (
                f"In the relationship between {facts.names(couple)}, the gaps between "
                f"{len(run)} successive incidents keep shrinking "
                f"({', '.join(str(g) for g in gaps)} days): {list_entries(run)}."
            )
            text += uncertainty_note(run, "the gaps could be shrinking")
            yield self.flag(text, run, couple)
