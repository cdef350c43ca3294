"""Plain, read-only records of one case, built from a valid case-file document.

Rules and reports take these and never open a database session: they are fast to build, easy
to test, and the same whether the case came from a file or from a workspace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from chronology_app.core.bulk import collector_paused
from chronology_app.core.dates import PartialDate, parse_expression
from chronology_app.core.model.vocabulary import DEFAULT_PROTECTIVE_MARKING

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_options: Any) -> Any:
        return lambda decorator: decorator


_Record = TypeVar("_Record")


@dataclass_transform(frozen_default=True, eq_default=False, field_specifiers=(field,))
def read_only(cls: type[_Record]) -> type[_Record]:
    """A record read by the thousand (a case's entries): read-only to the type checker (mypy,
    strict, refuses any assignment to it), a plain slotted dataclass at run time, compared and
    hashed by identity. A frozen dataclass's constructor sets each field through
    `object.__setattr__`: a 5,000-entry case's records took 23 ms to make that way, 5 ms this
    way."""
    return dataclass(slots=True, eq=False)(cls)


@dataclass(frozen=True, slots=True)
class CaseRecord:
    reference: str
    title: str
    local_authority: str | None
    worker: str | None
    team: str | None
    status: str
    protective_marking: str
    notes: str | None


@dataclass(frozen=True, slots=True)
class PersonRecord:
    id: str
    name: str
    aliases: tuple[str, ...]
    date_of_birth: PartialDate | None
    sex: str
    roles: tuple[str, ...]
    immigration_status: str | None
    restricted: bool
    notes: str | None
    date_of_death: PartialDate | None = None  # drawn as deceased in the family diagram

    @property
    def is_child(self) -> bool:
        return "child" in self.roles


@dataclass(frozen=True, slots=True)
class RelationshipRecord:
    id: str
    kind: str
    persons: tuple[str, str]
    notes: str | None


@dataclass(frozen=True, slots=True)
class EntryPerson:
    person: str
    role: str


@read_only
class EntryRecord:
    """One entry. Compared and hashed by identity: each case has one record per entry."""

    id: str
    ref: str  # the app's short reference, E0042
    position: int  # place in the file, the last tie-breaker of the sort order
    date: PartialDate
    date_text: str | None
    sequence: int | None
    kind: str
    summary: str
    detail: str | None
    source_agency: str
    source_type: str | None
    source_reference: str | None
    impact: str | None
    action: str | None
    significance: str | None
    positive: bool
    restricted: bool
    restricted_reason: str | None
    persons: tuple[EntryPerson, ...]
    relationship: str | None
    tags: frozenset[str]
    attributes: Mapping[str, Any]
    recorded_by: str | None
    recorded_on: PartialDate | None
    # Another entry recording the same event (another agency's account of it), if any.
    same_event_as: str | None = None
    # The pattern rules' order: date, `sequence`, then id, never file order (rules/facts.py,
    # `chrono`). Worked out once, as the rules sort the same entries many times.
    rule_order: tuple[dt.date, int, dt.date, str] = field(init=False)

    def __post_init__(self) -> None:
        order = (self.date.earliest, self.sequence or 0, self.date.latest, self.id)
        object.__setattr__(self, "rule_order", order)  # (read-only to the type checker)

    @property
    def sort_key(self) -> tuple[Any, ...]:
        """Earliest day, then `sequence`, then file order (spec: Date expressions)."""
        return (self.date.earliest, self.sequence or 0, self.position)

    def persons_in(self, *roles: str) -> tuple[str, ...]:
        return tuple(link.person for link in self.persons if link.role in roles)

    def names(self, person_id: str) -> bool:
        return any(link.person == person_id for link in self.persons)


@dataclass(frozen=True, slots=True)
class FlagReviewRecord:
    rule: str
    evidence: tuple[str, ...]
    decision: str
    reason: str
    by: str
    on: PartialDate


@dataclass(frozen=True, slots=True)
class CaseData:
    """One case, with its entries in chronological order."""

    case: CaseRecord
    persons: tuple[PersonRecord, ...]
    relationships: tuple[RelationshipRecord, ...]
    entries: tuple[EntryRecord, ...]
    reviews: tuple[FlagReviewRecord, ...]
    person_by_id: Mapping[str, PersonRecord] = field(default_factory=dict)
    relationship_by_id: Mapping[str, RelationshipRecord] = field(default_factory=dict)
    entry_by_id: Mapping[str, EntryRecord] = field(default_factory=dict)


def normalise_tag(tag: str) -> str:
    """'Coercive Control', 'coercive-control' and 'coercive_control' are one tag to the
    rules and filters; the case file keeps the wording as written."""
    return "_".join(tag.casefold().replace("-", " ").split())


def entry_ref(number: int) -> str:
    return f"E{number:04d}"


def _opt_date(value: object) -> PartialDate | None:
    return parse_expression(value) if isinstance(value, str) else None


def case_record(case: Mapping[str, Any]) -> CaseRecord:
    return CaseRecord(
        reference=case["reference"],
        title=case["title"],
        local_authority=case.get("local_authority"),
        worker=case.get("worker"),
        team=case.get("team"),
        status=case.get("status") or "open",
        protective_marking=case.get("protective_marking") or DEFAULT_PROTECTIVE_MARKING,
        notes=case.get("notes"),
    )


def person_record(doc: Mapping[str, Any]) -> PersonRecord:
    roles = tuple(doc.get("roles") or ())
    status = doc.get("immigration_status")
    if status is None and "child" not in roles:
        status = "not_checked"  # the spec's default for adults
    return PersonRecord(
        id=doc["id"],
        name=doc["name"],
        aliases=tuple(doc.get("aliases") or ()),
        date_of_birth=_opt_date(doc.get("date_of_birth")),
        sex=doc.get("sex") or "unknown",
        roles=roles,
        immigration_status=status,
        restricted=bool(doc.get("restricted")),
        notes=doc.get("notes"),
        date_of_death=_opt_date(doc.get("date_of_death")),
    )


def relationship_record(doc: Mapping[str, Any]) -> RelationshipRecord:
    first, second = doc["persons"]
    return RelationshipRecord(doc["id"], doc["kind"], (first, second), doc.get("notes"))


_NO_TAGS: frozenset[str] = frozenset()
_NO_ATTRIBUTES: Mapping[str, Any] = MappingProxyType({})
# A case's entries name the same few persons in the same few roles, and carry the same few
# tags: each link and tag is made once (a 5,000-entry case is read in two thirds of the time).
_LINKS: dict[tuple[str, str], EntryPerson] = {}
_TAGS: dict[str, str] = {}


def _link(person: str, role: str) -> EntryPerson:
    link = _LINKS.get((person, role))
    if link is None:
        if len(_LINKS) > 100_000:
            _LINKS.clear()  # (bounded: a long session opens many cases)
        link = _LINKS[(person, role)] = EntryPerson(person, role)
    return link


def _tag(tag: str) -> str:
    found = _TAGS.get(tag)
    if found is None:
        if len(_TAGS) > 100_000:
            _TAGS.clear()
        found = _TAGS[tag] = normalise_tag(tag)
    return found


def entry_record(doc: Mapping[str, Any], position: int, number: int | None = None) -> EntryRecord:
    get = doc.get
    source = doc["source"]
    recorded = get("recorded")
    persons = get("persons")
    tags = get("tags")
    attributes = get("attributes")
    return EntryRecord(
        id=doc["id"],
        ref=entry_ref(number if number is not None else position + 1),
        position=position,
        date=parse_expression(doc["date"]),
        date_text=get("date_text"),
        sequence=get("sequence"),
        kind=doc["kind"],
        summary=doc["summary"],
        detail=get("detail"),
        source_agency=source["agency"],
        source_type=source.get("type"),
        source_reference=source.get("reference"),
        impact=get("impact"),
        action=get("action"),
        significance=get("significance"),
        positive=bool(get("positive")),
        restricted=bool(get("restricted")),
        restricted_reason=get("restricted_reason"),
        persons=tuple([_link(p["person"], p["role"]) for p in persons]) if persons else (),
        relationship=get("relationship"),
        tags=frozenset([_tag(tag) for tag in tags]) if tags else _NO_TAGS,
        attributes=MappingProxyType(dict(attributes)) if attributes else _NO_ATTRIBUTES,
        recorded_by=recorded.get("by") if recorded else None,
        recorded_on=_opt_date(recorded.get("on")) if recorded else None,
        same_event_as=get("same_event_as"),
    )


def review_record(doc: Mapping[str, Any]) -> FlagReviewRecord:
    return FlagReviewRecord(
        rule=doc["rule"],
        evidence=tuple(doc["evidence"]),
        decision=doc["decision"],
        reason=doc["reason"],
        by=doc["by"],
        on=parse_expression(doc["on"]),
    )


def case_data(document: Mapping[str, Any], numbers: Mapping[str, int] | None = None) -> CaseData:
    """Records for a *valid* document. `numbers` gives the workspace's entry numbers (E0042) by
    entry id; without it an entry's number is its place in the file."""
    with collector_paused(kept=True):
        return _case_data(document, numbers)


def _case_data(document: Mapping[str, Any], numbers: Mapping[str, int] | None) -> CaseData:
    persons = tuple(person_record(p) for p in document["persons"])
    relationships = tuple(relationship_record(r) for r in document.get("relationships") or ())
    entries = [
        entry_record(doc, position, (numbers or {}).get(doc["id"]))
        for position, doc in enumerate(document["entries"])
    ]
    entries.sort(key=lambda entry: entry.sort_key)
    reviews = tuple(review_record(r) for r in document.get("flag_reviews") or ())
    return CaseData(
        case=case_record(document["case"]),
        persons=persons,
        relationships=relationships,
        entries=tuple(entries),
        reviews=reviews,
        person_by_id=MappingProxyType({p.id: p for p in persons}),
        relationship_by_id=MappingProxyType({r.id: r for r in relationships}),
        entry_by_id=MappingProxyType({e.id: e for e in entries}),
    )
