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
from tests.conftest import run_cli as run

FAMILY_B = EXAMPLES / "family-b.json"


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CHRONOLOGY_USER", "Test Worker")


@pytest.fixture
def ws(tmp_path: Path) -> str:
    path = str(tmp_path / "w.chronology")
    assert run("init", path)[0] == 0
    return path


def test_init_refuses_a_short_passphrase_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", "short")
    path = tmp_path / "w.chronology"
    code, out, err = run("init", str(path))
    assert (code, out) == (1, "")
    assert "too easy to guess" in err
    assert not path.exists()


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


def test_flags_on_a_file_reads_as_a_list_grouped_by_severity() -> None:
    code, out, _ = run("flags", str(FAMILY_B))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Family B (BD-2020-0193): 11 flags"
    assert lines[2] == "HIGH (7)"
    assert "MEDIUM (4)" in lines  # with rule 21 on E0004
    assert "     Evidence: E0003, E0004, E0005, E0007, E0010, E0018" in lines


def test_flags_json_matches_the_expected_example() -> None:
    expected = json.loads((EXAMPLES / "family-b.expected.json").read_text())
    flags = json.loads(run("flags", str(FAMILY_B), "--json")[1])
    rules = {flag["rule"] for flag in flags}
    assert set(expected["must_raise"]) <= rules
    assert not rules & set(expected["must_not_raise"])


def test_flags_on_a_workspace_and_one_of_its_cases(ws: str) -> None:
    run("import", ws, str(FAMILY_B))
    code, out, _ = run("flags", ws, "BD-2020-0193")
    assert code == 0 and out.startswith("Family B (BD-2020-0193): 11 flags")
    flags = json.loads(run("flags", ws, "--json")[1])
    assert list(flags) == ["BD-2020-0193"] and len(flags["BD-2020-0193"]) == 11
    one = json.loads(run("flags", ws, "BD-2020-0193", "--json")[1])
    assert isinstance(one, list) and len(one) == 11


def test_flags_with_an_authority_settings_file(tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text('{"rules": {"potential-escalation": {"min_events": 4}}}')
    flags = json.loads(run("flags", str(FAMILY_B), "--json", "--settings", str(settings))[1])
    assert "potential-escalation" not in {flag["rule"] for flag in flags}
    settings.write_text('{"rules": {"potential-escalation": {"min_events": 0}}}')
    code, _, err = run("flags", str(FAMILY_B), "--settings", str(settings))
    assert code == 1
    assert "rules.potential-escalation.min_events: must be a whole number" in err


def test_matches_and_match_decisions(ws: str, tmp_path: Path) -> None:
    run("import", ws, str(FAMILY_B))
    other = json.loads(FAMILY_B.read_text())
    other["case"]["reference"] = "BD-2021-0001"
    path = tmp_path / "other.json"
    path.write_text(json.dumps(other))
    run("import", ws, str(path))
    code, out, _ = run("matches", ws)
    assert "BD-2020-0193/p-dean (Dean Hart)  ~  BD-2021-0001/p-dean (Dean Hart)" in out
    code, out, _ = run(
        "match",
        ws,
        "BD-2020-0193/p-dean",
        "BD-2021-0001/p-dean",
        "confirmed",
        "--reason",
        "Same PNC record",
    )
    assert (code, out) == (0, "Confirm same person: BD-2020-0193/p-dean and BD-2021-0001/p-dean.\n")
    assert "BD-2020-0193/p-dean" not in run("matches", ws)[1]
    code, _, err = run("match", ws, "nobody", "BD-2021-0001/p-dean", "confirmed")
    assert code == 1 and "CASE-REFERENCE/PERSON-ID" in err


def test_a_reader_that_stops_early_is_not_an_error() -> None:
    command = Path(sys.executable).parent / "chronology"
    result = subprocess.run(
        f"'{command}' flags '{FAMILY_B}' | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout == "Family B (BD-2020-0193): 11 flags\n"
    assert "internal error" not in result.stderr


def test_export_and_report_replace_a_file_only_when_asked_and_never_a_workspace(
    ws: str, tmp_path: Path
) -> None:
    run("import", ws, str(FAMILY_B))
    target = tmp_path / "b.json"
    assert run("export", ws, "BD-2020-0193", "-o", str(target))[0] == 0
    code, _, err = run("export", ws, "BD-2020-0193", "-o", str(target))
    assert code == 1 and "already exists; nothing was written" in err and "--force" in err
    assert run("export", ws, "BD-2020-0193", "-o", str(target), "--force")[0] == 0
    before = Path(ws).read_bytes()
    for command in (
        ("export", ws, "BD-2020-0193", "-o", ws, "--force"),
        ("report", ws, "BD-2020-0193", "-o", ws, "--force", "--audience", "internal"),
    ):
        code, _, err = run(*command)
        assert code == 1 and "is not a" in err, command
    assert Path(ws).read_bytes()[:16] == before[:16]


def test_a_workspace_whose_first_byte_is_a_brace_is_read_as_a_workspace(tmp_path: Path) -> None:
    """What `report`, `flags` and `export` take for a case file is JSON text, not any file
    whose first byte is "{" (a workspace's random salt begins so one time in 256)."""
    import random

    lookalike = tmp_path / "w.chronology"
    lookalike.write_bytes(b"{" + random.Random(7).randbytes(8191))
    target = tmp_path / "r.pdf"
    code, _, err = run(
        "report", str(lookalike), "FX-1", "-o", str(target), "--audience", "internal"
    )
    assert code != 0 and "does not open w.chronology" in err
    assert "case file" not in err.replace("not a Chronology workspace", "")
    assert not target.exists()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_a_case_file_saved_as_utf16_is_refused_by_name_not_taken_for_a_workspace(
    tmp_path: Path, encoding: str
) -> None:
    """Windows tools often save text as UTF-16: the file is a case file all the same, and the
    message says what to do, not that a passphrase does not open it."""
    path = tmp_path / "case.txt"  # no .json to go by
    path.write_bytes(json.dumps(minimal_case(), indent=2).encode(encoding))
    width = "UTF-32" if encoding == "utf-32" else "UTF-16"
    for command in ("validate", "flags"):  # (flags tells a case file from a workspace)
        code, out, err = run(command, str(path))
        assert code != 0 and f"{width} text: a case file must be UTF-8" in out + err
        assert "passphrase" not in (out + err).lower()
