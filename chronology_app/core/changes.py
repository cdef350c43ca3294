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
from typing import Any

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


@dataclass(frozen=True)
class OpChanges:
    """What one service call changed, for the front end to refresh."""

    action: str
    case_reference: str | None
    changes: tuple[Change, ...]
    audit_id: int

    def keys(self, kind: str) -> set[str]:
        return {change.key for change in self.changes if change.object == kind}


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
