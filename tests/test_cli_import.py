"""`chronology import-table` and `chronology template`: the JSON shape, exit codes 0/1/2,
nothing written while problems or undecided duplicates remain, hostile files refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import minimal_case
from tests.core import import_files as build
from tests.test_cli import run

REF = "TS-2024-0001"


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import PASSPHRASE

    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CHRONOLOGY_USER", "Test Worker")


@pytest.fixture
def ws(tmp_path: Path) -> str:
    path = str(tmp_path / "w.chronology")
    case = minimal_case()
    case["persons"].append(
        {"id": "p4", "name": "Dee Hidden", "restricted": True, "aliases": ["DH"]}
    )
    (tmp_path / "case.json").write_text(json.dumps(case))
    assert run("init", path)[0] == 0
    assert run("import", path, str(tmp_path / "case.json"))[0] == 0
    return path


def csv_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "health.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def entries(ws: str) -> list[dict[str, Any]]:
    target = Path(ws).with_name("out.json")
    assert run("export", ws, REF, "-o", str(target), "--force")[0] == 0
    return list(json.loads(target.read_text())["entries"])


GOOD = "Date,Event,Agency ref\n12/03/2022,Ann seen at clinic,H1\n13/03/2022,Bo Test weighed,H2\n"


def test_dry_run_json_with_nothing_to_fix(ws: str, tmp_path: Path) -> None:
    code, out, err = run(
        "import-table", ws, REF, csv_file(tmp_path, GOOD), "--agency", "Health", "--dry-run",
        "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert set(result) >= {"entries", "problems", "possible_duplicates", "person_links"}
    assert result["imported"] is False and result["problems"] == []
    assert [e["summary"] for e in result["entries"]] == ["Ann seen at clinic", "Bo Test weighed"]
    first = result["entries"][0]
    assert first["source"] == {"agency": "Health", "reference": "H1"}
    assert first["attributes"]["imported_from"] == {"file": "health.csv", "row": 2}
    assert result["person_links"] == [
        {"row": 2, "person": "p1", "why": 'Event names "Ann"'},
        {"row": 3, "person": "p2", "why": 'Event names "Bo Test"'},
    ]
    assert len(entries(ws)) == 2  # nothing written


def test_an_import_writes_one_step_and_says_so(ws: str, tmp_path: Path) -> None:
    code, out, _ = run("import-table", ws, REF, csv_file(tmp_path, GOOD), "--agency", "Health")
    assert code == 0
    assert out.splitlines()[-2:] == [
        "Import Health contribution, 2 entries.",
        "2 of them are notes: give them a kind in the app.",
    ]
    assert len(entries(ws)) == 4


def test_problems_exit_1_and_write_nothing_unless_bad_rows_are_left_out(
    ws: str, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, GOOD + "31/02/2022,Bad,H3\n")
    code, out, _ = run("import-table", ws, REF, path, "--agency", "Health", "--json")
    assert code == 1
    result = json.loads(out)
    assert result["imported"] is False
    assert result["problems"] == [
        {
            "file": "health.csv",
            "row": 4,
            "column": "Date",
            "message": 'health.csv, line 4, column Date: "31/02/2022" is not a real date '
            "(February 2022 has 28 days)",
        }
    ]
    assert len(entries(ws)) == 2
    code, out, _ = run("import-table", ws, REF, path, "--agency", "Health", "--leave-out-bad-rows")
    assert code == 0 and "Left out rows 4." in out
    assert len(entries(ws)) == 4


def test_possible_duplicates_exit_1_until_decided(ws: str, tmp_path: Path) -> None:
    path = csv_file(tmp_path, "Date,Event\n01/06/2021,Police called after Cal pushed Ann\n")
    code, out, _ = run("import-table", ws, REF, path, "--agency", "Health", "--json")
    assert code == 1
    (pair,) = json.loads(out)["possible_duplicates"]
    assert (pair["row"], pair["entry"]) == (2, "e2") and "the text is" in pair["why"]
    code, out, _ = run("import-table", ws, REF, path, "--agency", "Health")
    assert code == 1
    assert out.splitlines()[-1].startswith("Nothing was imported: possible duplicates")
    code, out, _ = run(
        "import-table", ws, REF, path, "--agency", "Health", "--duplicates", "same-event"
    )
    assert code == 0
    new = [e for e in entries(ws) if e["id"] not in ("e1", "e2")]
    assert [e["same_event_as"] for e in new] == ["e2"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--columns", "when=Date"], '"when" is not a field that can be mapped'),
        (["--sheet", "X"], "health.csv has no sheet"),
        (["--columns", "date=Nope"], "No table in health.csv looks like a chronology"),
    ],
)
def test_usage_errors_exit_2(ws: str, tmp_path: Path, extra: list[str], message: str) -> None:
    path = csv_file(tmp_path, GOOD)
    code, out, err = run("import-table", ws, REF, path, "--agency", "Health", *extra)
    assert code == 2 and out == "" and message in err


def test_sheet_and_table_together_is_a_usage_error(ws: str, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        run("import-table", ws, REF, csv_file(tmp_path, GOOD), "--agency", "H", "--sheet", "A",
            "--table", "1")  # fmt: skip
    assert exit_.value.code == 2


def test_a_hand_mapping_saved_and_used_again(ws: str, tmp_path: Path) -> None:
    path = csv_file(tmp_path, "When,What,Who\n12/03/2022,Visit,School\n")
    saved = tmp_path / "school.json"
    code, out, err = run(
        "import-table", ws, REF, path, "--agency", "School", "--dry-run", "--columns",
        "date=When,summary=What,source=Who", "--save-columns", str(saved),
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = run(
        "import-table", ws, REF, path, "--agency", "X", "--dry-run", "--json", "--columns",
        str(saved),
    )  # fmt: skip
    assert json.loads(out)["columns"] == {"date": "When", "summary": "What", "source": "Who"}


def test_a_hostile_file_is_refused_with_no_traceback_and_nothing_written(
    ws: str, tmp_path: Path
) -> None:
    path = build.cfb(tmp_path / "police.xlsx", encrypted=True)
    code, out, err = run("import-table", ws, REF, str(path), "--agency", "Police")
    assert code == 1 and out == ""
    assert err.startswith("chronology: police.xlsx is protected with a password")
    assert "Traceback" not in err
    assert len(entries(ws)) == 2


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_a_template_reads_back_with_no_mapping_and_lists_no_restricted_person(
    ws: str, tmp_path: Path, suffix: str
) -> None:
    form = tmp_path / f"form{suffix}"
    code, _, err = run("template", ws, REF, "--agency", "Housing", "-o", str(form))
    assert code == 0 and "restricted people are not listed" in err
    from chronology_app.core.tables_import.reader import open_source

    source = open_source(form)
    assert source.marker == {"case": REF, "agency": "Housing"}
    text = json.dumps([table.rows for table in source.tables], default=str)
    assert "Ann Test" in text and "Cal O" in text
    assert "Dee Hidden" not in text and "DH" not in text
    if suffix == ".xlsx":
        _fill_workbook(form)
    else:
        _fill_document(form)
    code, out, _ = run("import-table", ws, REF, str(form), "--agency", "Housing", "--json",
                       "--dry-run")  # fmt: skip
    result = json.loads(out)
    assert (code, result["problems"]) == (0, [])
    (entry,) = result["entries"]
    assert entry["kind"] == "incident" and entry["date"] == "2022-05-04T10:15"
    assert entry["source"] == {"agency": "Housing", "reference": "HX-1"}
    assert result["person_links"][0]["person"] == "p1"


ROW = ["04/05/2022", "10:15", "", "Neighbour reports shouting", "", "Incident", "Ann Test",
       "Housing", "HX-1", "", ""]  # fmt: skip


def _fill_workbook(path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book["Chronology"]
    for column, value in enumerate(ROW, start=1):
        sheet.cell(row=6, column=column, value=value or None)
    book.save(path)
    assert "Lists" in book.sheetnames and book["Lists"].sheet_state == "hidden"
    assert len(sheet.data_validations.dataValidation) == 3


def _fill_document(path: Path) -> None:
    import docx

    document = docx.Document(str(path))
    table = document.tables[-1]
    for cell, value in zip(table.rows[1].cells, ROW, strict=True):
        cell.text = value
    document.save(str(path))
