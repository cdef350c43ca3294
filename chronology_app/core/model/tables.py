"""The workspace's tables.

Each case-file object (case, person, relationship, entry, flag review) is stored as its validated
JSON document in `doc`, which is what export writes back, so nothing a file carried is lost. The
other columns and the child tables (aliases, persons in an entry, tags) are derived from `doc` on
every write: they index the document for searching, filtering and referential integrity (a
person named in an entry cannot be removed while the entry names them).

No `from __future__ import annotations` here: it breaks SQLModel's relationship handling.
"""

import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from chronology_app.core import clock


def _utcnow() -> datetime.datetime:
    return clock.now_utc()


class Case(SQLModel, table=True):
    __tablename__ = "case_record"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, index=True)
    title: str
    status: str = "open"
    doc: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    # Top-level keys of the file beyond the spec's, kept for a lossless round trip.
    extra: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Whether the file carried `relationships` / `flag_reviews` lists (they are optional).
    has_relationships: bool = True
    has_flag_reviews: bool = True
    next_entry_number: int = 1
    created_at: datetime.datetime = Field(default_factory=_utcnow)
    updated_at: datetime.datetime = Field(default_factory=_utcnow)


class Person(SQLModel, table=True):
    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("case_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", index=True, ondelete="CASCADE")
    key: str  # the id in the case file
    position: int
    name: str
    # The document's date of birth as written (None when it has none): what cross-case
    # suggestions read of a person, with the name and aliases, without decoding `doc`.
    date_of_birth: str | None = None
    restricted: bool = False
    doc: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class PersonAlias(SQLModel, table=True):
    __tablename__ = "person_alias"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    alias: str


class Relationship(SQLModel, table=True):
    __tablename__ = "relationship"
    __table_args__ = (UniqueConstraint("case_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", index=True, ondelete="CASCADE")
    key: str
    position: int
    kind: str
    person_a_id: int = Field(foreign_key="person.id")
    person_b_id: int = Field(foreign_key="person.id")
    doc: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class Entry(SQLModel, table=True):
    __tablename__ = "entry"
    __table_args__ = (
        UniqueConstraint("case_id", "key"),
        UniqueConstraint("case_id", "number"),
        Index("ix_entry_case_order", "case_id", "earliest", "sequence", "position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", ondelete="CASCADE")
    key: str
    number: int  # shown as E0042; never reused within a case
    position: int  # order in the case file
    kind: str = Field(index=True)
    date: str  # the date expression
    earliest: datetime.date
    latest: datetime.date
    sequence: int = 0
    summary: str
    restricted: bool = False
    relationship_id: int | None = Field(default=None, foreign_key="relationship.id")
    withdrawn: bool = False
    withdrawn_reason: str | None = None
    withdrawn_by: str | None = None
    withdrawn_at: datetime.datetime | None = None
    created_at: datetime.datetime = Field(default_factory=_utcnow)
    updated_at: datetime.datetime = Field(default_factory=_utcnow)
    doc: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class EntryPerson(SQLModel, table=True):
    """A person named in an entry, in a role."""

    __tablename__ = "entry_person"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str
    position: int


class EntryTag(SQLModel, table=True):
    __tablename__ = "entry_tag"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    tag: str = Field(index=True)


class FlagReview(SQLModel, table=True):
    __tablename__ = "flag_review"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", index=True, ondelete="CASCADE")
    position: int
    rule: str
    decision: str
    doc: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class AuditRecord(SQLModel, table=True):
    """One named change: who, when, what (before and after) and why.

    Append-only: nothing updates or deletes these rows. Each record's `hash` covers its content
    and the previous record's hash, so an edited, inserted or removed record shows.
    `case_id` is not a foreign key: the history of a case outlives the case.
    """

    __tablename__ = "audit_record"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime.datetime = Field(default_factory=_utcnow)
    who: str
    action: str  # the readable name of the change, e.g. "Add disclosure"
    case_id: int | None = Field(default=None, index=True)
    case_reference: str | None = None
    reason: str | None = None
    changes: list[Any] = Field(sa_column=Column(JSON, nullable=False))
    prev_hash: str
    hash: str


class PersonMatch(SQLModel, table=True):
    """A practitioner's decision that two person records in different cases are, or are not,
    the same person. Only confirmed matches feed the rules."""

    __tablename__ = "person_match"
    __table_args__ = (UniqueConstraint("person_a_id", "person_b_id"),)

    id: int | None = Field(default=None, primary_key=True)
    # RESTRICT: undoing the import of a case (or adding of a person) that a practitioner has
    # since matched is refused, rather than silently deleting their decision.
    person_a_id: int = Field(foreign_key="person.id", index=True, ondelete="RESTRICT")
    person_b_id: int = Field(foreign_key="person.id", index=True, ondelete="RESTRICT")
    decision: str  # "confirmed" or "rejected"
    reason: str | None = None
    decided_by: str
    decided_at: datetime.datetime = Field(default_factory=_utcnow)


class CaseReview(SQLModel, table=True):
    """A supervisor's review of a case: who, when, and their comments. Kept in the workspace
    (not in case files: it is this team's supervision record)."""

    __tablename__ = "case_review"
    __table_args__ = (UniqueConstraint("case_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", index=True, ondelete="CASCADE")
    key: str
    reviewed_by: str
    reviewed_at: datetime.datetime = Field(default_factory=_utcnow)
    comments: str


class WorkspaceMeta(SQLModel, table=True):
    """Facts about the workspace as a whole, one JSON value a key: `workspace_id` (a random id
    made when the workspace is created, so anchors kept outside the file follow the workspace
    and not its path) and `authority_settings` (the authority's settings, changed through the
    service and audited)."""

    __tablename__ = "workspace_meta"

    key: str = Field(primary_key=True)
    value: Any = Field(sa_column=Column(JSON, nullable=True))


class PersonNameKey(SQLModel, table=True):
    """The keys a person's names are filed under (core/name_matching.py: the normalised name,
    the sounds of its first and last words, their beginnings), worked out when the person is
    saved, so that cross-case suggestions are found by an indexed join, not by comparing every
    person with every other.

    Beside each key, what the join blocks on, copied from the person whenever the person is
    written (core/store/filing.py), so that the join reads this one table: the person's case,
    the year, month and day their date of birth gives when it is a plain year, month or day
    (all None for a missing or free-form one, which is compatible with any), and whether they
    are a professional (never suggested)."""

    __tablename__ = "person_name_key"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    key: str = Field(index=True)
    case_id: int
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    professional: bool = False
