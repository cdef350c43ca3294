"""The CLI's part of the second safety round: what opening found is said in words, an
interrupted passphrase change is finished, one passphrase policy, no core dumps."""

from __future__ import annotations

import errno
import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import event

from chronology_app.core.service import Service
from chronology_app.core.store import backup as copies
from chronology_app.core.store.workspace import Workspace
from tests.conftest import PASSPHRASE, minimal_case
from tests.conftest import run_cli as run

NEW = "a completely new workspace passphrase"


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CHRONOLOGY_USER", "Test Worker")
    for name in ("NEW", "OLD", "BUNDLE"):
        monkeypatch.delenv(f"CHRONOLOGY_{name}_PASSPHRASE", raising=False)


@pytest.fixture
def ws(tmp_path: Path) -> str:
    path = tmp_path / "w.chronology"
    with Workspace.create(path, PASSPHRASE) as workspace:
        Service(workspace, "Test Worker").import_case(minimal_case())
    return str(path)


def test_a_failed_backup_on_opening_is_said_in_words(
    ws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(_target: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(copies, "create_private_file", no_space)
    code, out, err = run("cases", ws)
    assert code == 0 and "TS-2024-0001" in out
    assert err.startswith("chronology: warning: Could not back up w.chronology: the disk is full")
    assert "run chronology backup now" in err


def test_a_full_disk_while_reading_is_said(ws: str, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Workspace.open

    def opened_on_a_full_disk(*args: object, **kwargs: object) -> Workspace:
        workspace = original(*args, **kwargs)  # type: ignore[arg-type]

        @event.listens_for(workspace.engine, "before_cursor_execute")
        def _full(*_args: object) -> None:
            raise sqlcipher.OperationalError("database or disk is full")

        return workspace

    monkeypatch.setattr(Workspace, "open", opened_on_a_full_disk)
    code, _, err = run("cases", ws)
    assert code == 1
    assert "the disk is full, so the workspace could not be read" in err
    assert "I/O" not in err


def interrupt_a_change(ws: str, monkeypatch: pytest.MonkeyPatch) -> None:
    Workspace.open(ws, PASSPHRASE).close()  # a backup under the old passphrase

    def killed(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setenv("CHRONOLOGY_NEW_PASSPHRASE", NEW)
    with monkeypatch.context() as patch:
        patch.setattr(copies, "rekey_all", killed)
        assert run("passphrase", ws)[0] == 130
    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", NEW)


def test_an_interrupted_change_is_reported_then_finished_with_the_old_passphrase(
    ws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    interrupt_a_change(ws, monkeypatch)
    code, _, err = run("cases", ws)
    assert code == 0 and "was interrupted: 1 backup is still under the old passphrase" in err
    code, _, err = run("passphrase", ws)
    assert code == 1 and "CHRONOLOGY_OLD_PASSPHRASE" in err and "nothing was changed" in err
    monkeypatch.setenv("CHRONOLOGY_OLD_PASSPHRASE", PASSPHRASE)
    code, out, _ = run("passphrase", ws)
    assert code == 0
    assert "Made a backup under the current passphrase first" in out
    assert "Re-encrypted 1 backup under the current passphrase" in out
    assert copies.under_passphrase(Path(ws), NEW)[1] == []
    assert run("cases", ws)[2] == ""
    code, out, _ = run("audit", "verify", ws, "--json")
    # the import and the finishing (the change was killed before its own record)
    assert code == 0 and json.loads(out)["records"] == 2


def test_an_interrupted_change_can_be_finished_by_removing_the_old_backups(
    ws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    interrupt_a_change(ws, monkeypatch)
    stale = copies.under_passphrase(Path(ws), NEW)[1]
    code, out, _ = run("passphrase", ws, "--remove-old-backups")
    assert code == 0 and "Removed 1 backup still under the old passphrase" in out
    assert not any(path.exists() for path in stale)


@pytest.mark.parametrize(
    "passphrase", ["aaaaaaaaaaaa", " " * 12, "passwordpassword", "qwertyuiop12"]
)
@pytest.mark.parametrize("command", ["init", "demo", "passphrase"])
def test_guessable_new_passphrases_are_refused_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ws: str, command: str, passphrase: str
) -> None:
    target = str(tmp_path / "new.chronology")
    if command == "passphrase":
        monkeypatch.setenv("CHRONOLOGY_NEW_PASSPHRASE", passphrase)
        target = ws
    else:
        monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", passphrase)
    code, _, err = run(command, target)
    assert code == 1 and ("too easy to guess" in err or "empty" in err)
    if command != "passphrase":
        assert not Path(target).exists()


def test_an_existing_weak_passphrase_still_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.chronology"
    Workspace.create(path, "aaaaaaaaaaaa").close()  # as made before the policy
    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", "aaaaaaaaaaaa")
    assert run("cases", str(path))[0] == 0


def test_both_entry_points_turn_core_dumps_off_and_make_files_private(tmp_path: Path) -> None:
    probe = (
        "import os, resource, sys\n"
        "from chronology_app.{module} import main\n"
        "hard = resource.getrlimit(resource.RLIMIT_CORE)[1]\n"
        "resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))\n"
        "os.umask(0o022)\n"
        "try:\n"
        "    main({argv})\n"
        "except SystemExit:\n"
        "    pass\n"
        "import ctypes\n"
        "dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0) if sys.platform == 'linux' else 0\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE), oct(os.umask(0)), dumpable)\n"
    )
    case = tmp_path / "case.json"
    case.write_text(json.dumps(minimal_case()), encoding="utf-8")
    for module, argv in (("cli", ["validate", case]), ("gui.app", ["--version"])):
        if module == "gui.app":
            probe_text = probe.replace("main({argv})", "main(['--version'])")
        else:
            probe_text = probe.replace("{argv}", repr([str(a) for a in argv]))
        result = subprocess.run(
            [sys.executable, "-c", probe_text.format(module=module)],
            capture_output=True,
            text=True,
            check=True,
            env={
                "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
                "QT_QPA_PLATFORM": "offscreen",
            },
        )
        last = result.stdout.strip().splitlines()[-1]
        assert last.startswith("(0, 0) 0o77"), (module, last)
        if sys.platform.startswith("linux"):
            assert last.endswith(" 0"), (module, last)  # PR_GET_DUMPABLE: not dumpable
