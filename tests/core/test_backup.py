"""Backups (rolling, encrypted, made with SQLite's backup API), restoring, rekeying, the lock."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from chronology_app.core.errors import BackupError, WorkspaceError, WorkspaceLocked, WrongPassphrase
from chronology_app.core.service import Service
from chronology_app.core.store import backup
from chronology_app.core.store.engine import connect
from chronology_app.core.store.workspace import Workspace, raw_execute
from tests.conftest import PASSPHRASE, ROOT, minimal_case

REF = "TS-2024-0001"
NEW_PASSPHRASE = "a new and longer passphrase"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A closed workspace with one case in it."""
    target = tmp_path / "w.chronology"
    with Workspace.create(target, PASSPHRASE) as workspace:
        Service(workspace, "T").import_case(minimal_case())
    return target


def change(path: Path, summary: str, passphrase: str = PASSPHRASE, **options: Any) -> None:
    with Workspace.open(path, passphrase, **options) as workspace:
        entry = {**minimal_case()["entries"][1], "summary": summary}
        Service(workspace, "T").edit_entry(REF, "e2", entry, reason="test")


def summary_in(path: Path, passphrase: str = PASSPHRASE) -> str:
    with Workspace.open(path, passphrase, backup_on_open=False) as workspace:
        return str(Service(workspace, "T").document(REF)["entries"][1]["summary"])


def labels(path: Path) -> list[str]:
    return [found.label for found in backup.list_backups(path)]


# --- backups ----------------------------------------------------------------------------------


def test_opening_backs_up_what_changed_and_only_that(path: Path) -> None:
    assert labels(path) == []
    Workspace.open(path, PASSPHRASE).close()
    assert labels(path) == ["opened"]
    Workspace.open(path, PASSPHRASE).close()  # nothing changed: no second copy
    assert labels(path) == ["opened"]
    change(path, "Changed.")  # opening backed up the state before this change...
    Workspace.open(path, PASSPHRASE).close()  # ...and this opening the state after it
    assert labels(path) == ["opened", "opened"]


def test_a_backup_is_encrypted_and_opens_only_with_the_passphrase(path: Path) -> None:
    Workspace.open(path, PASSPHRASE).close()
    (found,) = backup.list_backups(path)
    data = found.path.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    for secret in (b"Ann Test", b"Cal pushed", REF.encode()):
        assert secret not in data
    assert backup.check(found.path, PASSPHRASE) == "0004"
    with pytest.raises(WrongPassphrase, match="does not open the backup"):
        backup.check(found.path, "not the passphrase")
    assert not backup.sidecars(found.path)[0].exists()  # a standalone file, no -wal beside it


def test_backups_are_named_to_sort_by_time_and_say_why(path: Path) -> None:
    with Workspace.open(path, PASSPHRASE) as workspace:
        workspace.backup()
    names = [found.path.name for found in backup.list_backups(path)]
    assert names == sorted(names)
    for name in names:
        assert re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d{6}\.\d{6}Z_(opened|manual)_[0-9a-f]{12}\.chronology-backup", name
        )
    assert labels(path) == ["opened", "manual"]
    assert backup.folder_for(path) == path.with_name("w.chronology.backups")


def test_only_the_newest_automatic_backups_are_kept(path: Path) -> None:
    with Workspace.open(path, PASSPHRASE, backup_on_open=False) as workspace:
        workspace.backup()
    for number in range(5):
        change(path, f"Version {number}.", keep_backups=3)
    assert labels(path) == ["manual", "opened", "opened", "opened"]
    newest = backup.list_backups(path)[-1]
    copy = path.with_name("newest.chronology")
    shutil.copy(newest.path, copy)
    assert summary_in(copy) == "Version 3."  # taken on opening for the fifth change


def test_a_half_made_backup_is_never_listed_and_is_cleared_later(path: Path) -> None:
    folder = backup.folder_for(path)
    folder.mkdir()
    leftover = folder / ".2026-01-01T000000.000000Z_opened_000000000000.chronology-backup.partial"
    leftover.write_bytes(b"half a backup")
    assert labels(path) == []
    Workspace.open(path, PASSPHRASE).close()
    assert not leftover.exists() and labels(path) == ["opened"]


def test_a_migration_backs_up_the_old_schema_first(tmp_path: Path) -> None:
    old = tmp_path / "old.chronology"
    shutil.copy(ROOT / "tests" / "fixtures" / "workspace-0002.chronology", old)
    Workspace.open(old, "fixture passphrase").close()
    (found,) = backup.list_backups(old)
    assert found.label == "before-migration-from-0002"
    assert backup.check(found.path, "fixture passphrase") == "0002"


def test_a_failed_backup_on_opening_does_not_stop_the_work(path: Path) -> None:
    backup.folder_for(path).write_text("a file where the backups folder should be")
    with Workspace.open(path, PASSPHRASE) as workspace:
        assert workspace.backup_problem is not None
        assert "w.chronology.backups: cannot read the backups" in workspace.backup_problem
        Service(workspace, "T").add_person(REF, {"name": "Dee Other"})


def test_a_backup_to_a_chosen_file_never_overwrites(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "usb" / "copy.chronology-backup"
    with Workspace.open(path, PASSPHRASE) as workspace:
        with pytest.raises(BackupError, match="no such folder"):
            workspace.backup(target=target)
        target.parent.mkdir()
        assert workspace.backup(target=target) == target
        with pytest.raises(BackupError, match="already there"):
            workspace.backup(target=target)
    assert backup.check(target, PASSPHRASE) == "0004"


# --- restoring --------------------------------------------------------------------------------


def first_backup(path: Path) -> Path:
    Workspace.open(path, PASSPHRASE).close()
    return backup.list_backups(path)[0].path


def test_restore_to_a_new_name(path: Path, tmp_path: Path) -> None:
    saved = first_backup(path)
    change(path, "Changed after the backup.")
    restored = tmp_path / "restored.chronology"
    workspace, kept = Workspace.restore(saved, restored, PASSPHRASE)
    workspace.close()
    assert kept is None
    assert summary_in(restored) == "Police called: Cal pushed Ann."
    assert summary_in(path) == "Changed after the backup."


def test_restore_over_a_workspace_needs_replace_and_keeps_the_old_one(path: Path) -> None:
    saved = first_backup(path)
    change(path, "Changed after the backup.")
    before = path.read_bytes()
    with pytest.raises(BackupError, match="give --replace"):
        Workspace.restore(saved, path, PASSPHRASE)
    assert path.read_bytes() == before
    workspace, kept = Workspace.restore(saved, path, PASSPHRASE, replace=True)
    workspace.close()
    assert summary_in(path) == "Police called: Cal pushed Ann."
    assert kept is not None and kept.parent == backup.folder_for(path)
    copy = path.with_name("kept.chronology")
    shutil.copy(kept, copy)
    assert summary_in(copy) == "Changed after the backup."
    assert not any(sidecar.exists() for sidecar in backup.sidecars(path))


@pytest.mark.parametrize("passphrase", ["not the passphrase", ""])
def test_a_backup_that_will_not_open_touches_nothing(path: Path, passphrase: str) -> None:
    saved = first_backup(path)
    before = path.read_bytes()
    with pytest.raises(WrongPassphrase):
        Workspace.restore(saved, path, passphrase, replace=True)
    assert path.read_bytes() == before


def test_a_damaged_backup_is_refused(path: Path, tmp_path: Path) -> None:
    saved = first_backup(path)
    damaged = tmp_path / "damaged.chronology-backup"
    damaged.write_bytes(saved.read_bytes()[:5000])
    with pytest.raises(WorkspaceError):
        Workspace.restore(damaged, tmp_path / "x.chronology", PASSPHRASE)
    with pytest.raises(BackupError, match="no backup there"):
        Workspace.restore(tmp_path / "missing", tmp_path / "x.chronology", PASSPHRASE)
    assert not (tmp_path / "x.chronology").exists()


def test_a_backup_from_a_newer_version_is_refused(path: Path) -> None:
    saved = first_backup(path)
    connection = connect(saved, PASSPHRASE, wal=False)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    with pytest.raises(WorkspaceError, match="newer version of Chronology"):
        Workspace.restore(saved, path, PASSPHRASE, replace=True)


def test_a_replaced_workspace_that_will_not_open_is_moved_aside_whole(path: Path) -> None:
    saved = first_backup(path)
    path.write_bytes(b"damaged beyond opening" * 100)
    workspace, kept = Workspace.restore(saved, path, PASSPHRASE, replace=True)
    workspace.close()
    assert kept is not None and kept.read_bytes() == b"damaged beyond opening" * 100
    assert backup.list_backups(path)[-1].label == "replaced"


def test_restore_refuses_while_the_workspace_is_open(path: Path) -> None:
    saved = first_backup(path)
    with Workspace.open(path, PASSPHRASE), pytest.raises(WorkspaceLocked):
        Workspace.restore(saved, path, PASSPHRASE, replace=True)


# --- a new passphrase -------------------------------------------------------------------------


def test_a_new_passphrase_re_encrypts_the_workspace_and_its_backups(path: Path) -> None:
    with Workspace.open(path, PASSPHRASE) as workspace:
        workspace.backup()
        service = Service(workspace, "T")
        result = service.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
        assert result.action == "Change passphrase"
        service.add_person(REF, {"name": "Dee Other"})  # still working, under the new key
    with pytest.raises(WrongPassphrase):
        Workspace.open(path, PASSPHRASE)
    assert summary_in(path, NEW_PASSPHRASE) == "Police called: Cal pushed Ann."
    for found in backup.list_backups(path):
        assert backup.check(found.path, NEW_PASSPHRASE) == "0004"
        with pytest.raises(WrongPassphrase):
            backup.check(found.path, PASSPHRASE)
    with Workspace.open(path, NEW_PASSPHRASE) as workspace:
        rows = raw_execute(workspace, "SELECT action, reason FROM audit_record ORDER BY id")
    assert ("Change passphrase", "the workspace and 2 backups re-encrypted") in rows


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("not the passphrase", NEW_PASSPHRASE, "current passphrase is not right"),
        (PASSPHRASE, "short", "too short"),
        (PASSPHRASE, PASSPHRASE, "same as the old one"),
        (PASSPHRASE, "with a \x00 inside it", "NUL"),
    ],
)
def test_a_passphrase_change_that_cannot_be_made_changes_nothing(
    path: Path, old: str, new: str, message: str
) -> None:
    with Workspace.open(path, PASSPHRASE) as workspace:
        with pytest.raises(WrongPassphrase, match=message):
            Service(workspace, "T").change_passphrase(old, new)
        Service(workspace, "T").add_person(REF, {"name": "Dee Other"})
    assert summary_in(path) == "Police called: Cal pushed Ann."


# --- one program at a time --------------------------------------------------------------------


def test_a_second_opening_is_refused_clearly_until_the_first_closes(path: Path) -> None:
    lock = path.with_name("w.chronology.lock")
    first = Workspace.open(path, PASSPHRASE)
    assert lock.exists()
    with pytest.raises(WorkspaceLocked) as caught:
        Workspace.open(path, PASSPHRASE)
    assert re.fullmatch(
        r"w\.chronology is already open in another Chronology window or command \(program "
        r"\d+ on this computer, since \d{4}-\d\d-\d\d \d\d:\d\d UTC\)\. Close it there first, "
        r"then try again; nothing was changed\.",
        str(caught.value),
    )
    first.close()
    first.close()  # closing twice is harmless
    assert not lock.exists()
    Workspace.open(path, PASSPHRASE).close()


def test_a_lock_file_left_by_a_crash_is_no_lock(path: Path) -> None:
    path.with_name("w.chronology.lock").write_text("\n4242\tsome-host\t2020-01-01 00:00 UTC\n")
    Workspace.open(path, PASSPHRASE).close()


def test_a_failed_opening_releases_the_lock(path: Path) -> None:
    with pytest.raises(WrongPassphrase):
        Workspace.open(path, "not the passphrase")
    assert not path.with_name("w.chronology.lock").exists()
    Workspace.open(path, PASSPHRASE).close()
