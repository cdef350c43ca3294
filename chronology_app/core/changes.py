"""What a change is, and the checks every change's input passes, for the service.

`Change` (one object before and after) and `OpChanges` (what one service call changed, for the
front end to refresh from) are what every writing use case returns; `copy_input` makes the
service's private, plain-JSON copy of what a caller hands in.
"""

from __future__ import annotations

import datetime
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from chronology_app.core import validation
from chronology_app.core.errors import InvalidInput


@dataclass(frozen=True)
class Change:
    """One object before and after a change (None: it did not exist)."""

    object: str  # "case_file", "case", "person", "relationship", "entry" or "flag_review"
    key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def as_json(self) -> dict[str, Any]:
        return {"object": self.object, "key": self.key, "before": self.before, "after": self.after}

    def members(self) -> list[Change]:
        """This change as one change per object: a batch of entries (see `BATCHES`) as a
        change of each of its entries; any other change as itself."""
        kind = BATCHES.get(self.object)
        if kind is None:
            return [self]
        return [Change(kind, key, *states) for key, states in batch_states(self).items()]


# Stored types that hold many objects of another type in one change: "entries" (an imported
# chronology, written and undone as one step; core/store/objects.py) holds entries.
BATCHES = {"entries": "entry"}


class ChangeLike(Protocol):
    """One object's snapshot before and after (a `Change`, or a front end's own record)."""

    @property
    def object(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def before(self) -> dict[str, Any] | None: ...
    @property
    def after(self) -> dict[str, Any] | None: ...


def batch_states(
    change: ChangeLike,
) -> dict[str, tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    """A batch change's objects: id -> (its snapshot before, after), in the batch's order. The
    batch's snapshot lists each entry's as `repository.snapshot_entry` gives it."""
    states: dict[str, list[dict[str, Any] | None]] = {}
    for side, snapshot in enumerate((change.before, change.after)):
        for state in (snapshot or {}).get("entries", ()):
            states.setdefault(state["doc"]["id"], [None, None])[side] = state
    return {key: (before, after) for key, (before, after) in states.items()}


@dataclass(frozen=True)
class OpChanges:
    """What one service call changed, for the front end to refresh."""

    action: str
    case_reference: str | None
    changes: tuple[Change, ...]
    audit_id: int

    def keys(self, kind: str) -> set[str]:
        """The keys of the objects of `kind` changed (the entries of a batch included)."""
        return {
            member.key
            for change in self.changes
            for member in ([change] if change.object == kind else change.members())
            if member.object == kind
        }

    def added(self, kind: str) -> list[str]:
        """The keys of the objects of `kind` that did not exist before, in the order made."""
        return [
            member.key
            for change in self.changes
            for member in change.members()
            if member.object == kind and member.before is None and member.after is not None
        ]


@dataclass(frozen=True)
class CaseReviewRecord:
    by: str
    at: datetime.datetime
    comments: str


@dataclass(frozen=True)
class CaseSummary:
    reference: str
    title: str
    status: str
    local_authority: str | None
    entries: int
    persons: int
    updated_at: datetime.datetime


@dataclass
class Step:
    action: str
    case_reference: str | None
    changes: tuple[Change, ...]


@dataclass
class History:
    undo: list[Step] = field(default_factory=list)
    redo: list[Step] = field(default_factory=list)


def copy_input(value: Mapping[str, Any]) -> dict[str, Any]:
    """A private, JSON-only copy of the caller's document (faster than deepcopy, and anything
    that is not JSON fails here rather than half-way through a write)."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        copied = json.loads(text)
    except (TypeError, ValueError, RecursionError) as err:
        raise InvalidInput({"value": f"not plain JSON data ({err})"}) from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate ("\ud800" in JSON) is not a character: SQLite cannot store it.
        raise InvalidInput({_surrogate_path(copied, "") or "value": _NOT_TEXT}) from None
    assert isinstance(copied, dict)
    return copied


_NOT_TEXT = "contains text that is not valid Unicode (a lone surrogate such as \\ud800)"


def _surrogate_path(value: Any, path: str) -> str | None:
    """The JSON path of the first string (key or value) that is not valid text, if any."""
    if isinstance(value, str):
        return None if encodes(value) else path
    children: Iterable[tuple[str | int, Any]]
    if isinstance(value, dict):
        children = value.items()
    elif isinstance(value, list):
        children = enumerate(value)
    else:
        return None
    for key, item in children:
        if isinstance(key, str) and not encodes(key):
            return validation.join_path(path, key.encode("utf-8", "backslashreplace").decode())
        found = _surrogate_path(item, validation.join_path(path, key))
        if found is not None:
            return found
    return None


def encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def lower_first(label: str) -> str:
    """'Disclosure' -> 'disclosure', but 'MARAC referral' and 'DVDS (Clare's Law)' keep their
    capitals (undo reads "Undo Add MARAC referral")."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() else label[:1].lower() + label[1:]


def new_id(prefix: str, taken: set[str]) -> str:
    while True:
        candidate = f"{prefix}-{secrets.token_hex(4)}"
        if candidate not in taken:
            return candidate


def refuse(found: list[validation.Problem]) -> None:
    if found:
        raise InvalidInput({problem.path or "value": problem.message for problem in found})
