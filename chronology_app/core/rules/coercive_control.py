"""Rule 13: entries in one relationship tagged with coercive-control behaviours."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.model.vocabulary import COERCIVE_CONTROL_TAGS
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import Facts, join_words, list_entries

CONTROL_TAGS = frozenset(COERCIVE_CONTROL_TAGS)


class CoerciveControl(Rule):
    id = "coercive-control"
    severity = "medium"
    title = "A pattern of controlling or coercive behaviour"
    suggested_action = (
        "Consider the pattern as controlling or coercive behaviour (Serious Crime Act 2015 s76)."
    )
    basis = "Statutory guidance on controlling or coercive behaviour."
    defaults = {"min_entries": 2}

    def find(self, facts: Facts) -> Iterator[Flag]:
        for couple in facts.couples:
            tagged = [e for e in facts.couple_entries(couple) if e.tags & CONTROL_TAGS]
            if len(tagged) < self.param("min_entries"):
                continue
            behaviours = sorted({t for e in tagged for t in e.tags if t in COERCIVE_CONTROL_TAGS})
            text = (
                f"In the relationship between {facts.names(couple)}, {len(tagged)} entries "
                f"record controlling behaviours "
                f"({join_words([b.replace('_', ' ') for b in behaviours])}): "
                f"{list_entries(tagged)}."
            )
            yield self.flag(text, tagged, couple)
