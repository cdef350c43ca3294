"""Each reader with real files: title rows, merged cells, blank rows, line breaks, numbers,
date cells, several sheets or tables, and the encodings Excel writes CSV in."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from chronology_app.core.tables_import import plan
from chronology_app.core.tables_import.limits import UnreadableFile
from tests.conftest import minimal_case
from tests.core import import_files as build

HEADINGS = ["Date", "Event", "Source", "Witness or document reference"]


def prepare(path: Path, **options: Any) -> plan.ImportPlan:
    return plan.prepare(path, minimal_case(), "Police", **options)


def summary(prepared: plan.ImportPlan) -> list[tuple[int, str, str, str]]:
    return [
        (item.row, item.entry["date"], item.entry["summary"], item.entry["source"]["agency"])
        for item in prepared.items
        if item.entry
    ]


def test_xlsx_with_title_rows_merged_cells_blank_rows_and_date_cells(tmp_path: Path) -> None:
    rows = [
        ["Multi-agency chronology: Family T"],
        [],
        HEADINGS,
        [datetime.date(2022, 3, 12), "Police called to the home\nafter a 999 call", "Police", 17],
        [],
        ["14/03/2022", "Mother seen at clinic", "Health", None],
        ["March 2022", "Home visit", None, "HV-2"],
        [datetime.datetime(2022, 4, 1, 14, 30), "Strategy meeting", "CSC", 2.5],
    ]
    path = build.xlsx(
        tmp_path / "police.xlsx", {"Chronology": rows}, {"Chronology": ["A1:D1", "C6:C7"]}
    )
    prepared = prepare(path)
    assert prepared.problems == []
    assert summary(prepared) == [
        (4, "2022-03-12", "Police called to the home\nafter a 999 call", "Police"),
        (6, "2022-03-14", "Mother seen at clinic", "Health"),
        (7, "2022-03", "Home visit", "Health"),  # the merged source covers both rows
        (8, "2022-04-01T14:30", "Strategy meeting", "CSC"),
    ]
    first, second, third, fourth = (item.entry for item in prepared.items if item.entry)
    assert first["source"]["reference"] == "17"  # a whole number, not "17.0"
    assert fourth["source"]["reference"] == "2.5"
    assert "date_text" not in first  # a date cell is a day, with no wording to keep
    assert second["date_text"] == "14/03/2022"
    assert third["attributes"]["imported_from"] == {
        "file": "police.xlsx",
        "sheet": "Chronology",
        "row": 7,
    }


def test_the_first_sheet_that_looks_like_a_chronology_or_the_one_asked_for(
    tmp_path: Path,
) -> None:
    path = build.xlsx(
        tmp_path / "book.xlsx",
        {
            "Cover": [["Contribution from Police"], ["Author", "PC 123"]],
            "Chronology": [HEADINGS, ["12/03/2022", "First", None, None]],
            "Later": [["When", "What"], ["13/03/2022", "Second"]],
        },
    )
    assert prepare(path).table.name == "Chronology"
    by_hand = prepare(path, sheet="later", columns={"date": "When", "summary": "What"})
    assert summary(by_hand) == [(2, "2022-03-13", "Second", "Police")]
    with pytest.raises(plan.NoTable) as missing:
        prepare(path, sheet="Health")
    assert str(missing.value) == (
        'book.xlsx has no sheet "Health" (its sheets: Cover, Chronology, Later).'
    )


def test_an_xlsm_is_read_as_data(tmp_path: Path) -> None:
    source = build.xlsx(tmp_path / "a.xlsx", {"Chronology": [HEADINGS, ["2022", "x", None, 1]]})
    path = source.rename(tmp_path / "macro.xlsm")
    assert summary(prepare(path)) == [(2, "2022", "x", "Police")]


def test_ods_with_merged_cells_date_cells_and_repeated_rows(tmp_path: Path) -> None:
    rows = (
        build.ods_row(["Family T chronology"])
        + build.ods_row([None], repeat=2)
        + build.ods_row(["Date", "Significant event", "Source", "Impact"])
        + "<table:table-row>"
        + build.ods_cell(datetime.date(2022, 5, 1))
        + build.ods_cell("Referral from school")
        + build.ods_cell("School", span=(2, 1))
        + build.ods_cell(None)
        + "</table:table-row>"
        + build.ods_row(["early 2022", "Concerns noted", None, "Child anxious"])
        + build.ods_row([None, None, None, None], repeat=1000)
    )
    path = build.ods(tmp_path / "school.ods", {"Sheet1": rows})
    prepared = prepare(path)
    assert prepared.problems == []
    assert summary(prepared) == [
        (5, "2022-05-01", "Referral from school", "School"),
        (6, "2022-01-01/2022-04-30", "Concerns noted", "School"),
    ]
    assert prepared.items[1].entry is not None
    assert prepared.items[1].entry["impact"] == "Child anxious"


def test_word_tables_by_number_with_the_heading_row_as_row_1(tmp_path: Path) -> None:
    people = [["Name", "Role"], ["Ann Test", "Mother"]]
    chronology = [
        ["Serial number", "Date", "Event", "Event detail", "Witness or document reference"],
        ["1", "12/03/2022", "Police attend", "Neighbour called 999", "Statement A1"],
        ["2", "31/02/2022", "Bad date", "", ""],
    ]
    path = build.docx(tmp_path / "court.docx", [people, chronology])
    prepared = prepare(path)
    assert prepared.table.name == "2"
    assert [p.message for p in prepared.problems] == [
        'court.docx, table 2, row 3, column Date: "31/02/2022" is not a real date '
        "(February 2022 has 28 days)"
    ]
    entry = prepared.items[0].entry
    assert entry is not None
    # the serial number is kept in the detail; the document reference is the reference
    assert entry["detail"] == "Neighbour called 999\nSerial number: 1"
    assert entry["source"] == {"agency": "Police", "reference": "Statement A1"}
    assert entry["attributes"]["imported_from"] == {"file": "court.docx", "table": 2, "row": 2}
    with pytest.raises(plan.NoTable, match="has 2 tables; there is no table 3"):
        prepare(path, table=3)


def test_a_macro_enabled_word_document_is_refused(tmp_path: Path) -> None:
    source = build.docx(tmp_path / "a.docx", [[["Date", "Event"], ["2022", "x"]]])
    import zipfile

    with zipfile.ZipFile(source) as archive:
        types = archive.read("[Content_Types].xml")
    poisoned = types.replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    path = build.rewrite_zip(source, tmp_path / "b.docm", {"[Content_Types].xml": poisoned})
    with pytest.raises(UnreadableFile) as refused:
        prepare(path)
    assert str(refused.value) == (
        "b.docm is a macro-enabled Word document (.docm). Macros are never run here: open it, "
        "save it as a Word Document (.docx) and import that; nothing was imported."
    )


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""), ("utf-16", b"")],
)
def test_csv_in_the_encodings_excel_writes(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    text = (
        "When,What happened,Agency\r\n"
        '12/03/2022,"Café visit, £20 found\r\nin coat",Housing\r\n'
        "\r\n"
        "13/03/2022,Visit,\r\n"
    )
    path = tmp_path / "housing.csv"
    path.write_bytes(prefix + text.encode(encoding))
    prepared = prepare(path)
    assert summary(prepared) == [
        (2, "2022-03-12", "Café visit, £20 found\nin coat", "Housing"),
        (5, "2022-03-13", "Visit", "Police"),  # a blank agency cell: the named agency
    ]


def test_csv_problems_are_named_by_line(tmp_path: Path) -> None:
    path = tmp_path / "health.csv"
    path.write_text("Date;Description\n1/1/2022;ok\nsoon;not a date\n", encoding="utf-8")
    assert [p.message for p in prepare(path).problems] == [
        'health.csv, line 3, column Date: "soon" is not a date that can be read with '
        "certainty: write it as, for example, 12/03/2019, 12 March 2019, March 2019, 2019, "
        "early 2018, summer 2017, w/c 4 March 2019, approx. 2015 or between March and May 2019"
    ]


def test_a_file_with_no_chronology_says_how_to_map_it(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("A,B\n1,2\n", encoding="utf-8")
    with pytest.raises(plan.NoTable) as err:
        prepare(path)
    assert str(err.value) == (
        "No table in x.csv looks like a chronology (a row of headings with a date and what "
        'happened). Say which columns hold what, e.g. --columns "date=When,summary=What '
        'happened".'
    )


def test_other_kinds_of_file_are_refused_by_name(tmp_path: Path) -> None:
    for name, message in [
        ("a.pdf", "a.pdf is not a kind of file that can be imported"),
        ("b.xls", "b.xls is in the old Office 97-2003 format"),
    ]:
        (tmp_path / name).write_bytes(b"x")
        with pytest.raises(UnreadableFile, match=message):
            prepare(tmp_path / name)


def test_a_form_made_for_another_case_says_so(tmp_path: Path) -> None:
    from chronology_app.core.tables_import.template import workbook_bytes

    other = minimal_case("OT-1")
    path = tmp_path / "form.xlsx"
    path.write_bytes(workbook_bytes(other, "Housing"))
    prepared = prepare(path)  # into TS-2024-0001
    assert prepared.table.name == "Chronology" and prepared.items == []
    assert prepared.warnings == [
        "form.xlsx is the contribution form for case OT-1, not TS-2024-0001."
    ]
