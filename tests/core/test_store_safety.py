"""Data safety, second round (issue 14): no workspace lost to an empty or damaged file, a full
disk, a second path or an interrupted passphrase change; every file private; damage named."""

from __future__ import annotations

import datetime
import errno
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import event

from chronology_app.core.errors import BackupError, WorkspaceError, WorkspaceLocked, WrongPassphrase
from chronology_app.core.service import Service
from chronology_app.core.store import backup as copies
from chronology_app.core.store import engine as engine_module
from chronology_app.core.store import health
from chronology_app.core.store.workspace import Workspace
from tests.conftest import PASSPHRASE, minimal_case

NEW = "a new and longer passphrase"
PAGE = 4096


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A workspace holding one case, closed, with one backup (made on opening)."""
    target = tmp_path / "w.chronology"
    with Workspace.create(target, PASSPHRASE) as workspace:
        Service(workspace, "T").import_case(minimal_case())
    Workspace.open(target, PASSPHRASE).close()
    assert len(copies.list_backups(target)) == 1
    return target


def overwrite(target: Path, offset: int, data: bytes = b"XXXXXXXX") -> None:
    with open(target, "r+b") as handle:
        handle.seek(offset)
        handle.write(data)


def entries(target: Path, passphrase: str = PASSPHRASE) -> set[str]:
    with Workspace.open(target, passphrase, backup_on_open=False) as workspace:
        return set(Service(workspace, "T").case_data("TS-2024-0001").entry_by_id)


# --- 1. an empty or damaged file never becomes a new workspace ---------------------------------


def test_an_emptied_workspace_is_refused_naming_the_newest_backup_that_opens(path: Path) -> None:
    newest = copies.list_backups(path)[-1].path
    path.write_bytes(b"")
    for passphrase in (PASSPHRASE, "any other passphrase at all"):
        with pytest.raises(health.WorkspaceDamaged) as caught:
            Workspace.open(path, passphrase)
        assert "is empty (0 bytes)" in str(caught.value)
    assert str(newest) in str(caught.value) or "No backup" in str(caught.value)
    with pytest.raises(health.WorkspaceDamaged, match=str(newest)):
        Workspace.open(path, PASSPHRASE)
    assert path.stat().st_size == 0  # nothing was made in its place
    assert [b.path for b in copies.list_backups(path)] == [newest]


def test_a_keyed_database_without_a_schema_is_not_turned_into_a_workspace(tmp_path: Path) -> None:
    target = tmp_path / "other.chronology"
    connection = engine_module.connect(target, PASSPHRASE)
    connection.execute("CREATE TABLE t (x)")
    connection.close()
    with pytest.raises(WorkspaceError, match="is not a Chronology workspace"):
        Workspace.open(target, PASSPHRASE)
    connection = engine_module.connect(target, PASSPHRASE)
    tables = connection.execute("SELECT name FROM sqlite_master").fetchall()
    connection.close()
    assert tables == [("t",)]


def test_rolling_backups_never_remove_the_last_one_that_opens(path: Path) -> None:
    good = copies.list_backups(path)[0].path
    folder = copies.folder_for(path)
    later = datetime.datetime.now(datetime.UTC)
    for n in range(1, 7):  # newer rolling backups that do not open with the passphrase
        name = copies.backup_name(
            copies.ROLLING, f"{n:012x}", later + datetime.timedelta(minutes=n)
        )
        (folder / name).write_bytes(os.urandom(PAGE * 2))
    assert len(copies.list_backups(path)) == 7
    removed = copies.prune(path, 2, PASSPHRASE)
    left = [b.path for b in copies.list_backups(path)]
    assert good in left and good not in removed
    assert len(left) == 3  # the two newest, and the last good one


# --- 6. damage is named, with the backup to restore --------------------------------------------


def test_damage_inside_the_file_is_named_with_the_newest_backup(path: Path) -> None:
    newest = copies.list_backups(path)[-1].path
    overwrite(path, PAGE * 3 + 100)
    with (
        pytest.raises(health.WorkspaceDamaged) as caught,  # on opening, or on first use
        Workspace.open(path, PASSPHRASE, backup_on_open=False) as workspace,
    ):
        Service(workspace, "T").case_data("TS-2024-0001")
    message = str(caught.value)
    assert "is damaged" in message and str(newest) in message
    assert "HMAC verification failed for page 4" in message
    assert "DatabaseError" not in message


def test_damage_to_the_first_page_is_not_called_a_wrong_passphrase(path: Path) -> None:
    newest = copies.list_backups(path)[-1].path
    overwrite(path, 200)
    with pytest.raises(health.WorkspaceDamaged) as caught:
        Workspace.open(path, PASSPHRASE)
    assert "may be damaged" in str(caught.value) and newest.name in str(caught.value)
    with pytest.raises(WrongPassphrase) as wrong:  # a passphrase that opens nothing
        Workspace.open(path, "a passphrase that opens nothing here")
    assert not isinstance(wrong.value, health.WorkspaceDamaged)


# --- 2. restore onto a full disk ---------------------------------------------------------------


def test_a_restore_checks_for_room_first_and_changes_nothing(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = copies.list_backups(path)[-1].path
    before = path.read_bytes()
    full = shutil._ntuple_diskusage(10**9, 10**9 - 4096, 4096)  # type: ignore[attr-defined]
    monkeypatch.setattr(shutil, "disk_usage", lambda _where: full)
    with pytest.raises(BackupError, match="not enough free space"):
        Workspace.restore(source, path, PASSPHRASE, replace=True)
    assert path.read_bytes() == before
    assert len(copies.list_backups(path)) == 1


@pytest.mark.parametrize("openable", [True, False], ids=["opens", "will-not-open"])
def test_a_restore_that_fills_the_disk_leaves_the_workspace_where_it_was(
    path: Path, monkeypatch: pytest.MonkeyPatch, openable: bool
) -> None:
    source = copies.list_backups(path)[-1].path
    if not openable:
        overwrite(path, 200)  # damaged: it is moved aside whole, then must come back
    before = path.read_bytes()

    def no_space(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(copies.shutil, "copyfileobj", no_space)
    with pytest.raises(BackupError) as caught:
        Workspace.restore(source, path, PASSPHRASE, replace=True)
    message = str(caught.value)
    assert "the disk is full" in message
    assert path.read_bytes() == before
    assert str(path) in message
    assert not list(path.parent.glob(".*restoring*"))
    if openable:
        assert "left as it was" in message and entries(path) == {"e1", "e2"}
    else:
        assert "put back as it was" in message


# --- 4. one lock, whatever the path ------------------------------------------------------------


def test_a_second_path_to_the_same_workspace_does_not_get_in(path: Path) -> None:
    link = path.with_name("link.chronology")
    link.symlink_to(path)
    folder_link = path.parent / "through"
    folder_link.symlink_to(path.parent)
    with Workspace.open(path, PASSPHRASE):
        for other in (link, folder_link / path.name):
            with pytest.raises(WorkspaceLocked):
                Workspace.open(other, PASSPHRASE)
        source = copies.list_backups(path)[-1].path
        with pytest.raises(WorkspaceLocked):
            Workspace.restore(source, link, PASSPHRASE, replace=True)
    with Workspace.open(link, PASSPHRASE) as workspace:
        assert workspace.path == path.resolve()
        assert copies.folder_for(workspace.path) == copies.folder_for(path)


def test_the_backups_folder_is_locked_too(path: Path) -> None:
    with Workspace.open(path, PASSPHRASE, backup_on_open=False):
        lock = copies.folder_for(path) / ".chronology.lock"
        assert lock.exists()
        from chronology_app.core.store.lock import _LockFile

        with pytest.raises(WorkspaceLocked):
            _LockFile(lock, path).acquire()


# --- 9. every file private ---------------------------------------------------------------------


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(target: Path) -> int:
    return stat.S_IMODE(target.stat().st_mode)


def test_every_file_made_is_readable_by_its_owner_only(tmp_path: Path, open_umask: None) -> None:
    target = tmp_path / "w.chronology"
    workspace = Workspace.create(target, PASSPHRASE)
    Service(workspace, "T").import_case(minimal_case())
    wal = target.with_name(target.name + "-wal")
    assert mode(wal) == 0o600  # while open
    made = [target]
    made.append(workspace.backup())
    made.append(workspace.backup(target=tmp_path / "copy.chronology-backup"))
    workspace.close()
    restored, _ = Workspace.restore(made[2], tmp_path / "restored.chronology", PASSPHRASE)
    restored.close()
    made.append(tmp_path / "restored.chronology")
    for found in made:
        assert mode(found) == 0o600, found.name


# --- 13. a full disk while reading -------------------------------------------------------------


def test_a_full_disk_while_reading_is_called_a_full_disk(path: Path) -> None:
    with Workspace.open(path, PASSPHRASE, backup_on_open=False) as workspace:

        @event.listens_for(workspace.engine, "before_cursor_execute")
        def _full(*_args: object) -> None:
            raise sqlcipher.OperationalError("database or disk is full")

        with pytest.raises(WorkspaceError) as caught:
            Service(workspace, "T").cases()
    assert "the disk is full" in str(caught.value)
    assert "I/O" not in str(caught.value) and "could not be read" in str(caught.value)


def test_a_full_disk_when_taking_the_lock_is_called_a_full_disk(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chronology_app.core.store import lock

    real_open = os.open

    def no_space(target: object, *args: object, **kwargs: object) -> int:
        if str(target).endswith(".lock"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lock.os, "open", no_space)
    with pytest.raises(WorkspaceError, match="the disk is full, so the workspace cannot be"):
        Workspace.open(path, PASSPHRASE)


# --- 5. a backup that could not be made is said in words ---------------------------------------


def test_a_backup_on_opening_that_fills_the_disk_is_reported(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Workspace.open(path, PASSPHRASE) as workspace:
        Service(workspace, "T").withdraw_entry("TS-2024-0001", "e1", "entered twice")

    def no_space(_target: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(copies, "create_private_file", no_space)
    with Workspace.open(path, PASSPHRASE) as workspace:
        problem = workspace.backup_problem
    assert problem is not None
    assert "the disk is full" in problem and "chronology backup" in problem


# --- 3. an interrupted passphrase change -------------------------------------------------------


def interrupted_change(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Change the passphrase, 'killed' after the workspace and before its backups."""

    def killed(*_args: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch, Workspace.open(path, PASSPHRASE) as workspace:
        patch.setattr(copies, "rekey_all", killed)
        with pytest.raises(KeyboardInterrupt):
            workspace.change_passphrase(PASSPHRASE, NEW)


@pytest.mark.parametrize("old", [PASSPHRASE, None], ids=["re-encrypt", "remove"])
def test_an_interrupted_passphrase_change_is_noticed_and_finished(
    path: Path, monkeypatch: pytest.MonkeyPatch, old: str | None
) -> None:
    stale = [b.path for b in copies.list_backups(path)]
    interrupted_change(path, monkeypatch)
    with Workspace.open(path, NEW) as workspace:
        unfinished = workspace.unfinished_passphrase_change
        assert unfinished is not None and set(stale) <= set(unfinished.backups)
        assert "interrupted" in unfinished.describe(path)
        finished = workspace.finish_passphrase_change(old)
    assert copies.check(finished.backup, NEW)  # made first, under the current passphrase
    if old is None:
        assert set(finished.removed) == set(stale) and not finished.reencrypted
        assert all(not p.exists() for p in stale)
        assert "Removed 1 backup" in finished.describe()
    else:
        assert set(finished.reencrypted) == set(stale) and not finished.removed
        assert "Re-encrypted 1 backup" in finished.describe()
    opening, other = copies.under_passphrase(path, NEW)
    assert other == [] and finished.backup in opening
    with Workspace.open(path, NEW) as workspace:
        assert workspace.unfinished_passphrase_change is None


def test_finishing_with_a_wrong_old_passphrase_changes_nothing(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    interrupted_change(path, monkeypatch)
    with (
        Workspace.open(path, NEW) as workspace,
        pytest.raises(WrongPassphrase, match="nothing was re-encrypted"),
    ):
        workspace.finish_passphrase_change("not the old passphrase at all")
    with Workspace.open(path, NEW) as workspace:
        assert workspace.unfinished_passphrase_change is not None


def test_a_complete_change_names_backups_it_could_not_re_encrypt(path: Path) -> None:
    other = copies.folder_for(path) / copies.backup_name("manual", "0" * 12)
    with Workspace.open(path, PASSPHRASE, backup_on_open=False) as workspace:
        workspace.backup(target=other)
    connection = engine_module.connect(other, PASSPHRASE, wal=False)
    engine_module.rekey(connection, "yet another passphrase entirely")
    connection.close()
    with Workspace.open(path, PASSPHRASE, backup_on_open=False) as workspace:
        count = workspace.change_passphrase(PASSPHRASE, NEW)
        assert workspace.backups_left == (other,)
    assert count == 1
