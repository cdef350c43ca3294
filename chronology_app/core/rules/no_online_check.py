"""Rule 20: an assessment in a case with DA events, with no online check shortly before."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import Facts, add_days, list_entries


class NoOnlineCheck(Rule):
    id = "no-online-check"
    severity = "low"
    title = "No internet or social-media check before an assessment"
    suggested_action = (
        "Consider lawful, proportionate internet and social-media checks to triangulate what "
        "parents have said."
    )
    basis = "Serious case review recommendation on internet and social-media checks."
    defaults = {"window_days": 90}

    def find(self, facts: Facts) -> Iterator[Flag]:
        days = self.param("window_days")
        checks = facts.index("online_check", partial(facts.kind, "online_check"))
        first_event = min((e.date.earliest for e in facts.da_events), default=None)
        for assessment in facts.kind("assessment"):
            if first_event is None or first_event > assessment.date.latest:
                continue  # no DA event may come before it
            start = add_days(assessment.date.earliest, -days)
            if checks.any_in(start, assessment.date.latest):
                continue
            text = (
                f"The assessment {list_entries([assessment])} was made in a case with "
                f"domestic-abuse events, and no online check is recorded in the {days} days "
                "before it."
            )
            yield self.flag(text, [assessment], assessment.persons_in("subject"))
