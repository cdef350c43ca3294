"""Runs the rules over a case and puts the flags in the spec's stable order."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from chronology_app.core.records import CaseData, FlagReviewRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.coercive_control import CoerciveControl
from chronology_app.core.rules.contradicted_denial import ContradictedDenial
from chronology_app.core.rules.cross_boundary_gap import CrossBoundaryGap
from chronology_app.core.rules.cumulative_harm import CumulativeHarm
from chronology_app.core.rules.dash_high_no_marac import DashHighNoMarac
from chronology_app.core.rules.dvds_not_considered import DvdsNotConsidered
from chronology_app.core.rules.escalating_severity import EscalatingSeverity
from chronology_app.core.rules.facts import ExternalEntry, Facts, Namer
from chronology_app.core.rules.intervention_only import InterventionOnly
from chronology_app.core.rules.no_online_check import NoOnlineCheck
from chronology_app.core.rules.potential_escalation import PotentialEscalation
from chronology_app.core.rules.pregnancy_risk import PregnancyRisk
from chronology_app.core.rules.professional_judgement import ProfessionalJudgement
from chronology_app.core.rules.repeat_marac import RepeatMarac
from chronology_app.core.rules.repeat_profile_views import RepeatProfileViews
from chronology_app.core.rules.returning_perpetrator import ReturningPerpetrator
from chronology_app.core.rules.separation_cluster import SeparationCluster
from chronology_app.core.rules.serial_perpetrator import SerialPerpetrator
from chronology_app.core.rules.status_unchecked import StatusUnchecked
from chronology_app.core.rules.unnamed_perpetrator import UnnamedPerpetrator
from chronology_app.core.rules.unseen_adult import UnseenAdult

# The rules in the order of rules.md (which is the order flags are listed in).
RULE_CLASSES: tuple[type[Rule], ...] = (
    ReturningPerpetrator,
    UnnamedPerpetrator,
    SerialPerpetrator,
    DvdsNotConsidered,
    CrossBoundaryGap,
    ContradictedDenial,
    PotentialEscalation,
    EscalatingSeverity,
    DashHighNoMarac,
    ProfessionalJudgement,
    SeparationCluster,
    PregnancyRisk,
    CoerciveControl,
    CumulativeHarm,
    UnseenAdult,
    StatusUnchecked,
    InterventionOnly,
    RepeatProfileViews,
    RepeatMarac,
    NoOnlineCheck,
)


def build_rules(settings: Mapping[str, Mapping[str, int]] | None = None) -> list[Rule]:
    """One instance of every rule, with any parameters an authority set in its settings."""
    settings = settings or {}
    return [cls(**settings.get(cls.id, {})) for cls in RULE_CLASSES]


def analyse(
    case: CaseData,
    rules: Sequence[Rule] | None = None,
    *,
    namer: Namer | None = None,
    external_history: Mapping[str, Sequence[ExternalEntry]] | None = None,
    as_of: datetime.date | None = None,
) -> list[Flag]:
    """Every flag on the case, in the spec's stable order: rule order, then earliest evidence.

    `namer` decides how people are named in explanations (reports mask restricted persons);
    `external_history` carries DA history from other cases for confirmed same-person matches;
    `as_of` is the analysis date (default: the case's latest entry, never the clock)."""
    rules = build_rules() if rules is None else rules
    facts = Facts(case, namer, external_history or {}, as_of)
    order = {rule.id: index for index, rule in enumerate(rules)}
    flags = [flag for rule in rules for flag in rule.find(facts)]
    flags.sort(
        key=lambda flag: (
            order[flag.rule],
            flag.earliest,
            flag.entries,
            flag.persons,
            flag.explanation,
        )
    )
    return flags


def review_for(flag: Flag, reviews: Sequence[FlagReviewRecord]) -> FlagReviewRecord | None:
    """The practitioner's recorded decision on this flag, while its evidence is unchanged."""
    matching = [
        review
        for review in reviews
        if review.rule == flag.rule and frozenset(review.evidence) == flag.evidence_key
    ]
    return matching[-1] if matching else None


def flags_as_json(flags: Sequence[Flag], case: CaseData) -> list[dict[str, Any]]:
    """The shape `chronology flags FILE --json` prints (spec: case-file.md, last section)."""
    result = []
    for flag in flags:
        review = review_for(flag, case.reviews)
        result.append(
            {
                "rule": flag.rule,
                "severity": flag.severity,
                "title": flag.title,
                "explanation": flag.explanation,
                "suggested_action": flag.suggested_action,
                "basis": flag.basis,
                "entries": list(flag.entries),
                "persons": list(flag.persons),
                "review": None
                if review is None
                else {
                    "rule": review.rule,
                    "evidence": list(review.evidence),
                    "decision": review.decision,
                    "reason": review.reason,
                    "by": review.by,
                    "on": review.on.expression,
                },
            }
        )
    return result
