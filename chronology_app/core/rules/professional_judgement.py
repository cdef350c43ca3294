"""Rule 10: a lower DASH result while high-harm indicators are recorded about the victim."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from functools import partial

from chronology_app.core.model.vocabulary import reading
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
        # The lower assessments of the same victims that no referral follows make one flag:
        # once one is not followed by a referral, no later one is either.
        unanswered: dict[tuple[str, ...], list[EntryRecord]] = defaultdict(list)
        for assessment in facts.kind("risk_assessment"):
            victims = tuple(sorted(set(assessment.persons_in("victim"))))
            if not victims or not under(assessment, threshold):
                continue
            if referred(facts, assessment, None):
                continue
            if any(
                self._indicators(facts, victim).any_in(
                    dt.date.min,
                    assessment.date.latest,
                    assessment.id,
                    where=partial(_about, victims),
                )
                for victim in victims
            ):
                unanswered[victims].append(assessment)
        for victims, assessments in unanswered.items():
            latest = max(a.date.latest for a in assessments)
            # The two latest assessments: an assessment carrying an indicator counts when
            # another of them may come after it.
            last_two = sorted(assessments, key=lambda a: a.date.latest)[-2:]
            members = frozenset(assessments)
            indicators = {
                entry.id: entry
                for victim in victims
                for entry in self._indicators(facts, victim).may_fall(dt.date.min, latest)
                if _about(victims, entry) and _counts_for_another(entry, members, last_two)
            }
            found_entries = list(indicators.values())
            found = join_words(
                sorted({reading(t) for e in found_entries for t in e.tags if t in INDICATORS})
            )
            which = (
                f"The risk assessment {list_entries(assessments)} with {facts.names(victims)} is"
                if len(assessments) == 1
                else f"The risk assessments {list_entries(assessments)} with "
                f"{facts.names(victims)} are"
            )
            text = (
                f"{which} under {threshold}, while entries record "
                f"{found}: {list_entries(found_entries)}. No MARAC referral follows."
            )
            yield self.flag(text, [*assessments, *found_entries], victims)

    @staticmethod
    def _indicators(facts: Facts, victim: str) -> DateIndex:
        """Entries naming the victim that carry a high-harm indicator, indexed by date."""

        def tagged() -> list[EntryRecord]:
            return [e for e in facts.naming.get(victim, ()) if e.tags & INDICATOR_SET]

        return facts.index(f"indicators:{victim}", tagged)


def _about(victims: tuple[str, ...], entry: EntryRecord) -> bool:
    """The entry is about one of the victims (as victim, subject or discloser)."""
    return any(
        link.person in victims and link.role in ("victim", "subject", "discloser")
        for link in entry.persons
    )


def _counts_for_another(
    entry: EntryRecord, members: frozenset[EntryRecord], last_two: list[EntryRecord]
) -> bool:
    """An indicator counts unless it is one of the flag's assessments that no other of them
    may come after (the latest other one is enough to ask)."""
    if entry not in members:
        return True
    others = [a for a in last_two if a is not entry]
    return bool(others) and entry.date.earliest <= others[-1].date.latest
