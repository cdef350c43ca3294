"""Rule 11: separation, coercive control and physical or sexual abuse close together."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    Facts,
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
            controlling = [e for e in entries if "coercive_control" in e.tags]
            violent = [e for e in entries if e.tags & VIOLENCE]
            for separation in (e for e in entries if e.kind == "separation"):
                pairs = [
                    (c, v)
                    for c in controlling
                    for v in violent
                    if months_span_possible([separation, c, v], months)
                ]
                if not pairs:
                    continue
                evidence = {e for pair in pairs for e in pair}
                text = (
                    f"In the relationship between {facts.names(couple)}, a separation "
                    f"in {list_entries([separation])} comes within {months} months of coercive "
                    f"control ({list_entries({c for c, _ in pairs})}) and physical or sexual "
                    f"abuse ({list_entries({v for _, v in pairs})})."
                )
                if not any(months_span_certain([separation, c, v], months) for c, v in pairs):
                    text += uncertainty_note(
                        [separation, *evidence], f"they could fall within {months} months"
                    )
                yield self.flag(text, [separation, *evidence], couple)
