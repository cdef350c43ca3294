"""Rule 11: separation, coercive control and physical or sexual abuse close together."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    DateIndex,
    Facts,
    add_months,
    list_entries,
    months_span_certain,
    months_span_possible,
    uncertainty_note,
)

VIOLENCE = frozenset({"physical", "sexual"})


class SeparationCluster(Rule):
    id = "separation-cluster"
    severity = "high"
    title = "Separation, coercive control and violence together"
    suggested_action = "Treat as high risk; review the safety plan."
    basis = "The separation / coercive control / violence 'cluster' in local DASH guidance."
    defaults = {"window_months": 12}

    def find(self, facts: Facts) -> Iterator[Flag]:
        months = self.param("window_months")
        for couple in facts.couples:
            entries = facts.couple_entries(couple)
            controlling = DateIndex(e for e in entries if "coercive_control" in e.tags)
            violent = DateIndex(e for e in entries if e.tags & VIOLENCE)
            separations: list[EntryRecord] = []
            found_c: dict[str, EntryRecord] = {}
            found_v: dict[str, EntryRecord] = {}
            certain = False
            for separation in (e for e in entries if e.kind == "separation"):
                start = add_months(separation.date.earliest, -months)
                end = add_months(separation.date.latest, months)
                near_c = controlling.may_fall(start, end)
                near_v = violent.may_fall(start, end)
                cluster = next(
                    (
                        (c, v)
                        for c in near_c
                        for v in near_v
                        if months_span_possible([separation, c, v], months)
                    ),
                    None,
                )
                if cluster is None:
                    continue
                # Name every controlling and violent entry within the span of this separation.
                separations.append(separation)
                found_c.update((c.id, c) for c in near_c)
                found_v.update((v.id, v) for v in near_v)
                certain = certain or months_span_certain([separation, *cluster], months)
            if not separations:
                continue
            text = (
                f"In the relationship between {facts.names(couple)}, separation "
                f"({list_entries(separations)}) comes within {months} months of coercive "
                f"control ({list_entries(found_c.values())}) and physical or sexual abuse "
                f"({list_entries(found_v.values())})."
            )
            evidence = [*separations, *found_c.values(), *found_v.values()]
            if not certain:
                text += uncertainty_note(evidence, f"they could fall within {months} months")
            yield self.flag(text, evidence, couple)
