"""Offline check-out and check-in of one case between a team server and a laptop.

Check-out copies a case (as the server holds it, entry numbers included) into a new encrypted
file workspace, with the version it started from kept inside that file. The practitioner works
on it with no network. Check-in compares, object by object (the case's details, each person,
relationship, entry and flag review), the version checked out, the laptop's and the server's
now: what changed only on the laptop is applied to the server in one transaction and one audit
record; anything also changed on the server since, differently, refuses the whole check-in,
showing both versions, and nothing is applied. The laptop's file is left as it is until a
check-in has succeeded (it is then marked checked in, so it cannot be checked in twice).

Row-level security decides who may check a case out: an access-limited case only its named
people, as on the server itself.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlmodel import col

from chronology_app.core import clock
from chronology_app.core.audit import _diff
from chronology_app.core.errors import Conflict, NotFound, WorkspaceError
from chronology_app.core.model.tables import Entry, FlagReview, Person, Relationship, WorkspaceMeta
from chronology_app.core.service import Service
from chronology_app.core.store import repository as repo
from chronology_app.core.store.workspace import Workspace

log = logging.getLogger(__name__)

CHECKOUT_KEY = "checked_out_from"
KINDS = ("case", "person", "relationship", "entry", "flag_review")  # the order they are put in
Snapshot = dict[str, Any]
Objects = dict[str, dict[str, Snapshot]]


@dataclass(frozen=True)
class Clash:
    """One object changed both on the laptop and on the server since the check-out."""

    kind: str
    key: str
    fields: tuple[str, ...]  # paths into the documents (an entry's: "doc.summary")
    theirs: Any  # on the server now (its document, or None if removed there)
    yours: Any  # on the laptop

    @property
    def shown_fields(self) -> tuple[str, ...]:
        return tuple(path.removeprefix("doc.") for path in self.fields)


class CheckinConflict(Conflict):
    def __init__(self, clashes: list[Clash]) -> None:
        self.clashes = clashes
        lines = []
        for clash in clashes:
            shown = ", ".join(clash.shown_fields) or "removed"
            lines.append(f"  {clash.kind} {clash.key}: {shown}")
            for path, name in list(zip(clash.fields, clash.shown_fields, strict=True))[:5]:
                theirs = _at(clash.theirs, path)
                yours = _at(clash.yours, path)
                lines.append(f"      {name}: on the server {theirs!r}; yours {yours!r}")
        super().__init__(
            "Nothing was checked in: these were also changed on the team server since you "
            "checked the case out, differently from your changes. Your laptop copy is kept as "
            "it is; agree the changes with whoever made them (or make yours on the server), "
            "then check in again.\n" + "\n".join(lines)
        )


def _at(essence: Any, path: str) -> Any:
    value = essence
    for part in path.replace("]", "").replace("[", ".").split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


# --- reading one case's objects ---------------------------------------------------------------


def case_objects(session: Session, reference: str, *, live_only: bool = False) -> Objects:
    """Every object of the case, by type and key, as snapshots."""
    case = repo.case_row(session, reference)
    case_id = repo.pk(case)
    entries = {
        key: snap
        for key in repo.entry_numbers(session, case_id)
        if (snap := repo.snapshot_entry(session, case_id, key)) is not None
        and not (live_only and snap["withdrawn"] is not None)
    }
    review_keys = {
        repo.review_key(doc)
        for doc in session.scalars(
            select(col(FlagReview.doc)).where(col(FlagReview.case_id) == case_id)
        )
    }
    objects: Objects = {
        "case": {reference: repo.snapshot_case(session, reference) or {}},
        "person": _each(repo.snapshot_person, session, case_id, Person),
        "relationship": _each(repo.snapshot_relationship, session, case_id, Relationship),
        "entry": entries,
        "flag_review": {
            key: snap
            for key in review_keys
            if (snap := repo.snapshot_review(session, case_id, key)) is not None
        },
    }
    return objects


def _each(read: Any, session: Session, case_id: int, table: Any) -> dict[str, Snapshot]:
    keys = session.scalars(select(table.key).where(table.case_id == case_id))
    return {key: read(session, case_id, key) for key in keys}


def _essence(kind: str, snapshot: Snapshot | None) -> Any:
    """What a change is about: the document (and whether an entry is withdrawn), not where
    the object sits in the file, which differs between the laptop's copy and the server."""
    if snapshot is None:
        return None
    if kind == "flag_review":
        return [row["doc"] for row in snapshot["rows"]]
    if kind == "entry":
        return {"doc": snapshot["doc"], "withdrawn": snapshot["withdrawn"] is not None}
    return snapshot["doc"]


# --- check-out ----------------------------------------------------------------------------------


def checkout(server: Service, reference: str, path: str | os.PathLike[str], passphrase: str) -> Any:
    """Copy the case into a new encrypted workspace file at `path`. On a team server the case
    is held first: the server refuses others' changes to it until the check-in (or a
    supervisor's release), so the copy is the version the check-in starts from."""
    on_server = getattr(server.workspace, "per_case_chains", False)
    if on_server:
        _server_call(server, "chronology_check_out", reference)
    with server.workspace.reading() as session:
        copy = repo.snapshot_case_file(session, reference)
        if copy is None:
            raise NotFound(f'No case with reference "{reference}" that you can see there.')
        base = case_objects(session, reference, live_only=True)
    source = getattr(server.workspace, "location", "")
    marker = {
        "server": source,
        "reference": reference,
        "by": server.user,
        "at": clock.now_utc().isoformat(),
        "base": base,
        "checked_in": None,
    }
    try:
        local = Service(Workspace.create(path, passphrase), server.user)
        try:
            local.apply_states(
                f"Check out {reference} from the team server",
                reference,
                lambda _session: [
                    ("case_file", reference, copy),
                    ("workspace_setting", CHECKOUT_KEY, {"value": marker}),
                ],
            )
        finally:
            local.close()
    except BaseException:
        if on_server:  # no copy on the laptop: no hold on the server
            _server_call(server, "chronology_release", reference)
        raise
    log.info("checked a case out (%d entries)", len(base["entry"]))
    return marker


def _server_call(server: Service, function: str, reference: str) -> None:
    """Hold or release a case on the server (core/store/server_checkout.py)."""
    try:
        with server.workspace.writing() as session:
            session.execute(text(f"SELECT {function}(:r)"), {"r": reference})
    except DBAPIError as err:
        if getattr(err.orig, "sqlstate", None) == "P0002":
            raise NotFound(
                f'No case with reference "{reference}" that you can see there.'
            ) from None
        raise


# --- check-in -----------------------------------------------------------------------------------


def checkin(server: Service, path: str | os.PathLike[str], passphrase: str) -> int:
    """Apply the laptop's changes to the server; returns how many objects were changed."""
    local = Service.open(path, passphrase, server.user, backup_on_open=True)
    try:
        with local.workspace.reading() as session:
            row = session.get(WorkspaceMeta, CHECKOUT_KEY)
            marker = row.value if row is not None else None
            if not isinstance(marker, dict):
                raise WorkspaceError(f"{path} is not a case checked out from a team server.")
            if marker.get("checked_in"):
                raise WorkspaceError(
                    f"{path} was already checked in ({marker['checked_in']}); check the case "
                    "out again to work on it offline."
                )
            reference = str(marker["reference"])
            mine = case_objects(session, reference, live_only=False)
        base: Objects = marker["base"]
        changed = _local_changes(base, mine)

        def plan(session: Session) -> list[tuple[str, str, Snapshot | None]]:
            theirs = case_objects(session, reference)
            clashes = _clashes(changed, base, theirs)
            if clashes:
                raise CheckinConflict(clashes)
            if getattr(server.workspace, "per_case_chains", False):  # lifted with the check-in
                session.execute(text("SELECT chronology_release(:r)"), {"r": reference})
            return _states(session, reference, changed, theirs)

        result = server.apply_states(f"Check in {reference} from offline work", reference, plan)
        count = len([c for c in result.changes if c.before != c.after])
        done = {**marker, "checked_in": clock.now_utc().isoformat()}
        local.apply_states(
            "Checked in to the team server",
            reference,
            lambda _session: [("workspace_setting", CHECKOUT_KEY, {"value": done})],
        )
    finally:
        local.close()
    log.info("checked a case in (%d objects changed)", count)
    return count


def _local_changes(base: Objects, mine: Objects) -> dict[tuple[str, str], Snapshot | None]:
    changed: dict[tuple[str, str], Snapshot | None] = {}
    for kind in KINDS:
        for key in sorted(set(base.get(kind, {})) | set(mine.get(kind, {}))):
            before, after = base.get(kind, {}).get(key), mine.get(kind, {}).get(key)
            if _essence(kind, before) != _essence(kind, after):
                changed[(kind, key)] = after
    return changed


def _clashes(
    changed: Mapping[tuple[str, str], Snapshot | None], base: Objects, theirs: Objects
) -> list[Clash]:
    found = []
    for (kind, key), yours in changed.items():
        start = _essence(kind, base.get(kind, {}).get(key))
        now = theirs.get(kind, {}).get(key)
        if _essence(kind, now) in (start, _essence(kind, yours)):
            continue
        theirs = _essence(kind, now)
        paths = tuple(c.path for c in _diff(start or {}, theirs or {}, ""))
        found.append(Clash(kind, key, paths, theirs, _essence(kind, yours)))
    return found


def _states(
    session: Session,
    reference: str,
    changed: Mapping[tuple[str, str], Snapshot | None],
    theirs: Objects,
) -> list[tuple[str, str, Snapshot | None]]:
    """The states to put on the server: the laptop's documents, in the server's places (new
    objects go at the end, new entries get the server's next numbers)."""
    case = repo.case_row(session, reference)
    case_id = repo.pk(case)
    tables = {"person": Person, "relationship": Relationship, "entry": Entry}
    next_place = {
        kind: repo.next_position(session, table, case_id) for kind, table in tables.items()
    }
    number = case.next_entry_number
    puts: list[tuple[str, str, Snapshot | None]] = []
    removals: list[tuple[str, str, Snapshot | None]] = []
    for kind in KINDS:
        for (change_kind, key), yours in changed.items():
            if change_kind != kind:
                continue
            if yours is None:
                removals.append((kind, key, None))
                continue
            there = theirs.get(kind, {}).get(key)
            state = dict(yours)
            if kind in tables:
                if there is not None:
                    state["position"] = there["position"]
                else:
                    state["position"] = next_place[kind]
                    next_place[kind] += 1
            if kind == "entry":
                if there is not None:
                    state["number"] = there["number"]
                else:
                    state["number"] = number
                    number += 1
            puts.append((kind, key, state))
    return puts + removals[::-1]
