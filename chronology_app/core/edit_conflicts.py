"""Two people, one case: a save is checked against the version the user started from.

A front end that opened an entry (a person, the case's details) for editing passes the
document it showed as `based_on`. If what is stored has changed since, because someone else
saved in between, the save is refused with an `EditConflict` naming the fields that changed,
holding what is stored now and what this user typed (never lost, never silently overwritten).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chronology_app.core.audit import _diff
from chronology_app.core.errors import EditConflict


def check_based_on(
    what: str, based_on: Mapping[str, Any] | None, stored: Mapping[str, Any], yours: Any
) -> None:
    """Refuse the save unless `stored` is still the version `based_on` (no check when None)."""
    if based_on is None or dict(based_on) == dict(stored):
        return
    changed = tuple(change.path for change in _diff(dict(based_on), dict(stored), ""))
    fields = ", ".join(changed) or "its details"
    raise EditConflict(
        f"Someone else changed this {what} after you opened it ({fields}), so your version "
        "was not saved. What you typed is kept: compare it with theirs, then save again.",
        theirs=dict(stored),
        yours=yours,
        changed=changed,
    )
