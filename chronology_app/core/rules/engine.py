"""Runs the rules over a case: the flags in the spec's stable order, and what the rules with a
response window found answered in time or still due."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from chronology_app.core.records import CaseData, FlagReviewRecord
from chronology_app.core.rules.base import Answered, Due, Findings, Flag, Rule
from chronology_app.core.rules.coercive_control import CoerciveControl
from chronology_app.core.rules.consent_not_sought import ConsentNotSought
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
from chronology_app.core.rules.repeat_profile_views import RepeatProfileViews, RipaContact
from chronology_app.core.rules.returning_perpetrator import ReturningPerpetrator
from chronology_app.core.rules.separation_cluster import SeparationCluster
from chronology_app.core.rules.serial_perpetrator import SerialPerpetrator
from chronology_app.core.rules.status_unchecked import StatusUnchecked
from chronology_app.core.rules.unnamed_perpetrator import UnnamedPerpetrator
from chronology_app.core.rules.unseen_adult import UnseenAdult
from chronology_app.core.rules.working_days import WorkingCalendar, calendar_for

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
    ConsentNotSought,
)


def build_rules(
    settings: Mapping[str, Mapping[str, int]] | None = None,
    *,
    ripa_contact: RipaContact | None = None,
) -> list[Rule]:
    """One instance of every rule, with any parameters an authority set in its settings (and
    its contact for RIPA, which `repeat-profile-views` names in its suggested action)."""
    settings = settings or {}
    return [
        RepeatProfileViews(ripa_contact=ripa_contact, **settings.get(cls.id, {}))
        if cls is RepeatProfileViews
        else cls(**settings.get(cls.id, {}))
        for cls in RULE_CLASSES
    ]


def analyse(case: CaseData, rules: Sequence[Rule] | None = None, **options: Any) -> list[Flag]:
    """Every flag on the case, in the spec's stable order: `examine`'s flags (the same
    options)."""
    return list(examine(case, rules, **options).flags)


def examine(
    case: CaseData,
    rules: Sequence[Rule] | None = None,
    *,
    namer: Namer | None = None,
    external_history: Mapping[str, Sequence[ExternalEntry]] | None = None,
    as_of: datetime.date | None = None,
    calendar: WorkingCalendar | None = None,
) -> Findings:
    """What the rules find on the case: flags in the spec's stable order (rule order, then
    earliest evidence), and the answered and due items of the rules with response windows.

    `namer` decides how people are named in explanations (reports mask restricted persons);
    `external_history` carries DA history from other cases for confirmed same-person matches;
    `as_of` is the analysis date (default: the case's latest entry, never the clock); an item
    is due only while its window is open on that day; `calendar` counts working days (default:
    England and Wales)."""
    rules = build_rules() if rules is None else rules
    facts = Facts(case, namer, external_history or {}, as_of, calendar or calendar_for())
    order = {rule.id: index for index, rule in enumerate(rules)}
    flags: list[Flag] = []
    answered: list[Answered] = []
    due: list[Due] = []
    for rule in rules:
        for found in rule.find(facts):
            if isinstance(found, Flag):
                flags.append(found)
            elif isinstance(found, Answered):
                answered.append(found)
            else:
                due.append(found)
    flags.sort(
        key=lambda flag: (
            order[flag.rule],
            flag.earliest,
            flag.entries,
            flag.persons,
            flag.explanation,
        )
    )
    answered.sort(key=lambda a: (order[a.rule], a.deadline, a.trigger, a.answered_by))
    due.sort(key=lambda d: (d.deadline, order[d.rule], d.trigger, d.text))
    return Findings(tuple(flags), tuple(answered), tuple(due))


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


def answered_json(items: Sequence[Answered]) -> list[dict[str, Any]]:
    """Answered items as `chronology flags --json --answered` prints them."""
    return [
        {
            "rule": item.rule,
            "trigger": item.trigger,
            "answered_by": item.answered_by,
            "deadline": item.deadline.isoformat(),
        }
        for item in items
    ]


def answered_as_json(findings: Findings, case: CaseData) -> dict[str, list[dict[str, Any]]]:
    """The shape `chronology flags FILE --json --answered` prints: the flags as `flags_as_json`
    gives them, and every trigger found answered in time, with its deadline as an ISO date."""
    return {
        "flags": flags_as_json(findings.flags, case),
        "answered": answered_json(findings.answered),
    }
