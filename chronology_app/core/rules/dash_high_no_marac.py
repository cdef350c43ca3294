"""Rule 9: a high DASH result and no MARAC referral within a week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import Facts, add_days, list_entries


def yes_answers(assessment: EntryRecord) -> int | None:
    answers = assessment.attributes.get("answers")
    if not isinstance(answers, dict):
        return None
    return sum(1 for answer in answers.values() if answer == "yes")


def score(assessment: EntryRecord) -> int | None:
    value = assessment.attributes.get("score")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def referred(facts: Facts, assessment: EntryRecord, days: int | None) -> bool:
    """A MARAC referral for the assessment's victim (or naming nobody) that may fall from the
    assessment's earliest day to `days` after it (None: any time after)."""
    victims = set(assessment.persons_in("victim"))
    end = add_days(assessment.date.latest, days) if days is not None else dt.date.max
    referrals = facts.index("marac_referral", partial(facts.kind, "marac_referral"))

    def for_victim(referral: EntryRecord) -> bool:
        named = set(referral.persons_in("victim")) or {p.person for p in referral.persons}
        return not (named and victims and not named & victims)

    return referrals.any_in(assessment.date.earliest, end, assessment.id, where=for_victim)


class DashHighNoMarac(Rule):
    id = "dash-high-no-marac"
    severity = "high"
    title = "High-risk DASH without a MARAC referral"
    suggested_action = "Refer to the MARAC; professional judgement may not lower this."
    basis = "SafeLives: visible high risk (14 or more 'yes' answers)."
    defaults = {"threshold": 14, "window_days": 7}

    def find(self, facts: Facts) -> Iterator[Flag]:
        threshold, days = self.param("threshold"), self.param("window_days")
        for assessment in facts.kind("risk_assessment"):
            yes, points = yes_answers(assessment), score(assessment)
            if not ((yes or 0) >= threshold or (points or 0) >= threshold):
                continue
            if not facts.window_closed(add_days(assessment.date.latest, days)):
                continue
            if referred(facts, assessment, days):
                continue
            result = f"{yes} 'yes' answers" if (yes or 0) >= threshold else f"a score of {points}"
            victims = assessment.persons_in("victim")
            text = (
                f"The risk assessment {list_entries([assessment])}"
                f"{' with ' + facts.names(victims) if victims else ''} has {result}, and no "
                f"MARAC referral follows within {days} days."
            )
            yield self.flag(text, [assessment], victims)
