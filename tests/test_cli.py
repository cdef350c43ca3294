"""The `chronology` command: every subcommand, clear errors, no tracebacks."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from chronology_app.cli import main
from tests.conftest import EXAMPLES, PASSPHRASE, minimal_case

FAMILY_B = EXAMPLES / "family-b.json"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CHRONOLOGY_USER", "Test Worker")


@pytest.fixture
def ws(tmp_path: Path) -> str:
    path = str(tmp_path / "w.chronology")
    assert run("init", path)[0] == 0
    return path


def test_init_import_cases_export_round_trip(ws: str, tmp_path: Path) -> None:
    code, out, _ = run("import", ws, str(FAMILY_B))
    assert (code, out) == (0, "Imported BD-2020-0193: 19 entries.\n")
    code, out, _ = run("cases", ws)
    assert out == "BD-2020-0193     Family B, Bradford (open): 19 entries, 6 persons\n"
    target = tmp_path / "out.json"
    code, _, err = run("export", ws, "BD-2020-0193", "-o", str(target))
    assert code == 0 and "NOT encrypted" in err
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(FAMILY_B.read_text())


def test_validate_says_valid_or_lists_every_problem(tmp_path: Path) -> None:
    assert run("validate", str(FAMILY_B)) == (0, f"{FAMILY_B}: valid (19 entries)\n", "")
    bad = minimal_case()
    bad["entries"][1]["persons"][1]["person"] = "p9"
    bad["persons"][0]["sex"] = "F"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    code, out, _ = run("validate", str(path))
    assert code == 1
    assert out.splitlines() == [
        f"{path}: invalid",
        "persons[0].sex: must be one of: female, male, other, unknown",
        'entries[1].persons[1].person: no person with id "p9"',
    ]


def test_a_rejected_import_says_why_and_imports_nothing(ws: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"format": "chronology-case", "version": 1')
    code, out, err = run("import", ws, str(path))
    assert code == 1 and out == ""
    assert err.startswith("chronology: bad.json: the case file has 1 problem:\nnot valid JSON")
    assert run("cases", ws)[1] == "No cases in this workspace yet.\n"


def test_wrong_passphrase_is_one_line_on_stderr(ws: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", "wrong")
    code, out, err = run("cases", ws)
    assert (code, out) == (1, "")
    assert err == (
        "chronology: The passphrase does not open w.chronology (or it is not a Chronology "
        "workspace). Check the passphrase and try again.\n"
    )


def test_unknown_case_and_missing_files_are_clear_errors(ws: str, tmp_path: Path) -> None:
    code, _, err = run("export", ws, "NOPE", "-o", str(tmp_path / "x.json"))
    assert code == 1 and err == 'chronology: No case with reference "NOPE" in this workspace.\n'
    code, _, err = run("validate", str(tmp_path / "missing.json"))
    assert code == 1 and "cannot read the file" in err
    assert not (tmp_path / "x.json").exists()


def test_demo_creates_a_workspace_with_the_fictional_families(tmp_path: Path) -> None:
    path = tmp_path / "demo.chronology"
    code, out, _ = run("demo", str(path))
    assert code == 0
    assert out.startswith(f"Created the demo workspace {path} with 3 cases:")
    assert len(run("cases", str(path))[1].splitlines()) == 3


def test_flags_prints_json_for_a_case_file() -> None:
    code, out, _ = run("flags", str(FAMILY_B), "--json")
    assert code == 0
    assert isinstance(json.loads(out), list)


def test_no_passphrase_and_no_terminal_is_a_clear_error(
    ws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHRONOLOGY_PASSPHRASE")
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    code, _, err = run("cases", ws)
    assert code == 1 and "set CHRONOLOGY_PASSPHRASE" in err


def test_the_installed_command_runs_without_tracebacks(ws: str) -> None:
    env = {**os.environ, "CHRONOLOGY_PASSPHRASE": "wrong"}
    command = Path(sys.executable).parent / "chronology"
    result = subprocess.run(
        [str(command), "cases", ws], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_usage_errors_exit_2(capsys: Any) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2
