"""`chronology report`: from a case file or a workspace, written atomically, clear errors."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pypdf
import pytest

from chronology_app import cli_reports
from tests.conftest import EXAMPLES, PASSPHRASE
from tests.conftest import run_cli as run

FAMILY_B = str(EXAMPLES / "family-b.json")
RESTRICTED_SUMMARY = "Dean cautioned for assault on a previous partner"
INTERNAL = ("--audience", "internal")


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
    assert out == f"Wrote the conference report of BD-2020-0193 to {target} (5 pages).\n"
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
    code, out, _ = run("report", workspace, "BD-2020-0193", "-o", str(target), *INTERNAL)
    assert code == 0 and "BD-2020-0193" in out
    assert "E0019" in text_of(target)
    code, _, err = run("report", workspace, "-o", str(target), "--force", *INTERNAL)
    assert code == 1 and "give the case reference" in err
    code, _, err = run("report", workspace, "XX-0000", "-o", str(target), "--force", *INTERNAL)
    assert code == 1 and "XX-0000" in err and "Traceback" not in err


def test_errors_are_one_clear_line(tmp_path: Path) -> None:
    code, _, err = run("report", FAMILY_B, "BD-2020-0193", "-o", str(tmp_path / "x.pdf"), *INTERNAL)
    assert code == 1 and "give no reference" in err
    code, _, err = run("report", FAMILY_B, "-o", str(tmp_path / "missing" / "x.pdf"), *INTERNAL)
    assert code == 1 and "does not exist" in err
    code, _, err = run("report", FAMILY_B, "-o", str(tmp_path / "x.txt"), *INTERNAL)
    assert code == 1 and "is not a report name" in err
    code, _, err = run("report", FAMILY_B, "-o", str(tmp_path), *INTERNAL)
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
    code, _, err = run("report", FAMILY_B, "-o", str(target), "--force", *INTERNAL)
    assert code == 1 and "No space left on device" in err
    assert target.read_bytes() == b"%PDF-1.4 the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_write_atomically_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    cli_reports.write_atomically(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_the_audience_must_be_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        run("report", FAMILY_B, "-o", str(tmp_path / "x.pdf"))
    assert exited.value.code == 2
    assert "--audience" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def with_restricted_name_in_shared_text(tmp_path: Path) -> str:
    document = json.loads(Path(FAMILY_B).read_text(encoding="utf-8"))
    entries = {entry["id"]: entry for entry in document["entries"]}
    entries["e12"]["impact"] = "Sara says Ms WARD’s visits upset Leo."
    entries["e13"]["summary"] = "Letter copied to kelly.ward@example.org."
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("audience", ["conference", "court"])
@pytest.mark.parametrize("suffix", ["pdf", "docx"])
def test_a_family_facing_report_naming_a_restricted_person_is_not_written(
    tmp_path: Path, audience: str, suffix: str
) -> None:
    source = with_restricted_name_in_shared_text(tmp_path)
    target = tmp_path / f"out.{suffix}"
    code, out, err = run("report", source, "-o", str(target), "--audience", audience)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[1:] == [
        'E0012 impact: "Ms WARD" (a restricted person\'s name)',
        'E0013 summary: "kelly.ward@example.org" (an e-mail address or handle built from a '
        "restricted person's name)",
    ]
    assert "was not written" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.json"]


def test_the_internal_report_of_the_same_case_is_written(tmp_path: Path) -> None:
    source = with_restricted_name_in_shared_text(tmp_path)
    target = tmp_path / "out.pdf"
    assert run("report", source, "-o", str(target), *INTERNAL)[0] == 0
    assert "kelly.ward@example.org" in text_of(target)


@pytest.mark.parametrize("audience", ["conference", "court", "review", "internal"])
def test_every_audience_in_word(tmp_path: Path, audience: str) -> None:
    target = tmp_path / f"{audience}.docx"
    code, out, _ = run("report", FAMILY_B, "-o", str(target), "--audience", audience)
    assert code == 0 and str(target) in out
    with zipfile.ZipFile(target) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    assert ("Dean cautioned for assault" in document) == (audience in ("internal", "review"))
    assert "BD-2020-0193" in document


def test_a_court_chronology_over_ten_sides_is_written_with_a_warning(tmp_path: Path) -> None:
    from benchmarks.generate import generate_case

    document = generate_case(400, seed=3)
    for entry in document["entries"]:
        entry["tags"] = [*entry.get("tags", []), "court"]
        entry.pop("restricted", None)
    for person in document["persons"]:
        person.pop("restricted", None)
    source = tmp_path / "big.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / "court.pdf"
    code, out, err = run("report", str(source), "-o", str(target), "--audience", "court")
    assert code == 0
    pages = len(pypdf.PdfReader(target).pages)
    assert pages > 10 and f"({pages} pages)" in out
    assert (
        f"The court chronology runs to {pages} A4 sides, over the 10 that Practice Direction "
        "27A allows in a bundle: 400 entries are selected." in err
    )
    first = pypdf.PdfReader(target).pages[0]
    assert float(first.mediabox.width) < float(first.mediabox.height)  # A4 portrait
