"""The facade every front end uses: one method per use case.

Each writing method is one named transaction ("Add disclosure") that validates its input, makes
the change, writes an audit record (who, when, what before and after, why) in the same
transaction, and returns an `OpChanges` saying what changed, which the GUI refreshes from. Undo
and redo of this session's changes live here too, with the same names.
"""

from __future__ import annotations

import datetime
import logging
import os
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chronology_app.core import audit, authority, casefile, clock, crosscase, records, validation
from chronology_app.core.analysis import Analysis, ReviewedFlag, analyse_case, as_of_day
from chronology_app.core.audit import GENESIS_HASH, audit_hash  # noqa: F401 (kept importable)
from chronology_app.core.authority import AuthorityNote
from chronology_app.core.changes import (
    CaseReviewRecord,
    CaseSummary,
    Change,
    History,
    OpChanges,
    Step,
    copy_input,
    encodes,
    lower_first,
    new_id,
    refuse,
)
from chronology_app.core.crosscase import PersonRef
from chronology_app.core.edit_conflicts import check_based_on
from chronology_app.core.errors import (
    Conflict,
    InvalidCaseFile,
    InvalidInput,
    NotFound,
    NothingToUndo,
)
from chronology_app.core.model.tables import AuditRecord, Case, Entry, Person
from chronology_app.core.model.vocabulary import ENTRY_KINDS
from chronology_app.core.settings import Settings, parse_settings
from chronology_app.core.store import objects
from chronology_app.core.store import repository as repo
from chronology_app.core.store.backup import Backup
from chronology_app.core.store.engine import connect
from chronology_app.core.store.location import open_workspace
from chronology_app.core.store.workspace import Workspace

if TYPE_CHECKING:
    from chronology_app.core.store.server import ServerWorkspace

log = logging.getLogger(__name__)

UNDO_LIMIT = 100
# Where the authority's settings are kept in the workspace (table workspace_meta).
SETTINGS_KEY = "authority_settings"


class Service:
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
    ) -> Service:
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
    def create(cls, path: str | os.PathLike[str], passphrase: str, user: str) -> Service:
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

    # --- reading ------------------------------------------------------------------------

    def cases(self) -> list[CaseSummary]:
        with self.workspace.reading() as session:
            entries = repo.live_entry_counts(session)
            persons = repo.person_counts(session)
            return [
                CaseSummary(
                    reference=row.reference,
                    title=row.title,
                    status=row.status,
                    local_authority=row.doc.get("local_authority"),
                    entries=entries.get(repo.pk(row), 0),
                    persons=persons.get(repo.pk(row), 0),
                    updated_at=row.updated_at,
                )
                for row in repo.case_rows(session)
            ]

    def document(self, reference: str) -> dict[str, Any]:
        """The case as a case-file document (what export writes)."""
        with self.workspace.reading() as session:
            return repo.export_document(session, repo.case_row(session, reference))

    def history(self, reference: str, entry_id: str) -> list[audit.HistoryItem]:
        """Who changed an entry, when, why and what, oldest first (kept after the case is
        removed: the trail outlives it)."""
        with self.workspace.reading() as session:
            items = audit.entry_history(session, reference, entry_id)
            number = entry_id.upper().removeprefix("E")
            if not items and number.isascii() and number.isdigit() and len(number) < 10:
                # the entry's number as the app shows it, such as E0042
                key = repo.entry_key_by_number(session, reference, int(number))
                items = audit.entry_history(session, reference, key) if key else []
        if not items:
            raise NotFound(f'No entry "{entry_id}" has ever been in case "{reference}".')
        return items

    def withdrawn_entries(self, reference: str) -> list[dict[str, Any]]:
        """The case's withdrawn entries, each {"doc", "number", "withdrawn": {reason, by, at}}
        (they are kept, out of the chronology, with the reason)."""
        with self.workspace.reading() as session:
            case = repo.case_row(session, reference)
            return repo.withdrawn_entries(session, repo.pk(case))

    def case_data(self, reference: str) -> records.CaseData:
        """Read-only records of the case, entries in chronological order, for rules and views."""
        with self.workspace.reading() as session:
            case = repo.case_row(session, reference)
            document = repo.export_document(session, case)
            numbers = repo.entry_numbers(session, repo.pk(case))
        return records.case_data(document, numbers)

    # --- flags and cross-case matches ---------------------------------------------------

    def analysis(self, reference: str, case: records.CaseData | None = None) -> Analysis:
        """The case analysed with the authority's settings, as of today while it is open and as
        of its latest entry once closed. Confirmed matches bring in history from the other
        cases they point to. `case` is the case's records when the caller has just read them
        (they are not read twice)."""
        with self.workspace.reading() as session:
            decisions = repo.match_decisions(session)
        confirmed = [(a, b) for a, b, decision in decisions if decision == "confirmed"]
        wanted = {reference} | {
            ref.case_reference
            for pair in confirmed
            if reference in {p.case_reference for p in pair}
            for ref in pair
        }
        cases = {
            ref: case if case is not None and ref == reference else self.case_data(ref)
            for ref in sorted(wanted)
        }
        return self._analyse(reference, cases, confirmed)

    def flags(self, reference: str, case: records.CaseData | None = None) -> list[ReviewedFlag]:
        """The flags on one case, each with its review (see `analysis`)."""
        return list(self.analysis(reference, case).flags)

    def workspace_flags(self) -> dict[str, list[ReviewedFlag]]:
        """The flags on every case in the workspace, by case reference."""
        with self.workspace.reading() as session:
            decisions = repo.match_decisions(session)
        confirmed = [(a, b) for a, b, decision in decisions if decision == "confirmed"]
        cases = {summary.reference: self.case_data(summary.reference) for summary in self.cases()}
        return {ref: list(self._analyse(ref, cases, confirmed).flags) for ref in cases}

    def _analyse(
        self,
        reference: str,
        cases: Mapping[str, records.CaseData],
        confirmed: list[tuple[PersonRef, PersonRef]],
    ) -> Analysis:
        data = cases[reference]
        history = crosscase.external_history(reference, confirmed, cases)
        if getattr(self.workspace, "per_case_chains", False):  # a team server
            for person, found in authority.external_history(
                self.authority_notes(reference)
            ).items():
                history[person] = [*history.get(person, ()), *found]
        as_of = as_of_day(data.case, clock.today(), in_workspace=True)
        return analyse_case(data, self.settings, as_of=as_of, external_history=history)

    def match_suggestions(self) -> list[crosscase.MatchSuggestion]:
        """Persons in different cases who may be the same person, not yet decided on, each with
        why. Candidates come from the stored name keys (an indexed join, not every pair)."""
        with self.workspace.reading() as session:
            rows = repo.candidate_person_pairs(session)
            decided = [crosscase.pair_key(a, b) for a, b, _ in repo.match_decisions(session)]
        return crosscase.suggest_from_rows(rows, decided)

    def authority_notes(self, reference: str) -> list[AuthorityNote]:
        """On a team server: persons of this case that another case in the authority, one the
        user may not see, may record, with only the team to contact and the dates of their DA
        history there (core/authority.py). A file workspace has none (it holds every case)."""
        if not getattr(self.workspace, "per_case_chains", False):
            return []
        with self.workspace.reading() as session:
            return authority.notes(session, reference)

    def look_alikes(
        self, reference: str, person: Mapping[str, Any], case: records.CaseData | None = None
    ) -> list[tuple[records.PersonRecord, str]]:
        """Persons already in the case whom `person` (about to be added or saved) may
        duplicate, with why: a warning for the practitioner, never a refusal. `case` is the
        case's records when the caller holds them (they are not read again)."""
        doc = {"id": "", **copy_input(person)}
        refuse(validation.check_person({**doc, "id": doc["id"] or "new"}, ""))
        persons = (case or self.case_data(reference)).persons
        return crosscase.look_alikes(records.person_record(doc), persons)

    def decide_match(
        self, first: PersonRef, second: PersonRef, decision: str, reason: str | None = None
    ) -> OpChanges:
        """Confirm or reject that two person records in different cases are the same person."""
        if decision not in ("confirmed", "rejected"):
            raise InvalidInput({"decision": "must be one of: confirmed, rejected"})
        if first.case_reference == second.case_reference:
            raise InvalidInput({"second": "a match joins persons in two different cases"})
        key = crosscase.pair_key(first, second)
        state = {"decision": decision, "reason": reason, "by": self.user}

        def body(session: Session) -> list[Change]:
            return [self._apply(session, None, "person_match", key, state)]

        action = "Confirm same person" if decision == "confirmed" else "Reject same person"
        return self._run(action, first.case_reference, body, reason=reason)

    # --- cases --------------------------------------------------------------------------

    def create_case(self, case: Mapping[str, Any]) -> OpChanges:
        doc = copy_input(case)
        refuse(validation.check_case(doc, ""))
        with self.workspace.reading() as session:
            if repo.snapshot_case(session, doc["reference"]) is not None:
                raise InvalidInput(
                    {
                        "reference": f'A case with reference "{doc["reference"]}" is already in '
                        "this workspace; give the new case its own reference."
                    }
                )
        document = {
            "format": "chronology-case",
            "version": 1,
            "case": doc,
            "persons": [],
            "relationships": [],
            "entries": [],
            "flag_reviews": [],
        }
        return self._import(document, f"Create case {doc['reference']}")

    def import_case(self, document: Mapping[str, Any], source: str | None = None) -> OpChanges:
        """Add a case from a case-file document. An invalid document changes nothing."""
        if not isinstance(document, Mapping):
            raise InvalidCaseFile(["a case file must be a JSON object"], source)
        try:
            copied = copy_input(document)
        except InvalidInput as err:
            raise InvalidCaseFile([f"{k}: {m}" for k, m in err.problems.items()], source) from None
        checked = casefile.check(copied, source)
        return self._import(checked, f"Import case {checked['case']['reference']}")

    def _import(self, document: dict[str, Any], action: str) -> OpChanges:
        reference = document["case"]["reference"]

        def body(session: Session) -> list[Change]:
            if repo.snapshot_case(session, reference) is not None:
                raise Conflict(
                    f'A case with reference "{reference}" is already in this workspace. '
                    "Export or rename it first; nothing was imported."
                )
            return [self._apply(session, None, "case_file", reference, {"document": document})]

        return self._run(action, reference, body)

    def update_case(
        self, reference: str, case: Mapping[str, Any], based_on: Mapping[str, Any] | None = None
    ) -> OpChanges:
        """`based_on`: the details as the user opened them (see core/edit_conflicts.py)."""
        doc = copy_input(case)
        refuse(validation.check_case(doc, ""))
        if doc["reference"] != reference:
            raise InvalidInput({"reference": "a case's reference cannot be changed"})

        def body(session: Session) -> list[Change]:
            stored = self._existing(repo.snapshot_case(session, reference), "case")
            check_based_on("case's details", based_on, stored["doc"], doc)
            return [self._apply(session, None, "case", reference, {"doc": doc})]

        return self._run("Edit case details", reference, body)

    # --- persons and relationships ------------------------------------------------------

    def add_person(self, reference: str, person: Mapping[str, Any]) -> OpChanges:
        doc = copy_input(person)

        def body(session: Session) -> list[Change]:
            case = repo.case_row(session, reference)
            taken = set(repo.person_ids(session, repo.pk(case)))
            doc.setdefault("id", new_id("p", taken))
            refuse(validation.check_person(doc, ""))
            if doc["id"] in taken:
                raise InvalidInput({"id": f'"{doc["id"]}" is already the id of a person'})
            state = {"doc": doc, "position": repo.next_position(session, Person, repo.pk(case))}
            return [self._apply(session, case, "person", doc["id"], state)]

        return self._run("Add person", reference, body)

    def edit_person(
        self,
        reference: str,
        person_id: str,
        person: Mapping[str, Any],
        based_on: Mapping[str, Any] | None = None,
    ) -> OpChanges:
        """`based_on`: the person as the user opened them (see core/edit_conflicts.py)."""
        doc = {**copy_input(person), "id": person_id}
        refuse(validation.check_person(doc, ""))

        def body(session: Session) -> list[Change]:
            case = repo.case_row(session, reference)
            before = self._existing(
                repo.snapshot_person(session, repo.pk(case), person_id), "person"
            )
            check_based_on("person", based_on, before["doc"], doc)
            state = {**before, "doc": doc}
            return [self._apply(session, case, "person", person_id, state)]

        return self._run("Edit person", reference, body)

    def add_relationship(self, reference: str, relationship: Mapping[str, Any]) -> OpChanges:
        doc = copy_input(relationship)

        def body(session: Session) -> list[Change]:
            case = repo.case_row(session, reference)
            taken = set(repo.relationship_ids(session, repo.pk(case)))
            doc.setdefault("id", new_id("r", taken))
            people = repo.person_ids(session, repo.pk(case))
            refuse(validation.check_relationship(doc, "", people))
            if doc["id"] in taken:
                raise InvalidInput({"id": f'"{doc["id"]}" is already the id of a relationship'})
            position = repo.next_position(session, repo.Relationship, repo.pk(case))
            return [
                self._apply(
                    session, case, "relationship", doc["id"], {"doc": doc, "position": position}
                )
            ]

        return self._run("Add relationship", reference, body)

    # --- entries ------------------------------------------------------------------------

    def add_entry(self, reference: str, entry: Mapping[str, Any]) -> OpChanges:
        doc = copy_input(entry)
        kind = ENTRY_KINDS.get(str(doc.get("kind")), "entry")

        def body(session: Session) -> list[Change]:
            case = repo.case_row(session, reference)
            taken = set(repo.entry_numbers(session, repo.pk(case)))
            doc.setdefault("id", new_id("e", taken))
            self._check_entry(session, case, doc)
            if doc["id"] in taken:
                raise InvalidInput({"id": f'"{doc["id"]}" is already the id of an entry'})
            state = {
                "doc": doc,
                "position": repo.next_position(session, Entry, repo.pk(case)),
                "number": case.next_entry_number,
                "withdrawn": None,
            }
            return [self._apply(session, case, "entry", doc["id"], state)]

        return self._run(f"Add {lower_first(kind)}", reference, body)

    def edit_entry(
        self,
        reference: str,
        entry_id: str,
        entry: Mapping[str, Any],
        reason: str | None = None,
        based_on: Mapping[str, Any] | None = None,
    ) -> OpChanges:
        """`based_on`: the entry as the user opened it (see core/edit_conflicts.py)."""
        doc = {**copy_input(entry), "id": entry_id}

        def body(session: Session) -> list[Change]:
            case = repo.case_row(session, reference)
            before = self._live_entry(session, case, entry_id)
            check_based_on("entry", based_on, before["doc"], doc)
            self._check_entry(session, case, doc)
            self._reason_for_old_entry(session, case, entry_id, reason)
            return [self._apply(session, case, "entry", entry_id, {**before, "doc": doc})]

        return self._run("Edit entry", reference, body, reason=reason)

    def link_person(
        self, reference: str, entry_id: str, person_id: str, role: str, reason: str | None = None
    ) -> OpChanges:
        """Name a person in an entry, in a role (e.g. as alleged perpetrator)."""

        def body(session: Session) -> list[Change]:
            case = repo.case_row(session, reference)
            before = self._live_entry(session, case, entry_id)
            doc = copy_input(before["doc"])
            doc.setdefault("persons", []).append({"person": person_id, "role": role})
            self._check_entry(session, case, doc)
            self._reason_for_old_entry(session, case, entry_id, reason)
            return [self._apply(session, case, "entry", entry_id, {**before, "doc": doc})]

        return self._run("Link person to entry", reference, body, reason=reason)

    def withdraw_entry(self, reference: str, entry_id: str, reason: str) -> OpChanges:
        """Take an entry out of the chronology. It is kept, marked withdrawn, with the reason."""
        if not reason or not reason.strip():
            raise InvalidInput({"reason": "say why the entry is withdrawn"})

        def body(session: Session) -> list[Change]:
            case = repo.case_row(session, reference)
            before = self._live_entry(session, case, entry_id)
            withdrawn = {"reason": reason, "by": self.user, "at": repo.now().isoformat()}
            state = {**before, "withdrawn": withdrawn}
            return [self._apply(session, case, "entry", entry_id, state)]

        return self._run("Withdraw entry", reference, body, reason=reason)

    # --- flag reviews -------------------------------------------------------------------

    def record_flag_review(self, reference: str, review: Mapping[str, Any]) -> OpChanges:
        """Acknowledge or dismiss a flag. A later review of the same flag replaces it."""
        doc = copy_input(review)
        doc.setdefault("by", self.user)
        doc.setdefault("on", repo.now().date().isoformat())

        def body(session: Session) -> list[Change]:
            case = repo.case_row(session, reference)
            live = repo.live_entry_ids(session, repo.pk(case))
            refuse(validation.check_flag_review(doc, "", live))
            key = repo.review_key(doc)
            before = repo.snapshot_review(session, repo.pk(case), key)
            position = (
                before["rows"][0]["position"]
                if before
                else repo.next_position(session, repo.FlagReview, repo.pk(case))
            )
            state = {"rows": [{"doc": doc, "position": position}]}
            return [self._apply(session, case, "flag_review", key, state)]

        decision = "Dismiss flag" if doc.get("decision") == "dismissed" else "Acknowledge flag"
        return self._run(decision, reference, body, reason=doc.get("reason"))

    # --- supervision -------------------------------------------------------------------

    def record_case_review(self, reference: str, comments: str) -> OpChanges:
        """A supervisor marks the case reviewed, with comments (kept in the workspace and the
        audit trail; not part of case files)."""
        if not comments or not comments.strip():
            raise InvalidInput({"comments": "Say what the review found or decided."})

        def body(session: Session) -> list[Change]:
            case = repo.case_row(session, reference)
            key = f"review-{secrets.token_hex(4)}"
            state = {"by": self.user, "at": repo.now().isoformat(), "comments": comments.strip()}
            return [self._apply(session, case, "case_review", key, state)]

        return self._run("Mark case reviewed", reference, body, reason=comments.strip())

    def case_reviews(self, reference: str) -> list[CaseReviewRecord]:
        with self.workspace.reading() as session:
            case = repo.case_row(session, reference)
            return [
                CaseReviewRecord(row.reviewed_by, row.reviewed_at, row.comments)
                for row in repo.case_reviews(session, repo.pk(case))
            ]

    # --- the workspace as a whole ---------------------------------------------------------

    def backups(self) -> list[Backup]:
        """The workspace's backups (when, why, size), oldest first."""
        return self.workspace.backups()

    def backup_now(self) -> Path:
        """An encrypted copy of the workspace as it is now, in its backup folder."""
        return self.workspace.backup("manual")

    def audit_fingerprint_line(self) -> str | None:
        """The audit trail's newest fingerprint and length, for a report's footer ("audit
        fingerprint 884be954… (after record 5)"), so the printed page anchors the trail too.
        None on a team server, where each case has its own chain."""
        if not isinstance(self.workspace, Workspace):
            return None
        anchor = self.workspace.trail_anchor()
        return f"{anchor.fingerprint} (after record {anchor.records})"

    def verify_audit(self, anchors: Iterable[str] = ()) -> audit.ChainReport:
        """Whether the audit trail is as Chronology wrote it, and the newest record's
        fingerprint to note down (`anchors`: fingerprints noted before)."""
        with self.workspace.reading() as session:
            return audit.verify(session, anchors)

    @classmethod
    def restore(
        cls,
        backup: str | os.PathLike[str],
        path: str | os.PathLike[str],
        passphrase: str,
        user: str,
    ) -> tuple[Service, Path | None]:
        """Put `backup` in place as the workspace at `path` (closed first by the caller) and
        open it, on the record. The workspace that was there is kept in the backup folder;
        returns the service and where it was kept."""
        workspace, kept = Workspace.restore(backup, path, passphrase, replace=True)
        try:
            service = cls(workspace, user)
            service.record_workspace_event("Restore from backup", Path(backup).name)
        except BaseException:
            workspace.close()
            raise
        return service, kept

    def change_passphrase(self, old: str, new: str) -> OpChanges:
        """Re-encrypt the workspace (and its backups) under a new passphrase, on the record."""
        rekeyed = self.workspace.change_passphrase(old, new)
        noun = "backup" if rekeyed == 1 else "backups"
        return self.record_workspace_event(
            "Change passphrase", f"the workspace and {rekeyed} {noun} re-encrypted"
        )

    def record_workspace_event(self, action: str, reason: str | None = None) -> OpChanges:
        """Put something done to the workspace as a whole (a new passphrase, a restore from a
        backup) on the audit trail. It changes no case and is not undoable."""
        return self._run(action, None, lambda _session: [], reason=reason, record=False)

    # --- the authority's settings --------------------------------------------------------

    def authority_settings(self) -> Settings:
        """The authority's settings kept in this workspace (the defaults until someone sets
        them). A stored value that is no longer valid is refused with its paths, as a file is."""
        with self.workspace.reading() as session:
            stored = objects.stored("workspace_setting").snapshot(session, None, SETTINGS_KEY)
        if stored is None or stored["value"] is None:
            return Settings()
        return parse_settings(stored["value"], "the workspace's settings")

    def set_authority_settings(self, data: Mapping[str, Any]) -> OpChanges:
        """Replace the authority's settings (as a settings file holds them), on the record."""
        value = copy_input(data)
        settings = parse_settings(value, "the new settings")

        def body(session: Session) -> list[Change]:
            state = {"value": value}
            return [self._apply(session, None, "workspace_setting", SETTINGS_KEY, state)]

        result = self._run("Change authority settings", None, body)
        self.settings = settings
        return result

    # --- several objects at once (check-in of offline work) ---------------------------------

    def apply_states(
        self,
        action: str,
        reference: str,
        plan: Callable[[Session], list[tuple[str, str, dict[str, Any] | None]]],
    ) -> OpChanges:
        """Put (object type, key, state) for each object of one case, in one transaction and
        one audit record (`case_file` creates the case). `plan(session)` says what to put,
        reading the store in the same transaction, and refuses by raising (core/checkout.py
        checks there what changed on the server since a check-out)."""

        def body(session: Session) -> list[Change]:
            done = []
            for kind, key, state in plan(session):
                case = None if kind == "case_file" else repo.case_row(session, reference)
                done.append(self._apply(session, case, kind, key, state))
            return done

        return self._run(action, reference, body)

    # --- undo and redo ------------------------------------------------------------------

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

    # --- the machinery ------------------------------------------------------------------

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
                if case is not None:
                    case.updated_at = repo.now()
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
        row = AuditRecord(
            who=self.user,
            action=action,
            case_id=case.id if case else None,
            case_reference=reference,
            reason=reason,
            changes=[change.as_json() for change in changes],
            prev_hash=audit.chain_head(session, reference)
            if getattr(self.workspace, "per_case_chains", False)
            else audit.head(session),
            hash="",
        )
        row.at = repo.now()
        row.hash = audit_hash(row)
        session.add(row)
        session.flush()
        return row.id or 0

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

    # --- sharing sign-offs (reports: the check before a family-facing report) ------------

    SIGN_OFF = "Sign off for sharing"

    def sign_off_shared(self, reference: str, entry_id: str) -> OpChanges:
        """Record that a practitioner has read an entry the sharing check warned about and
        judged it safe to share with the family. The record carries the entry's fingerprint
        (its printed text), so a later edit of the entry clears the sign-off. On the audit
        trail; not undoable (it changes no record of the case)."""
        from chronology_app.core.reports.check import entry_fingerprint

        entry = self.case_data(reference).entry_by_id.get(entry_id)
        if entry is None:
            raise NotFound("That entry is not in this case.")
        fingerprint = entry_fingerprint(entry)

        def body(_session: Session) -> list[Change]:
            return [Change("sharing_sign_off", entry_id, None, {"fingerprint": fingerprint})]

        return self._run(
            self.SIGN_OFF, reference, body, reason="checked, safe to share", record=False
        )

    def shared_sign_offs(self, reference: str) -> dict[str, str]:
        """Entry id -> the fingerprint of its latest sign-off for sharing."""
        with self.workspace.reading() as session:
            return audit.sharing_sign_offs(session, reference, self.SIGN_OFF)

    # --- importing an agency's chronology (issue 12) -------------------------------------

    def import_entries(
        self, reference: str, entries: Sequence[Mapping[str, Any]], action: str
    ) -> OpChanges:
        """Add many entries to a case at once (an agency's chronology read from a table): one
        transaction, one audit record named `action` ("Import Police contribution, 143
        entries"), one undo step. They are one change of kind "entries" keyed by the range of
        their numbers (`repo.batch_key`), written and undone in bulk. An entry may name an
        entry already in the case, or another of these, in `same_event_as`. Nothing is written
        if any entry has a problem."""
        docs = copy_input({"entries": list(entries)})["entries"]
        if not docs:
            raise InvalidInput({"entries": "there is nothing to import"})

        def body(session: Session) -> list[Change]:
            case = repo.case_row(session, reference)
            taken = set(repo.entry_numbers(session, repo.pk(case)))
            given = taken | {str(doc.get("id")) for doc in docs}
            for doc in docs:
                if "id" not in doc:
                    doc["id"] = new_id("e", given)
                    given.add(doc["id"])
            refuse(self._check_new_entries(session, case, docs, taken))
            position = repo.next_position(session, Entry, repo.pk(case))
            states = [
                {
                    "doc": doc,
                    "position": position + index,
                    "number": case.next_entry_number + index,
                    "withdrawn": None,
                }
                for index, doc in enumerate(docs)
            ]
            key = repo.batch_key(states[0]["number"], states[-1]["number"])
            return [self._apply(session, case, "entries", key, {"entries": states})]

        return self._run(action, reference, body)

    @staticmethod
    def _check_new_entries(
        session: Session, case: Case, docs: list[dict[str, Any]], taken: set[str]
    ) -> list[validation.Problem]:
        people = repo.person_ids(session, repo.pk(case))
        links = repo.relationship_ids(session, repo.pk(case))
        found: list[validation.Problem] = []
        for index, doc in enumerate(docs):
            found.extend(validation.check_entry(doc, f"entries[{index}]", people, links))
            if doc.get("id") in taken:
                found.append(
                    validation.Problem(
                        f"entries[{index}].id", f'"{doc["id"]}" is already the id of an entry'
                    )
                )
        found.extend(validation.check_unique_ids(docs, "entries"))
        others = repo.same_event_links(session, repo.pk(case))
        found.extend(validation.check_same_event(docs, "entries", others))
        return found


def _hours(hours: int) -> str:
    return "1 hour" if hours == 1 else f"{hours} hours"
