"""The facade every front end uses: one method per use case.

Each writing method is one named transaction ("Add disclosure") that validates its input, makes
the change, writes an audit record (who, when, what before and after, why) in the same
transaction, and returns an `OpChanges` saying what changed, which the GUI refreshes from. Undo
and redo of this session's changes live here too, with the same names.

`Service` is composed of one class per group of use cases, each in its own module:
`base` (opening, the transaction and audit machinery, undo and redo), `reading`, `analysing`
(flags and cross-case matches), `editing`, `reviewing` and `workspace_care`.
"""

from __future__ import annotations

from chronology_app.core.analysis import ReviewedFlag
from chronology_app.core.audit import GENESIS_HASH, audit_hash
from chronology_app.core.changes import CaseSummary, OpChanges
from chronology_app.core.service.analysing import Analysing
from chronology_app.core.service.base import SETTINGS_KEY, UNDO_LIMIT, ServiceBase
from chronology_app.core.service.editing import Editing
from chronology_app.core.service.reviewing import Reviewing
from chronology_app.core.service.workspace_care import WorkspaceCare
from chronology_app.core.store.backup import Backup

__all__ = [
    "GENESIS_HASH",
    "SETTINGS_KEY",
    "UNDO_LIMIT",
    "Backup",
    "CaseSummary",
    "OpChanges",
    "ReviewedFlag",
    "Service",
    "ServiceBase",
    "audit_hash",
]


class Service(Analysing, Editing, Reviewing, WorkspaceCare):
    """Use cases over one open workspace, on behalf of one user (named in the audit trail)."""
