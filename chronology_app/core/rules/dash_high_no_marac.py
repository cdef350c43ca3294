"""Rule 9: a high DASH result and no MARAC referral within a week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial

from chronology_app.core.dates import format_day
from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Finding, Rule
from chronology_app.core.rules.facts import DateIndex, Facts, add_days, list_entries


def yes_answers(assessment: EntryRecord) -> int | None:
    answers = assessment.attributes.get("answers")
    if not isinstance(answers, dict):
        return None
    return sum(1 for answer in answers.values() if answer == "yes")


def score(assessment: EntryRecord) -> int | None:
    value = assessment.attributes.get("score")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _window(assessment: EntryRecord, days: int | None) -> tuple[dt.date, dt.date]:
    end = add_days(assessment.date.latest, days) if days is not None else dt.date.max
    return assessment.date.earliest, end


def _for_victim(assessment: EntryRecord, referral: EntryRecord) -> bool:
    """A referral for the assessment's victim, or one of them naming nobody."""
    victims = set(assessment.persons_in("victim"))
    named = set(referral.persons_in("victim")) or {p.person for p in referral.persons}
    return not (named and victims and not named & victims)


def _referrals(facts: Facts) -> DateIndex:
    return facts.index("marac_referral", partial(facts.kind, "marac_referral"))


def referred(facts: Facts, assessment: EntryRecord, days: int | None) -> bool:
    """A MARAC referral for the assessment's victim (or naming nobody) that may fall from the
    assessment's earliest day to `days` after it (None: any time after)."""
    return _referrals(facts).any_in(
        *_window(assessment, days), assessment.id, where=partial(_for_victim, assessment)
    )


def referral_for(facts: Facts, assessment: EntryRecord, days: int) -> EntryRecord | None:
    """The first such referral within `days`, or None."""
    return _referrals(facts).first(
        *_window(assessment, days),
        lambda r: r.id != assessment.id and _for_victim(assessment, r),
    )


class DashHighNoMarac(Rule):
    id = "dash-high-no-marac"
    severity = "high"
    title = "High-risk DASH without a MARAC referral"
    suggested_action = "Refer to the MARAC; professional judgement may not lower this."
    basis = "SafeLives: visible high risk (14 or more 'yes' answers)."
    defaults = {"threshold": 14, "window_days": 7}

    def find(self, facts: Facts) -> Iterator[Finding]:
        threshold, days = self.param("threshold"), self.param("window_days")
        for assessment in facts.kind("risk_assessment"):
            yes, points = yes_answers(assessment), score(assessment)
            if not ((yes or 0) >= threshold or (points or 0) >= threshold):
                continue
            deadline = add_days(assessment.date.latest, days)
            referral = referral_for(facts, assessment, days)
            if referral is not None:
                yield self.answered(assessment, referral, deadline)
                continue
            result = f"{yes} 'yes' answers" if (yes or 0) >= threshold else f"a score of {points}"
            victims = assessment.persons_in("victim")
            with_whom = f" with {facts.names(victims)}" if victims else ""
            if not facts.window_closed(deadline):
                yield self.due(
                    assessment,
                    deadline,
                    f"MARAC referral to make by {format_day(deadline)}: the risk assessment "
                    f"{list_entries([assessment])}{with_whom} has {result}.",
                )
                continue
            text = (
                f"The risk assessment {list_entries([assessment])}{with_whom} has {result}, "
                f"and no MARAC referral follows within {days} days."
            )
            yield self.flag(text, [assessment], victims)
