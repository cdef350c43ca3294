"""Rule 10: a lower DASH result while high-harm indicators are recorded about the victim."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.dash_high_no_marac import referred, score, yes_answers
from chronology_app.core.rules.facts import DateIndex, Facts, join_words, list_entries

INDICATORS = (
    "strangulation",
    "stalking",
    "threats_to_kill",
    "weapon",
    "extreme_fear",
    "honour_based",
)
INDICATOR_SET = frozenset(INDICATORS)
LOWER_LEVELS = frozenset({"standard", "low", "medium"})


def under(assessment: EntryRecord, threshold: int) -> bool:
    yes, points = yes_answers(assessment), score(assessment)
    if points is not None or yes is not None:
        return (points or 0) < threshold and (yes or 0) < threshold
    level = assessment.attributes.get("level")
    return isinstance(level, str) and level.strip().casefold() in LOWER_LEVELS


class ProfessionalJudgement(Rule):
    id = "professional-judgement"
    severity = "medium"
    title = "High-harm indicators with a lower DASH result"
    suggested_action = "Record a professional-judgement decision on a MARAC referral, with reasons."
    basis = "SafeLives professional-judgement criterion."
    defaults = {"threshold": 14}

    def find(self, facts: Facts) -> Iterator[Flag]:
        threshold = self.param("threshold")
        for assessment in facts.kind("risk_assessment"):
            victims = set(assessment.persons_in("victim"))
            if not victims or not under(assessment, threshold):
                continue
            if referred(facts, assessment, None):
                continue
            indicators = {
                entry.id: entry
                for victim in sorted(victims)
                for entry in self._indicators(facts, victim).may_fall(
                    dt.date.min, assessment.date.latest
                )
                if entry.id != assessment.id
                and set(entry.persons_in("victim", "subject", "discloser")) & victims
            }
            found_entries = list(indicators.values())
            if not found_entries:
                continue
            found = join_words(
                sorted(
                    {t.replace("_", " ") for e in found_entries for t in e.tags if t in INDICATORS}
                )
            )
            text = (
                f"The risk assessment {list_entries([assessment])} with "
                f"{facts.names(sorted(victims))} is under {threshold}, while entries record "
                f"{found}: {list_entries(found_entries)}. No MARAC referral follows."
            )
            yield self.flag(text, [assessment, *found_entries], sorted(victims))

    @staticmethod
    def _indicators(facts: Facts, victim: str) -> DateIndex:
        """Entries naming the victim that carry a high-harm indicator, indexed by date."""

        def tagged() -> list[EntryRecord]:
            return [e for e in facts.naming.get(victim, ()) if e.tags & INDICATOR_SET]

        return facts.index(f"indicators:{victim}", tagged)
