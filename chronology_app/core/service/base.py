"""The service's machinery: opening the workspace, running one named transaction with its audit
record (`_run`), putting and snapshotting stored objects through the registry, and undo and redo
of this session's changes with the same names. The use cases are in the modules beside it."""

from __future__ import annotations

import datetime
import functools
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from chronology_app.core import audit, records, validation
from chronology_app.core.audit import audit_hash_of
from chronology_app.core.bulk import collector_paused
from chronology_app.core.changes import Change, History, OpChanges, Step, encodes, refuse
from chronology_app.core.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    NothingToUndo,
)
from chronology_app.core.model.tables import AuditRecord, Case
from chronology_app.core.settings import Settings, parse_settings
from chronology_app.core.store import objects, session_memo
from chronology_app.core.store import repository as repo
from chronology_app.core.store.engine import connect
from chronology_app.core.store.location import open_workspace
from chronology_app.core.store.workspace import Workspace

if TYPE_CHECKING:
    from chronology_app.core.store.server import ServerWorkspace

log = logging.getLogger(__name__)

UNDO_LIMIT = 100
# Where the authority's settings are kept in the workspace (table workspace_meta).
SETTINGS_KEY = "authority_settings"


class ServiceBase:
    """Use cases over one open workspace, on behalf of one user (named in the audit trail)."""

    def __init__(
        self, workspace: Workspace | ServerWorkspace, user: str, settings: Settings | None = None
    ) -> None:
        # On a team server the user is the database's: who signed in, not a desktop setting.
        user = getattr(workspace, "login", user)
        if not encodes(user):  # e.g. bytes in an environment variable that are not UTF-8
            raise InvalidInput({"user": "the user's name is not valid text; set it again"})
        self.workspace = workspace
        self.user = user
        # Settings given here (a --settings file) override the workspace's for this session.
        self.settings = settings if settings is not None else self.authority_settings()
        self._history = History()

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        passphrase: str,
        user: str,
        *,
        settings: Settings | None = None,
        backup_on_open: bool = True,
    ) -> Self:
        """Open the workspace at `path` (a file, or a team server's postgresql:// URL, where
        the passphrase is the database password if one is needed and the user is who signs
        in) for `user` (front ends never open the store themselves). `settings` override the
        workspace's own, for this session only."""
        keep = (settings or Settings()).backups_kept
        workspace = open_workspace(
            path, passphrase, keep_backups=keep, backup_on_open=backup_on_open
        )
        try:
            return cls(workspace, user, settings)
        except BaseException:
            workspace.close()
            raise

    @classmethod
    def create(cls, path: str | os.PathLike[str], passphrase: str, user: str) -> Self:
        """A new, empty, encrypted workspace at `path`."""
        return cls(Workspace.create(path, passphrase), user)

    def close(self) -> None:
        self.workspace.close()

    def check_passphrase(self, passphrase: str) -> None:
        """Raise `WrongPassphrase` (or another `WorkspaceError`) unless `passphrase` opens this
        workspace (the lock screen asks this; nothing is kept)."""
        if isinstance(self.workspace, Workspace):
            connect(self.workspace.path, passphrase).close()
        else:
            self.workspace.check_password(passphrase)  # never a stored password

    def case_data(self, reference: str) -> records.CaseData:
        """Read-only records of the case, entries in chronological order, for rules and views."""
        with collector_paused():
            with self.workspace.reading() as session:
                case = repo.case_row(session, reference)
                numbers: dict[str, int] = {}
                document = repo.export_document(session, case, numbers)
            return records.case_data(document, numbers)

    def authority_settings(self) -> Settings:
        """The authority's settings kept in this workspace (the defaults until someone sets
        them). A stored value that is no longer valid is refused with its paths, as a file is."""
        with self.workspace.reading() as session:
            stored = objects.stored("workspace_setting").snapshot(session, None, SETTINGS_KEY)
        if stored is None or stored["value"] is None:
            return Settings()
        return parse_settings(stored["value"], "the workspace's settings")

    @property
    def undo_name(self) -> str | None:
        return self._history.undo[-1].action if self._history.undo else None

    @property
    def redo_name(self) -> str | None:
        return self._history.redo[-1].action if self._history.redo else None

    def undo(self) -> OpChanges:
        return self._replay(self._history.undo, self._history.redo, "Undo", backwards=True)

    def redo(self) -> OpChanges:
        return self._replay(self._history.redo, self._history.undo, "Redo", backwards=False)

    def _replay(
        self, source: list[Step], target: list[Step], verb: str, *, backwards: bool
    ) -> OpChanges:
        if not source:
            raise NothingToUndo(f"There is nothing to {verb.lower()}.")
        step = source[-1]
        ordered = reversed(step.changes) if backwards else iter(step.changes)

        def body(session: Session) -> list[Change]:
            done = []
            for change in ordered:
                expected, wanted = (
                    (change.after, change.before) if backwards else (change.before, change.after)
                )
                case = repo.find_case(session, step.case_reference)
                current = self._snapshot(session, case, change.object, change.key)
                if current != expected:
                    raise Conflict(
                        f"Cannot {verb.lower()} “{step.action}”: it has been changed since. "
                        f"It is no longer offered to {verb.lower()}."
                    )
                done.append(self._apply(session, case, change.object, change.key, wanted))
            return done

        try:
            result = self._run(f"{verb}: {step.action}", step.case_reference, body, record=False)
        except Conflict:
            # It can never be replayed now (each step checks the state it expects), so it
            # must not stand in front of the earlier steps, which may still be undoable.
            source.pop()
            raise
        source.pop()
        target.append(step)
        if any(change.object == "workspace_setting" for change in step.changes):
            self.settings = self.authority_settings()
        return result

    def _run(
        self,
        action: str,
        reference: str | None,
        body: Callable[[Session], list[Change]],
        reason: str | None = None,
        record: bool = True,
    ) -> OpChanges:
        try:
            with self.workspace.writing() as session:
                changes = body(session)
                case = repo.find_case(session, reference)
                audit = self._audit(session, action, case, reference, changes, reason)
        except IntegrityError:
            log.warning("refused a change that would break the workspace's links: %s", action)
            raise Conflict(
                f"“{action}” was refused: other records still depend on what it would change."
            ) from None
        if record:
            self._history.undo.append(Step(action, reference, tuple(changes)))
            del self._history.undo[:-UNDO_LIMIT]
            self._history.redo.clear()
        log.info("%s (audit %s)", action.split(" ", 1)[0], audit)
        return OpChanges(action, reference, tuple(changes), audit)

    def _audit(
        self,
        session: Session,
        action: str,
        case: Case | None,
        reference: str | None,
        changes: list[Change],
        reason: str | None,
    ) -> int:
        values: dict[str, Any] = {
            "who": self.user,
            "action": action,
            "case_id": case.id if case else None,
            "case_reference": reference,
            "reason": reason,
            "changes": [change.as_json() for change in changes],
            "prev_hash": audit.chain_head(session, reference)
            if getattr(self.workspace, "per_case_chains", False)
            else audit.head(session),
        }
        values["at"] = repo.now()
        values["hash"] = audit_hash_of(values)
        on_server = bool(session.info.get(session_memo.SERVER_WRITE))
        if case is not None and not on_server:
            case.updated_at = values["at"]  # flushed with the save's own rows
        session.flush()  # the save's own rows first, as the ORM would
        # Through the table, not an ORM object: one INSERT ... RETURNING, no unit of work;
        # each statement built once (building one costs more than sending it).
        if case is not None and on_server:
            values["touched_case"] = case.id
            set_committed_value(case, "updated_at", values["at"])
            return int(session.execute(_record_touching(), values).scalar_one())
        return int(session.execute(_record(), values).scalar_one())

    def _apply(
        self,
        session: Session,
        case: Case | None,
        kind: str,
        key: str,
        state: dict[str, Any] | None,
    ) -> Change:
        stored = objects.stored(kind)
        before = stored.snapshot(session, case, key)
        stored.put(session, case, key, state)
        if kind == "case_file":  # the case's row is new (or gone)
            case = repo.find_case(session, key)
        return Change(kind, key, before, stored.snapshot(session, case, key))

    def _snapshot(
        self, session: Session, case: Case | None, kind: str, key: str
    ) -> dict[str, Any] | None:
        return objects.stored(kind).snapshot(session, case, key)

    @staticmethod
    def _existing(snapshot: dict[str, Any] | None, what: str) -> dict[str, Any]:
        if snapshot is None:
            raise NotFound(f"That {what} is not in this case.")
        return snapshot

    def _live_entry(self, session: Session, case: Case, entry_id: str) -> dict[str, Any]:
        before = self._existing(repo.snapshot_entry(session, repo.pk(case), entry_id), "entry")
        if before["withdrawn"] is not None:
            raise Conflict("That entry has been withdrawn; it cannot be changed.")
        return before

    def _reason_for_old_entry(
        self, session: Session, case: Case, entry_id: str, reason: str | None
    ) -> None:
        """An entry recorded longer ago than the settings allow is changed only with a reason."""
        if reason and reason.strip():
            return
        created = repo.entry_created_at(session, repo.pk(case), entry_id)
        hours = self.settings.edit_reason_after_hours
        if created is not None and repo.now() - created > datetime.timedelta(hours=hours):
            when = f"was recorded more than {_hours(hours)} ago" if hours else "is on the record"
            raise InvalidInput({"reason": f"this entry {when}: say why it is being changed"})

    @staticmethod
    def _check_entry(session: Session, case: Case, doc: dict[str, Any]) -> None:
        people = repo.person_ids(session, repo.pk(case))
        links = repo.relationship_ids(session, repo.pk(case))
        refuse(validation.check_entry(doc, "", people, links))


AUDIT_COLUMNS = (
    "who",
    "action",
    "case_id",
    "case_reference",
    "reason",
    "changes",
    "prev_hash",
    "at",
    "hash",
)


@functools.cache
def _record() -> Any:
    table: Any = AuditRecord.__table__  # type: ignore[attr-defined]
    return insert(table).returning(table.c.id)


@functools.cache
def _record_touching() -> Any:
    """On a team server: the case's row touched (`updated_at`) and the audit record written in
    one statement, one round trip. Every change to a case updates its row, so two changes to
    one case at the same moment cannot both be saved (the second is refused as a conflict);
    the record is made from the touched row, so the row is updated first, as it was when it
    was flushed before the record, and a second writer is refused by the row, not by the
    chain's unique index."""
    table: Any = AuditRecord.__table__  # type: ignore[attr-defined]
    cases: Any = Case.__table__  # type: ignore[attr-defined]
    touched = (
        update(cases)
        .where(cases.c.id == bindparam("touched_case"))
        .values(updated_at=bindparam("at"))
        .returning(cases.c.id)
        .cte("touched")
    )
    row = select(*[bindparam(name, type_=table.c[name].type) for name in AUDIT_COLUMNS])
    return (
        insert(table)
        .from_select(list(AUDIT_COLUMNS), row.select_from(touched))
        .returning(table.c.id)
    )


def _hours(hours: int) -> str:
    return "1 hour" if hours == 1 else f"{hours} hours"
