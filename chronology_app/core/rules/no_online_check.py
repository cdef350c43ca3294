"""Rule 20: an assessment in a case with DA events, with no online check shortly before."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import Facts, add_days, list_entries, may_fall, may_precede


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
        checks = facts.kind("online_check")
        for assessment in facts.kind("assessment"):
            if not any(may_precede(e, assessment) for e in facts.da_events):
                continue
            start = add_days(assessment.date.earliest, -days)
            if any(may_fall(c.date, start, assessment.date.latest) for c in checks):
                continue
            text = (
                f"The assessment {list_entries([assessment])} was made in a case with "
                f"domestic-abuse events, and no online check is recorded in the {days} days "
                "before it."
            )
            yield self.flag(text, [assessment], assessment.persons_in("subject"))
