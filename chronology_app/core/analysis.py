"""The one analysis pipeline: a case, the authority's settings and the as-of day in; the flags
(each with the practitioner's review), what was answered in time and what is due, out.

Every front end asks this module (the service does for workspace cases, the CLI for a bare case
file); none runs the rules or pairs flags with reviews itself. Same-event groups are formed here,
once, before any rule runs (spec: rules.md, "What a rule must not do").
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from chronology_app.core.records import CaseData, CaseRecord, FlagReviewRecord
from chronology_app.core.rules.base import Answered, Due, Flag
from chronology_app.core.rules.engine import (
    RULE_CLASSES,
    answered_json,
    examine,
    flags_as_json,
    review_for,
)
from chronology_app.core.rules.facts import ExternalEntry, Namer
from chronology_app.core.same_event import Groups, apply_groups
from chronology_app.core.settings import Settings
from chronology_app.core.wording import day, entry_date


@dataclass(frozen=True)
class ReviewedFlag:
    """A flag, and the practitioner's recorded decision on it while its evidence is unchanged.
    The one shape of a flag with its review, for every front end and report."""

    flag: Flag
    review: FlagReviewRecord | None


@dataclass(frozen=True)
class Analysis:
    """What the rules found on one case, as of one day."""

    case: CaseData
    # The day the case was analysed as of; None: as of its latest entry.
    as_of: datetime.date | None
    flags: tuple[ReviewedFlag, ...]
    # Triggers a rule checked and found answered in time, and responses still due.
    answered: tuple[Answered, ...] = ()
    due: tuple[Due, ...] = ()
    groups: Groups = field(default_factory=Groups)


def as_of_day(
    case: CaseRecord, today: datetime.date, *, in_workspace: bool
) -> datetime.date | None:
    """The day a case is analysed as of (spec: rules.md, "As of when"): an open case in a
    workspace as of today; a closed case, or a case file on its own, as of its latest entry."""
    return today if in_workspace and case.status != "closed" else None


def without_restricted(case: CaseData) -> CaseData:
    """The case with its restricted entries left out (for anything family-facing), so that a
    restricted entry never joins a same-event group or decides a flag there."""
    entries = tuple(entry for entry in case.entries if not entry.restricted)
    if len(entries) == len(case.entries):
        return case
    return dataclasses.replace(
        case, entries=entries, entry_by_id={entry.id: entry for entry in entries}
    )


def analyse_case(
    case: CaseData,
    settings: Settings,
    *,
    as_of: datetime.date | None,
    external_history: Mapping[str, Sequence[ExternalEntry]] | None = None,
    namer: Namer | None = None,
    family_facing: bool = False,
) -> Analysis:
    """Analyse one case. `external_history` is the DA history that confirmed cross-case matches
    bring in (the service gathers it); `namer` decides how people are named in explanations."""
    shown = without_restricted(case) if family_facing else case
    seen, groups = apply_groups(shown)
    found = examine(
        seen,
        settings.build_rules(),
        namer=namer,
        external_history=external_history or {},
        as_of=as_of,
        calendar=settings.working_calendar(),
    )
    flags = found.flags
    answered, due = found.answered, found.due
    if groups:
        flags = tuple(
            dataclasses.replace(flag, entries=groups.expand(flag.entries)) for flag in flags
        )
    reviewed = tuple(ReviewedFlag(flag, review_for(flag, case.reviews)) for flag in flags)
    return Analysis(
        case=case, as_of=as_of, flags=reviewed, answered=answered, due=due, groups=groups
    )


def answered_words(item: Answered, case: CaseData) -> str:
    """An answered trigger in words: 'E0016 (20 January 2021) answered by E0020 (3 February
    2021), within the window ending 17 February 2021'."""
    trigger, answer = case.entry_by_id.get(item.trigger), case.entry_by_id.get(item.answered_by)
    if trigger is None or answer is None:
        return ""
    return (
        f"{trigger.ref} ({entry_date(trigger)}) answered by {answer.ref} ({entry_date(answer)}), "
        f"within the window ending {day(item.deadline)}"
    )


def rule_title(rule: str) -> str:
    return next((cls.title for cls in RULE_CLASSES if cls.id == rule), rule)


def analysis_as_json(analysis: Analysis, *, answered: bool = False) -> Any:
    """What `chronology flags --json` prints: the spec's list of flags (each with its review);
    with `answered`, {"flags": [...], "answered": [{"rule", "trigger", "answered_by",
    "deadline"}, ...]}."""
    flags = flags_as_json([item.flag for item in analysis.flags], analysis.case)
    if not answered:
        return flags
    return {"flags": flags, "answered": answered_json(analysis.answered)}
