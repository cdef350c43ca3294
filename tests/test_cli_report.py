"""`chronology report`: from a case file or a workspace, written atomically, clear errors."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdf
import pytest

from chronology_app import cli_reports
from chronology_app.cli import main
from tests.conftest import EXAMPLES, PASSPHRASE

FAMILY_B = str(EXAMPLES / "family-b.json")
RESTRICTED_SUMMARY = "Dean cautioned for assault on a previous partner"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


def text_of(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CHRONOLOGY_USER", "Test Worker")


def test_a_conference_report_from_a_case_file(tmp_path: Path) -> None:
    target = tmp_path / "conference.pdf"
    code, out, err = run("report", FAMILY_B, "-o", str(target), "--audience", "conference")
    assert (code, err) == (0, "")
    assert out == f"Wrote the conference report of BD-2020-0193 to {target}.\n"
    text = text_of(target)
    assert "Person A (withheld)" in text and RESTRICTED_SUMMARY not in text
    assert "Prepared by Test Worker" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conference.pdf"]  # no leftovers


def test_internal_and_review_reports_remind_that_they_hold_restricted_material(
    tmp_path: Path,
) -> None:
    for audience in ("internal", "review"):
        target = tmp_path / f"{audience}.pdf"
        code, _, err = run(
            "report", FAMILY_B, "-o", str(target), "--audience", audience,
            "--prepared-by", "Łukasz Nowak",
        )  # fmt: skip
        assert code == 0 and "restricted material" in err
        text = text_of(target)
        assert RESTRICTED_SUMMARY in text and "Prepared by Łukasz Nowak" in text


def test_a_report_from_a_workspace_case(tmp_path: Path) -> None:
    workspace = str(tmp_path / "w.chronology")
    assert run("init", workspace)[0] == 0
    assert run("import", workspace, FAMILY_B)[0] == 0
    target = tmp_path / "ws.pdf"
    code, out, _ = run("report", workspace, "BD-2020-0193", "-o", str(target))
    assert code == 0 and "BD-2020-0193" in out
    assert "E0019" in text_of(target)
    code, _, err = run("report", workspace, "-o", str(target), "--force")
    assert code == 1 and "give the case reference" in err
    code, _, err = run("report", workspace, "XX-0000", "-o", str(target), "--force")
    assert code == 1 and "XX-0000" in err and "Traceback" not in err


def test_errors_are_one_clear_line(tmp_path: Path) -> None:
    code, _, err = run("report", FAMILY_B, "BD-2020-0193", "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and "give no reference" in err
    code, _, err = run("report", FAMILY_B, "-o", str(tmp_path / "missing" / "x.pdf"))
    assert code == 1 and "does not exist" in err
    code, _, err = run("report", FAMILY_B, "-o", str(tmp_path))
    assert code == 1 and "is a folder" in err
    assert not list(tmp_path.iterdir())


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF-1.4 the previous report")

    def refuse(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    code, _, err = run("report", FAMILY_B, "-o", str(target), "--force")
    assert code == 1 and "No space left on device" in err
    assert target.read_bytes() == b"%PDF-1.4 the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_write_atomically_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    cli_reports.write_atomically(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]
