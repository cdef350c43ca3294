"""Changing a case: its details, persons, relationships and entries, one at a time or many at
once (an agency's chronology; offline work checked in). Each is one named, audited transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from chronology_app.core import casefile, validation
from chronology_app.core.bulk import collector_paused
from chronology_app.core.changes import Change, OpChanges, copy_input, lower_first, new_id, refuse
from chronology_app.core.edit_conflicts import check_based_on
from chronology_app.core.errors import Conflict, InvalidCaseFile, InvalidInput
from chronology_app.core.model.tables import Case, Entry, Person, Relationship
from chronology_app.core.model.vocabulary import ENTRY_KINDS
from chronology_app.core.service.base import ServiceBase
from chronology_app.core.store import repository as repo


class Editing(ServiceBase):
    """Changes to a case, each one audited, undoable transaction."""

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
            position = repo.next_position(session, Relationship, repo.pk(case))
            return [
                self._apply(
                    session, case, "relationship", doc["id"], {"doc": doc, "position": position}
                )
            ]

        return self._run("Add relationship", reference, body)

    def add_entry(self, reference: str, entry: Mapping[str, Any]) -> OpChanges:
        doc = copy_input(entry)
        kind = ENTRY_KINDS.get(str(doc.get("kind")), "entry")

        def body(session: Session) -> list[Change]:
            case = repo.case_row(session, reference)
            # Each id is looked up on its own (not every id of the case read for it); the
            # look-up is the same one the change's before snapshot then reuses.
            while "id" not in doc:
                candidate = new_id("e", set())
                if repo.snapshot_entry(session, repo.pk(case), candidate) is None:
                    doc["id"] = candidate
            self._check_entry(session, case, doc)
            taken = isinstance(doc["id"], str) and (
                repo.snapshot_entry(session, repo.pk(case), doc["id"]) is not None
            )
            if taken:
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
            taken = repo.entry_keys(session, repo.pk(case))
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

        with collector_paused():
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
        if any(doc.get("same_event_as") is not None for doc in docs):
            others = repo.same_event_links(session, repo.pk(case))
            found.extend(validation.check_same_event(docs, "entries", others))
        return found

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
