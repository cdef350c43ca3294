"""Runs the rules over a case and puts the flags in the spec's stable order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chronology_app.core.records import CaseData, FlagReviewRecord
from chronology_app.core.rules.base import Flag, Rule

# The rules in the order of rules.md; issue 3 fills this in.
RULE_CLASSES: tuple[type[Rule], ...] = ()


def build_rules(settings: Mapping[str, Mapping[str, int]] | None = None) -> list[Rule]:
    """One instance of every rule, with any parameters an authority set in its settings."""
    settings = settings or {}
    return [cls(**settings.get(cls.id, {})) for cls in RULE_CLASSES]


def analyse(case: CaseData, rules: Sequence[Rule] | None = None) -> list[Flag]:
    rules = build_rules() if rules is None else rules
    order = {rule.id: index for index, rule in enumerate(rules)}
    flags = [flag for rule in rules for flag in rule.find(case)]
    flags.sort(key=lambda flag: (order[flag.rule], flag.earliest, flag.entries))
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
