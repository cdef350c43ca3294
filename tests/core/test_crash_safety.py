"""Crash safety: a writer killed at any moment loses nothing it committed and leaves a workspace
that opens; a second program gets a clear message; a passphrase change killed half-way leaves
the workspace under the old passphrase or the new one."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chronology_app.core import audit
from chronology_app.core.errors import WorkspaceLocked, WrongPassphrase
from chronology_app.core.service import Service
from chronology_app.core.store import backup
from chronology_app.core.store.workspace import Workspace
from tests.conftest import PASSPHRASE, ROOT, minimal_case

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

REF = "TS-2024-0001"
KILLS = 8

# Each entry is one committed service call; its id is printed only once it is committed.
WRITER = """
import os, sys
from chronology_app.core.service import Service
from chronology_app.core.store.workspace import Workspace
service = Service(Workspace.open(sys.argv[1], os.environ["CHRONOLOGY_PASSPHRASE"]), "Writer")
number = 0
while True:
    number += 1
    entry = {"date": "2022-01-05", "kind": "note", "summary": f"Note {number}.",
             "source": {"agency": "Test"}}
    (entry_id,) = service.add_entry(sys.argv[2], entry).keys("entry")
    print(entry_id, flush=True)
"""

REKEY = """
import os, sys
from chronology_app.core.service import Service
from chronology_app.core.store.workspace import Workspace
old, new = os.environ["OLD"], os.environ["NEW"]
service = Service(Workspace.open(sys.argv[1], old), "Writer")
print("open", flush=True)
service.change_passphrase(old, new)
print("done", flush=True)
"""


def spawn(script: str, *args: str, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "CHRONOLOGY_PASSPHRASE": PASSPHRASE, **env},
    )


def kill(process: subprocess.Popen[bytes]) -> list[str]:
    """SIGKILL, then every line the process finished writing before it died."""
    os.kill(process.pid, signal.SIGKILL)
    out, err = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, err.decode(errors="replace")
    return [line for line in out.decode().splitlines(keepends=True) if line.endswith("\n")]


def first_line(process: subprocess.Popen[bytes]) -> str:
    assert process.stdout is not None
    line = process.stdout.readline().decode()
    assert line, process.stderr.read().decode(errors="replace") if process.stderr else ""
    return line


@pytest.fixture
def path(tmp_path: Path) -> Path:
    target = tmp_path / "w.chronology"
    with Workspace.create(target, PASSPHRASE) as workspace:
        Service(workspace, "T").import_case(minimal_case())
    return target


def test_a_writer_killed_at_any_moment_loses_nothing_it_committed(path: Path) -> None:
    seed = random.randrange(2**32)
    chance = random.Random(seed)
    committed: set[str] = set()
    for round_ in range(KILLS):
        writer = spawn(WRITER, str(path), REF)
        if round_ % 2:
            first = first_line(writer)  # mid-write: in a transaction, a commit, a print
            time.sleep(chance.uniform(0.0, 0.4))
            committed |= {first.strip()} | {line.strip() for line in kill(writer)}
        else:
            time.sleep(chance.uniform(0.05, 1.5))  # anywhere: start-up, lock, backup, writes
            committed |= {line.strip() for line in kill(writer)}
    assert len(committed) > KILLS, f"seed {seed}: the writers hardly wrote"
    with Workspace.open(path, PASSPHRASE) as workspace:
        service = Service(workspace, "T")
        present = set(service.case_data(REF).entry_by_id)
        with workspace.reading() as session:
            report = audit.verify(session)
    missing = committed - present
    assert not missing, f"seed {seed}: committed entries lost: {sorted(missing)}"
    assert report.intact, f"seed {seed}: {report.problems}"
    assert report.records == 1 + len(present - {"e1", "e2"})  # one record per committed entry
    for found in backup.list_backups(path):
        assert backup.check(found.path, PASSPHRASE) == "0004"
    print(f"seed {seed}: {len(committed)} committed entries over {KILLS} kills, none lost")


def test_a_second_program_gets_a_clear_message_not_corruption(path: Path) -> None:
    writer = spawn(WRITER, str(path), REF)
    try:
        first_line(writer)
        with pytest.raises(WorkspaceLocked, match="already open in another Chronology window"):
            Workspace.open(path, PASSPHRASE)
        cli = subprocess.run(
            [sys.executable, "-m", "chronology_app.cli", "cases", str(path)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "CHRONOLOGY_PASSPHRASE": PASSPHRASE},
            check=False,
        )
        assert cli.returncode == 1
        assert cli.stderr.startswith("chronology: w.chronology is already open in another")
        assert "Traceback" not in cli.stderr
    finally:
        kill(writer)
    with Workspace.open(path, PASSPHRASE) as workspace, workspace.reading() as session:
        assert audit.verify(session).intact


def test_a_passphrase_change_killed_half_way_leaves_one_passphrase_or_the_other(
    path: Path,
) -> None:
    chance = random.Random()
    passphrases = [PASSPHRASE, "the other passphrase for this test"]
    for _ in range(4):
        old, new = passphrases
        changer = spawn(REKEY, str(path), OLD=old, NEW=new)
        first_line(changer)  # open: the change is about to start
        time.sleep(chance.uniform(0.0, 0.5))
        finished = "done\n" in kill(changer)
        try:
            workspace = Workspace.open(path, new)
        except WrongPassphrase:
            assert not finished
            workspace = Workspace.open(path, old)
        else:
            passphrases.reverse()
        with workspace, workspace.reading() as session:
            assert audit.verify(session).intact
            assert Service(workspace, "T").document(REF)["case"]["title"] == "Family T"


def test_a_full_disk_says_so_and_keeps_what_was_saved(path: Path) -> None:
    from sqlalchemy import event

    from chronology_app.core.errors import WorkspaceError

    workspace = Workspace.open(path, PASSPHRASE)
    service = Service(workspace, "Tester")
    before = service.document(REF)
    # Every new connection may use only the pages the file has now: SQLite's own "database
    # or disk is full" (SQLITE_FULL) on the next write that needs more room.
    workspace.engine.dispose()

    def no_room(connection: object, _record: object) -> None:
        cursor = connection.cursor()  # type: ignore[attr-defined]
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages}")
        cursor.close()

    event.listen(workspace.engine, "connect", no_room)
    big = "A fictional note long enough to need new pages. " * 2000
    entry = {"date": "2022-01-05", "kind": "note", "summary": big, "source": {"agency": "Test"}}
    with pytest.raises(WorkspaceError, match=r"the disk is full, so this change was not saved"):
        service.add_entry(REF, entry)
    assert service.undo_name is None  # nothing half-done to undo
    workspace.close()
    with Workspace.open(path, PASSPHRASE) as reopened:
        assert Service(reopened, "Tester").document(REF) == before
        with reopened.reading() as session:
            assert audit.verify(session).intact
