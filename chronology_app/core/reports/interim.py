"""Until `core/analysis.py` (the one analysis pipeline) is merged: the same calls, built from
the rules engine and the service as they are. Removed at the merge."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from chronology_app.core.records import CaseData, FlagReviewRecord
from chronology_app.core.rules.base import Flag
from chronology_app.core.settings import Settings

if TYPE_CHECKING:
    from chronology_app.core.service import Service


@dataclass(frozen=True)
class ReviewedFlag:
    flag: Flag
    review: FlagReviewRecord | None


@dataclass(frozen=True)
class Analysis:
    case: CaseData
    as_of: datetime.date | None
    flags: tuple[ReviewedFlag, ...]
    answered: tuple[object, ...] = ()
    due: tuple[object, ...] = ()
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))


def analyse_case(
    case: CaseData, settings: Settings, *, as_of: datetime.date | None = None
) -> Analysis:
    from chronology_app.core import clock
    from chronology_app.core.rules.engine import analyse, build_rules, review_for

    day = as_of or (clock.today() if settings.as_of == "today" else None)
    flags = analyse(case, build_rules(settings.rules), as_of=day)
    return Analysis(case, day, tuple(ReviewedFlag(f, review_for(f, case.reviews)) for f in flags))


def service_analysis(service: Service, reference: str) -> Analysis:
    case = service.case_data(reference)
    flags = tuple(ReviewedFlag(f.flag, f.review) for f in service.flags(reference, case))
    return Analysis(case, None, flags)
