"""Rule 11: separation, coercive control and physical or sexual abuse close together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence

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
            spans: list[tuple[dt.date, dt.date]] = []
            certain = False
            for separation in (e for e in entries if e.kind == "separation"):
                start = add_months(separation.date.earliest, -months)
                end = add_months(separation.date.latest, months)
                span = (start, end)
                if not self._cluster(separation, controlling, violent, span, months_span_possible):
                    continue
                separations.append(separation)
                spans.append(span)
                certain = certain or self._cluster(
                    separation, controlling, violent, span, months_span_certain
                )
            # Name every controlling and violent entry within the span of these separations.
            found_c = controlling.may_fall_any(spans)
            found_v = violent.may_fall_any(spans)
            if not separations:
                continue
            text = (
                f"In the relationship between {facts.names(couple)}, separation "
                f"({list_entries(separations)}) comes within {months} months of coercive "
                f"control ({list_entries(found_c)}) and physical or sexual abuse "
                f"({list_entries(found_v)})."
            )
            evidence = [*separations, *found_c, *found_v]
            if not certain:
                text += uncertainty_note(evidence, f"they could fall within {months} months")
            yield self.flag(text, evidence, couple)

    def _cluster(
        self,
        separation: EntryRecord,
        controlling: DateIndex,
        violent: DateIndex,
        span: tuple[dt.date, dt.date],
        fits: Callable[[Sequence[EntryRecord], int], bool],
    ) -> bool:
        """Whether controlling and violent entries near the separation (within its span) fit
        one window of `window_months` with it; stops at the first pair found."""
        months = self.param("window_months")
        return any(
            fits([separation, c, v], months)
            for c in controlling.candidates(*span)
            for v in violent.candidates(*span)
        )
