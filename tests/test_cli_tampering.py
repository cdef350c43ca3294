"""Tampering by someone who holds the passphrase, and what `audit verify` and opening catch,
with and without the anchor this computer keeps (issue 14, item 7). SECURITY.md's table says
the same; keep the two in step."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from chronology_app.core import anchors, audit
from chronology_app.core.service import Service
from chronology_app.core.store import backup as copies
from chronology_app.core.store.engine import connect
from chronology_app.core.store.workspace import Workspace
from tests.conftest import PASSPHRASE, minimal_case
from tests.conftest import run_cli as run

REF = "TS-2024-0001"


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CHRONOLOGY_USER", "Test Worker")


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """Four audit records (import, withdraw, case review, a workspace event), an older backup
    (after the import), and this computer's anchor at the newest record."""
    path = tmp_path / "w.chronology"
    with Workspace.create(path, PASSPHRASE) as workspace:
        service = Service(workspace, "Test Worker")
        service.import_case(minimal_case())
        workspace.backup("manual")
        service.withdraw_entry(REF, "e1", "entered twice")
        service.record_case_review(REF, "Looked at with the team.")
        service.record_workspace_event("Restore from backup", "an earlier copy")
    return path


def sql(path: Path, *statements: str) -> None:
    """What an insider with the passphrase and SQLite tools can do."""
    connection = connect(path, PASSPHRASE)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def rehash(path: Path) -> None:
    """Recompute the whole chain, as an insider covering their tracks would."""
    connection = connect(path, PASSPHRASE)
    try:
        previous = audit.GENESIS_HASH
        columns = "id, at, who, action, case_id, case_reference, reason, changes, prev_hash, hash"
        for row in connection.execute(f"SELECT {columns} FROM audit_record ORDER BY id").fetchall():
            raw = type("Raw", (), dict(zip(columns.split(", "), row, strict=True)))
            record = audit._as_record(raw)
            assert record is not None
            record.prev_hash = previous
            previous = audit.audit_hash(record)
            connection.execute(
                "UPDATE audit_record SET prev_hash = ?, hash = ? WHERE id = ?",
                (record.prev_hash, previous, row[0]),
            )
        connection.commit()
    finally:
        connection.close()


def edit(path: Path) -> None:
    sql(path, "UPDATE audit_record SET reason = 'for no reason' WHERE id = 2")


def rewrite(path: Path) -> None:
    sql(path, "UPDATE audit_record SET who = 'Someone Else' WHERE id = 2")
    rehash(path)


def delete_last_change(path: Path) -> None:
    sql(path, "DELETE FROM audit_record WHERE id >= 3")  # the review's record, and the event


def delete_last_event(path: Path) -> None:
    sql(path, "DELETE FROM audit_record WHERE id = 4")  # a record that changed no case


def delete_middle(path: Path) -> None:
    sql(path, "DELETE FROM audit_record WHERE id = 2")


def append_forged(path: Path) -> None:
    forged = {"object": "case", "key": REF, "before": None, "after": {"doc": {"title": "X"}}}
    sql(
        path,
        "INSERT INTO audit_record (at, who, action, case_id, case_reference, reason, changes, "
        "prev_hash, hash) SELECT at, 'Test Worker', 'Edit case', case_id, case_reference, NULL, "
        f"'{json.dumps([forged])}', hash, '' FROM audit_record WHERE id = 4",
    )
    rehash(path)


def append_forged_event(path: Path) -> None:
    sql(
        path,
        "INSERT INTO audit_record (at, who, action, case_id, case_reference, reason, changes, "
        "prev_hash, hash) SELECT at, 'Test Worker', 'Restore from backup', NULL, NULL, NULL, "
        "'[]', hash, '' FROM audit_record WHERE id = 4",
    )
    rehash(path)


def roll_back(path: Path) -> None:
    older = next(b.path for b in copies.list_backups(path) if b.label == "manual")
    for sidecar in copies.sidecars(path):
        sidecar.unlink(missing_ok=True)
    shutil.copyfile(older, path)  # no passphrase needed


def edit_case_table(path: Path) -> None:
    sql(
        path,
        "UPDATE entry SET doc = json_set(doc, '$.summary', 'Nothing happened.') WHERE key = 'e2'",
    )


# kind, the tampering, caught with this computer's anchor, caught without it, words expected
KINDS: list[tuple[str, Callable[[Path], None], bool, bool, str]] = [
    ("edit", edit, True, True, "record 2 was edited"),
    ("edit-and-rehash", rewrite, True, False, "fingerprint"),
    ("delete-last-change", delete_last_change, True, True, "case_review"),
    ("delete-last-event", delete_last_event, True, False, "fewer than the 4"),
    ("delete-middle", delete_middle, True, True, "record 2 removed"),
    ("append-forged", append_forged, True, True, "details differ"),
    ("append-forged-event", append_forged_event, False, False, ""),
    ("roll-back-to-older-file", roll_back, True, False, "fewer than the 4"),
    ("edit-case-table", edit_case_table, True, True, "entry e2 changed outside Chronology"),
]


@pytest.mark.parametrize(
    ("tampering", "with_anchor", "without_anchor", "words"),
    [pytest.param(*k[1:], id=k[0]) for k in KINDS],
)
@pytest.mark.parametrize("anchored", [True, False], ids=["anchor", "no-anchor"])
def test_what_audit_verify_catches(
    ws: Path,
    tampering: Callable[[Path], None],
    with_anchor: bool,
    without_anchor: bool,
    words: str,
    anchored: bool,
) -> None:
    assert run("audit", "verify", str(ws))[0] == 0
    tampering(ws)
    if not anchored:
        anchors.store_path().unlink()
    code, out, _ = run("audit", "verify", str(ws))
    caught = with_anchor if anchored else without_anchor
    assert code == (3 if caught else 0), out
    if caught and (anchored or "fewer" not in words):
        assert words in out


def test_opening_warns_when_the_trail_is_shorter_than_this_computer_saw(ws: Path) -> None:
    roll_back(ws)
    code, _, err = run("cases", str(ws))
    assert code == 0
    assert "warning: The audit trail of w.chronology has 1 records, fewer than the 4" in err
    # The warning stays until someone acts: opening again does not move the anchor back.
    assert "fewer than the 4" in run("cases", str(ws))[2]
    code, out, _ = run("audit", "verify", str(ws), "--accept")
    assert code == 0 and "taken as this computer's anchor" in out
    assert run("cases", str(ws))[2] == ""


def test_a_restore_moves_the_anchor(ws: Path) -> None:
    older = next(b.path for b in copies.list_backups(ws) if b.label == "manual")
    code, _, err = run("restore", str(older), str(ws), "--replace")
    assert (code, err) == (0, "")
    assert run("cases", str(ws))[2] == ""
    assert run("audit", "verify", str(ws))[0] == 0


def test_the_anchor_file_holds_no_case_content(ws: Path) -> None:
    text = anchors.store_path().read_text(encoding="utf-8")
    stored = json.loads(text)
    assert len(stored) == 1
    (item,) = stored.values()
    assert set(item) == {"head", "records", "seen_at"} and item["records"] == 4
    assert REF not in text and "Ann" not in text
    assert anchors.store_path().stat().st_mode & 0o777 == 0o600


def test_anchor_text_for_a_report_footer(ws: Path) -> None:
    with Workspace.open(ws, PASSPHRASE, backup_on_open=False) as workspace:
        anchor = workspace.trail_anchor()
    assert anchor.records == 4
    assert anchors.anchor_text(anchor) == (f"Audit fingerprint {anchor.head[:16]} (after record 4)")
