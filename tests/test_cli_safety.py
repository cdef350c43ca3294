"""The data-safety commands: audit verify, history, backup, restore, passphrase, bundles."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chronology_app.cli import main
from chronology_app.core.service import Service
from chronology_app.core.store import backup
from chronology_app.core.store.workspace import SCHEMA_REVISION, Workspace
from tests.conftest import EXAMPLES, PASSPHRASE
from tests.conftest import run_cli as run

FAMILY_B = EXAMPLES / "family-b.json"
REF = "BD-2020-0193"
NEW = "a completely new workspace passphrase"
BUNDLE = "the receiving team's bundle passphrase"


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CHRONOLOGY_USER", "Test Worker")
    monkeypatch.delenv("CHRONOLOGY_NEW_PASSPHRASE", raising=False)
    monkeypatch.delenv("CHRONOLOGY_BUNDLE_PASSPHRASE", raising=False)
    monkeypatch.setattr("chronology_app.core.bundle.SCRYPT_N", 2**10)  # a cheap key, for speed


@pytest.fixture
def ws(tmp_path: Path) -> str:
    """A workspace holding family B (made through the core: quicker, and no backups yet)."""
    path = tmp_path / "w.chronology"
    with Workspace.create(path, PASSPHRASE) as workspace:
        Service(workspace, "Test Worker").import_case(json.loads(FAMILY_B.read_text()))
    return str(path)


def tamper(path: str, statement: str) -> None:
    with (
        Workspace.open(path, PASSPHRASE, backup_on_open=False) as workspace,
        workspace.engine.begin() as connection,
    ):
        connection.exec_driver_sql(statement)


# --- audit verify -----------------------------------------------------------------------------


def test_audit_verify_an_intact_trail(ws: str) -> None:
    code, out, err = run("audit", "verify", ws)
    assert (code, err) == (0, "")
    assert re.fullmatch(
        r"w\.chronology: the audit trail is intact \(1 records\), the file is sound and the "
        r"case data matches the trail\. Fingerprint of the newest record: [0-9a-f]{16}\n",
        out,
    )


def test_audit_verify_names_tampered_records_and_exits_3(ws: str) -> None:
    tamper(ws, "UPDATE audit_record SET who = 'Someone Else' WHERE id = 1")
    code, out, _ = run("audit", "verify", ws)
    assert code == 3
    assert out == (
        "w.chronology: the workspace was altered outside Chronology "
        "(1 problem in 1 audit records):\n"
        "  record 1 was edited after it was written: its content no longer matches its hash\n"
    )
    code, out, _ = run("audit", "verify", ws, "--json")
    assert code == 3
    assert json.loads(out)["problems"] == [
        {
            "kind": "edited",
            "records": [1],
            "message": "record 1 was edited after it was written: its content no longer "
            "matches its hash",
        }
    ]


def test_audit_verify_checks_a_fingerprint_noted_earlier(ws: str) -> None:
    fingerprint = json.loads(run("audit", "verify", ws, "--json")[1])["fingerprint"]
    assert run("audit", "verify", ws, "--anchor", fingerprint)[0] == 0
    tamper(ws, "DELETE FROM audit_record")
    code, out, _ = run("audit", "verify", ws, "--anchor", fingerprint)
    assert code == 3 and f"the fingerprint {fingerprint} noted earlier" in out


def test_audit_without_an_action_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["audit"])
    assert caught.value.code == 2


# --- history ----------------------------------------------------------------------------------


def test_history_shows_who_when_why_and_what(ws: str) -> None:
    document = json.loads(FAMILY_B.read_text(encoding="utf-8"))
    with Workspace.open(ws, PASSPHRASE) as workspace:
        entry = {**document["entries"][2], "summary": "Police called by a neighbour."}
        Service(workspace, "A. Supervisor").edit_entry(REF, "e03", entry, "Police log corrected")
    code, out, _ = run("history", ws, REF, "E0003")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"History of entry E0003 (id e03) in {REF}, oldest first:"
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d UTC"
    assert re.fullmatch(rf"{stamp}  Test Worker  Import case {REF}", lines[2])
    assert lines[3:5] == ["  added", '    id: "e03"']
    assert re.fullmatch(rf"{stamp}  A\. Supervisor  Edit entry", lines[-4])
    assert lines[-3:] == [
        "  why: Police log corrected",
        "  changed",
        f"    summary: {json.dumps(document['entries'][2]['summary'])} → "
        '"Police called by a neighbour."',
    ]
    as_json = json.loads(run("history", ws, REF, "e03", "--json")[1])
    assert [item["event"] for item in as_json] == ["added", "changed"]
    assert as_json[1]["fields"][0]["path"] == "summary"


def test_history_of_an_unknown_entry_is_a_clear_error(ws: str) -> None:
    assert run("history", ws, REF, "e404") == (
        1,
        "",
        f'chronology: No entry "e404" has ever been in case "{REF}".\n',
    )


# --- backups and restoring --------------------------------------------------------------------


def test_backup_list_and_restore(ws: str, tmp_path: Path) -> None:
    run("cases", ws)  # opening backs up
    code, out, _ = run("backup", ws)
    assert code == 0 and out.startswith("Backed up w.chronology to ")
    assert "encrypted and opens with the workspace's passphrase" in out
    code, out, _ = run("backup", ws, "--list")
    assert [line.split()[3] for line in out.splitlines()] == ["opened", "manual"]
    saved = backup.list_backups(Path(ws))[-1].path
    target = tmp_path / "restored.chronology"
    code, out, err = run("restore", str(saved), str(target))
    assert (code, err) == (0, "")
    assert out == f"Restored {target} from {saved}.\n"
    assert run("cases", str(target))[1].startswith(REF)
    with Workspace.open(target, PASSPHRASE) as workspace, workspace.engine.connect() as connection:
        actions = connection.exec_driver_sql("SELECT action, reason FROM audit_record")
        assert list(actions)[-1] == ("Restore from backup", saved.name)


def test_restore_over_a_workspace_needs_replace(ws: str) -> None:
    run("backup", ws)
    saved = backup.list_backups(Path(ws))[-1].path
    code, _, err = run("restore", str(saved), ws)
    assert code == 1 and "give --replace" in err
    code, out, _ = run("restore", str(saved), ws, "--replace")
    assert code == 0 and "The workspace that was there is kept as " in out


def test_backup_to_a_chosen_file(ws: str, tmp_path: Path) -> None:
    target = tmp_path / "copy.chronology-backup"
    assert run("backup", ws, "-o", str(target))[0] == 0
    assert backup.check(target, PASSPHRASE) == SCHEMA_REVISION


def test_no_backups_yet(tmp_path: Path) -> None:
    path = str(tmp_path / "new.chronology")
    run("init", path)
    assert run("backup", path, "--list") == (0, "No backups yet.\n", "")


# --- passphrases ------------------------------------------------------------------------------


def test_change_the_passphrase(ws: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHRONOLOGY_NEW_PASSPHRASE", NEW)
    code, out, err = run("passphrase", ws)
    assert (code, err) == (0, "")
    assert out.startswith(
        "Changed the passphrase of w.chronology.\n1 backup opens with the new passphrase.\n"
    )
    assert run("cases", ws)[0] == 1
    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", NEW)
    assert run("cases", ws)[0] == 0
    assert run("audit", "verify", ws)[0] == 0


def test_a_new_passphrase_is_asked_for_or_refused_clearly(
    ws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("passphrase", ws) == (
        1,
        "",
        "chronology: No passphrase: set CHRONOLOGY_NEW_PASSPHRASE or run the command in a "
        "terminal.\n",
    )
    monkeypatch.setenv("CHRONOLOGY_NEW_PASSPHRASE", "short")
    code, _, err = run("passphrase", ws)
    assert code == 1 and "too easy to guess" in err
    assert run("cases", ws)[0] == 0  # nothing changed


# --- bundles ----------------------------------------------------------------------------------


def test_export_a_bundle_and_import_it_elsewhere(
    ws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "family-b.bundle"
    monkeypatch.setenv("CHRONOLOGY_BUNDLE_PASSPHRASE", BUNDLE)
    code, _, err = run("export", ws, REF, "-o", str(target), "--bundle")
    assert code == 0
    assert err == (
        f"Exported {REF} to {target}, encrypted. Send the passphrase separately (by phone, "
        "not in the same email).\n"
    )
    assert "Sara" not in target.read_text()
    other = str(tmp_path / "other.chronology")
    run("init", other)
    assert run("import", other, str(target)) == (0, f"Imported {REF}: 19 entries.\n", "")
    exported = tmp_path / "again.json"
    run("export", other, REF, "-o", str(exported))
    assert json.loads(exported.read_text()) == json.loads(FAMILY_B.read_text())


def test_a_bundle_with_the_wrong_passphrase_imports_nothing(
    ws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "b.bundle"
    monkeypatch.setenv("CHRONOLOGY_BUNDLE_PASSPHRASE", BUNDLE)
    run("export", ws, REF, "-o", str(target), "--bundle")
    other = str(tmp_path / "other.chronology")
    run("init", other)
    monkeypatch.setenv("CHRONOLOGY_BUNDLE_PASSPHRASE", "not the bundle passphrase")
    code, out, err = run("import", other, str(target))
    assert (code, out) == (1, "")
    assert err == (
        "chronology: The passphrase does not open b.bundle, or the bundle was changed after "
        "it was made. Check the passphrase with whoever sent it.\n"
    )
    monkeypatch.delenv("CHRONOLOGY_BUNDLE_PASSPHRASE")
    code, _, err = run("import", other, str(target))
    assert code == 1 and "set CHRONOLOGY_BUNDLE_PASSPHRASE" in err
    assert run("cases", other)[1] == "No cases in this workspace yet.\n"


def test_a_bundle_passphrase_must_not_be_the_workspace_passphrase(
    ws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHRONOLOGY_BUNDLE_PASSPHRASE", PASSPHRASE)
    target = tmp_path / "b.bundle"
    code, _, err = run("export", ws, REF, "-o", str(target), "--bundle")
    assert code == 1 and "different from the workspace's" in err
    assert not target.exists()


def test_a_plain_export_still_says_it_is_not_encrypted(ws: str, tmp_path: Path) -> None:
    code, _, err = run("export", ws, REF, "-o", str(tmp_path / "plain.json"))
    assert code == 0
    assert "This file is NOT encrypted" in err and "(--bundle)" in err


# --- secrets stay secret ----------------------------------------------------------------------


def test_no_passphrase_or_case_text_in_any_output_or_log(
    ws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("CHRONOLOGY_BUNDLE_PASSPHRASE", BUNDLE)
    outputs = [
        run("-v", "backup", ws),
        run("-v", "audit", "verify", ws),
        run("-v", "export", ws, REF, "-o", str(tmp_path / "b.bundle"), "--bundle"),
        run("-v", "import", str(tmp_path / "x.chronology"), str(tmp_path / "b.bundle")),
    ]
    monkeypatch.setenv("CHRONOLOGY_NEW_PASSPHRASE", NEW)
    outputs.append(run("-v", "passphrase", ws))
    text = "".join(out + err for _, out, err in outputs) + caplog.text
    for secret in (PASSPHRASE, NEW, BUNDLE, "Sara", "Dean"):
        assert secret not in text


def test_the_installed_command_verifies_without_a_traceback(ws: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "chronology_app.cli", "audit", "verify", ws + ".missing"],
        capture_output=True,
        text=True,
        env={"CHRONOLOGY_PASSPHRASE": PASSPHRASE, "PATH": ""},
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == f"chronology: {ws}.missing: no workspace there.\n"


# --- at a terminal ----------------------------------------------------------------------------


def typed(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    """Answer passphrase prompts as a person at a terminal would; returns the prompts shown."""
    prompts: list[str] = []
    replies = iter(answers)

    def getpass(prompt: str) -> str:
        prompts.append(prompt)
        return next(replies)

    monkeypatch.delenv("CHRONOLOGY_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", getpass)
    return prompts


def test_export_a_bundle_at_a_terminal_asks_each_passphrase_once(
    ws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts = typed(monkeypatch, PASSPHRASE, BUNDLE, BUNDLE)
    assert run("export", ws, REF, "-o", str(tmp_path / "b.bundle"), "--bundle")[0] == 0
    assert prompts == ["Workspace passphrase: ", "Bundle passphrase: ", "Type it again: "]


def test_a_new_passphrase_at_a_terminal_is_typed_twice(
    ws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts = typed(monkeypatch, PASSPHRASE, NEW, NEW + " but not quite")
    assert run("passphrase", ws) == (
        1,
        "",
        "chronology: The two passphrases differ; nothing was changed.\n",
    )
    assert prompts == ["Current passphrase: ", "New passphrase: ", "Type it again: "]
    prompts = typed(monkeypatch, PASSPHRASE, NEW, NEW)
    assert run("passphrase", ws)[0] == 0
