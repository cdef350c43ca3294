"""Non-table schemas: the shape every write must have before it reaches a table.

These validate the case-file objects (docs/case-file-format.md) field by field. They are
strict (a number is not text, `"true"` is not true) and allow unknown keys, which the store keeps
untouched. Checks that need more than one object (does person "p9" exist? is a restricted
entry's reason given?) live in `core.validation`, which also turns pydantic's errors into the
`path: message` lines users see.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from chronology_app.core.dates import parse_expression
from chronology_app.core.errors import InvalidDate


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _date_expression(value: str) -> str:
    try:
        parse_expression(value)
    except InvalidDate as err:
        raise ValueError(str(err)) from None
    return value


def _not_bool(value: object) -> object:
    if isinstance(value, bool):  # True == 1 in Python; in a file it is not a version number
        raise ValueError("must be one of: 1")
    return value


NonBlank = Annotated[str, AfterValidator(_not_blank)]
DateExpression = Annotated[str, AfterValidator(_date_expression)]

CaseStatus = Literal["open", "closed"]
Sex = Literal["female", "male", "other", "unknown"]
PersonRole = Literal["child", "parent", "carer", "partner", "relative", "professional", "other"]
ImmigrationStatus = Literal[
    "not_checked", "british", "settled", "limited_leave", "nrpf", "no_leave", "other"
]
RelationshipKind = Literal["intimate_partner", "parent_child", "sibling", "relative", "other"]
SourceType = Literal[
    "observation",
    "disclosure",
    "third_party",
    "document",
    "online_check",
    "police_record",
    "self_report",
]
EntryRole = Literal[
    "subject",
    "victim",
    "alleged_perpetrator",
    "discloser",
    "witness",
    "reporter",
    "child_present",
    "professional",
    "about",
]
EntryKind = Literal[
    "incident",
    "disclosure",
    "denial",
    "contact_evidence",
    "relationship_start",
    "separation",
    "reconciliation",
    "move",
    "agency_involvement",
    "referral",
    "information_request",
    "information_shared",
    "assessment",
    "risk_assessment",
    "marac_referral",
    "marac_meeting",
    "dvds",
    "police_action",
    "court_order",
    "intervention",
    "safety_plan",
    "child_seen",
    "injury",
    "pregnancy",
    "birth",
    "online_check",
    "immigration_check",
    "conference",
    "note",
]
Significance = Literal["low", "medium", "high"]
Decision = Literal["acknowledged", "dismissed"]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True, frozen=True)


class CaseIn(_Schema):
    reference: NonBlank
    title: NonBlank
    local_authority: str | None = None
    worker: str | None = None
    team: str | None = None
    status: CaseStatus | None = None
    protective_marking: NonBlank | None = None
    notes: str | None = None


class PersonIn(_Schema):
    id: NonBlank
    name: NonBlank
    aliases: list[NonBlank] | None = None
    date_of_birth: DateExpression | None = None
    sex: Sex | None = None
    roles: list[PersonRole] | None = None
    immigration_status: ImmigrationStatus | None = None
    restricted: bool | None = None
    notes: str | None = None


class RelationshipIn(_Schema):
    id: NonBlank
    kind: RelationshipKind
    persons: Annotated[list[NonBlank], Field(min_length=2, max_length=2)]
    notes: str | None = None


class SourceIn(_Schema):
    agency: NonBlank
    type: SourceType | None = None
    reference: str | None = None


class EntryPersonIn(_Schema):
    person: NonBlank
    role: EntryRole


class RecordedIn(_Schema):
    by: str | None = None
    on: DateExpression | None = None


class EntryIn(_Schema):
    id: NonBlank
    date: DateExpression
    date_text: str | None = None
    sequence: Annotated[int, Field(ge=-(2**63), le=2**63 - 1)] | None = None
    kind: EntryKind
    summary: NonBlank
    detail: str | None = None
    source: SourceIn
    impact: str | None = None
    action: str | None = None
    significance: Significance | None = None
    positive: bool | None = None
    restricted: bool | None = None
    restricted_reason: str | None = None
    persons: list[EntryPersonIn] | None = None
    relationship: str | None = None
    tags: list[NonBlank] | None = None
    attributes: dict[str, object] | None = None
    recorded: RecordedIn | None = None


class FlagReviewIn(_Schema):
    rule: NonBlank
    evidence: Annotated[list[NonBlank], Field(min_length=1)]
    decision: Decision
    reason: NonBlank
    by: NonBlank
    on: DateExpression


class CaseFileHeader(_Schema):
    format: Literal["chronology-case"]
    version: Annotated[Literal[1], BeforeValidator(_not_bool)]
    case: dict[str, object]
    persons: list[object]
    relationships: list[object] = Field(default_factory=list)  # absent is fine; null is not
    entries: list[object]
    flag_reviews: list[object] = Field(default_factory=list)
