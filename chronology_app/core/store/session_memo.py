"""What one transaction has already read, so that one save does not read the same row twice.

A save reads the case's row, the entry and the case's person and relationship ids in several
places (the service's checks, the before and after snapshots, the write itself). Each session
is one transaction (`Workspace.writing()` / `reading()`), so within it a row read once is the
ORM's own object from then on: the memo keeps it by what it was looked up by, and gives it back
while it is still in the session (a bulk delete through the ORM removes it, so it is read
again). Writers that change rows behind the ORM's back (bulk inserts and deletes of many rows,
a whole case file) call `forget`; any rollback, a savepoint's included, forgets everything.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

_KEY = "chronology_memo"
# Set in a team server's write session, where each statement is a round trip over the network:
# a case's row is read with its chain's head and its ids (rows.py: `find_case`), and touched
# in the statement that writes the audit record (service/base.py: `_audit`).
SERVER_WRITE = "chronology_server_write"
_MISSING = object()


def memo(session: Session) -> dict[Any, Any]:
    found = session.info.get(_KEY)
    if found is None:
        found = session.info[_KEY] = {}
    return found


def forget(session: Session) -> None:
    session.info.pop(_KEY, None)


def row(session: Session, key: Any) -> Any:
    """The row (or None: known not to exist) remembered under `key`, or `MISSING`."""
    found = memo(session).get(key, _MISSING)
    if found is _MISSING or found is None:
        return found
    state = inspect(found)
    if state.persistent or state.pending:
        return found
    return _MISSING


MISSING = _MISSING


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _previous: Any) -> None:
    forget(session)
