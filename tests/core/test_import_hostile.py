"""Hostile files are refused against the stated caps before their data is read: zip bombs,
huge sheets, encrypted workbooks, broken XML, entity declarations, a million rows. Each is
built here as a small archive (the XML written directly), so the tests stay fast."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from chronology_app.core.tables_import import limits
from chronology_app.core.tables_import.reader import open_source
from tests.core import import_files as build

REFUSED = "; nothing was imported."


def sheet_xml(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f"{body}</sheetData></worksheet>"
    ).encode()


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return build.xlsx(tmp_path / "base.xlsx", {"Chronology": [["Date", "Event"], ["2022", "x"]]})


def refusal(path: Path) -> str:
    with pytest.raises(limits.UnreadableFile) as err:
        open_source(path).tables[0].rows  # noqa: B018 (reading the rows is the point)
    message = str(err.value)
    assert message.endswith(REFUSED)
    return message


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (limits.MAX_UNCOMPRESSED_BYTES + 1))
    assert path.stat().st_size < 300_000
    assert refusal(path) == "bomb.xlsx unpacks to 50 MB; at most 50 MB are read" + REFUSED


def test_a_part_that_inflates_too_far_is_refused(tmp_path: Path, workbook: Path) -> None:
    padding = b" " * (2 * limits.SMALL_PART)
    path = build.rewrite_zip(workbook, tmp_path / "ratio.xlsx", {"xl/styles.xml": padding})
    assert "has a part that unpacks" in refusal(path)
    assert "(a zip bomb?)" in refusal(path)


def test_too_many_parts_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for index in range(limits.MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"p{index}", b"")
    assert refusal(path) == "parts.xlsx holds 2,001 parts; at most 2,000 are read" + REFUSED


@pytest.mark.parametrize("x", ["", "x:"], ids=["plain", "namespace-prefix"])
def test_a_huge_sheet_declared_by_its_last_cell_is_refused(
    tmp_path: Path, workbook: Path, x: str
) -> None:
    """Found whether or not the elements carry a prefix (the scan's two sets of patterns)."""
    body = f'<{x}row r="1"><{x}c r="A1" t="inlineStr"><is><t>Date</t></is></{x}c></{x}row>'
    body += f'<{x}row r="1048576"><{x}c r="XFD1048576"><v>1</v></{x}c></{x}row>'
    path = build.rewrite_zip(
        workbook, tmp_path / "huge.xlsx", {"xl/worksheets/sheet1.xml": sheet_xml(body)}
    )
    assert refusal(path) == (
        "huge.xlsx has 1,048,576 rows in sheet Chronology; at most 100,000 rows are imported"
        + REFUSED
    )


def test_too_many_rows_are_refused_in_a_workbook_and_a_million_in_a_spreadsheet(
    tmp_path: Path, workbook: Path
) -> None:
    for x in ("", "x:"):  # elements with and without a namespace prefix
        body = "".join(f"<{x}row><{x}c><v>{n}</v></{x}c></{x}row>" for n in range(150_000))
        path = build.rewrite_zip(
            workbook, tmp_path / f"rows{x[:1]}.xlsx", {"xl/worksheets/sheet1.xml": sheet_xml(body)}
        )
        assert "has 150,000 rows in sheet Chronology" in refusal(path)
    rows = build.ods_row(["Date", "Event"]) + build.ods_row(["2022", "x"], repeat=1_000_000)
    path = build.ods(tmp_path / "rows.ods", {"Sheet1": rows})
    assert refusal(path) == (
        "rows.ods has 1,000,001 rows in sheet Sheet1; at most 100,000 rows are imported" + REFUSED
    )


def test_a_million_csv_lines_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_bytes(b"Date,Event\n" + b"2022,x\n" * 1_000_000)
    assert refusal(path) == (
        "lines.csv has 100,001 rows in the file; at most 100,000 rows are imported" + REFUSED
    )


def test_encrypted_files_and_old_formats_are_refused_clearly(tmp_path: Path) -> None:
    assert refusal(build.cfb(tmp_path / "locked.xlsx", encrypted=True)) == (
        "locked.xlsx is protected with a password (encrypted). Ask the agency to send it "
        "without a password by a secure route, or open it, remove the password and save a "
        "copy" + REFUSED
    )
    assert "is in the old Office 97-2003 format" in refusal(
        build.cfb(tmp_path / "old.xlsx", encrypted=False)
    )
    path = build.ods(tmp_path / "locked.ods", {"S": build.ods_row(["x"])}, encrypted=True)
    assert refusal(path) == "locked.ods is protected with a password (encrypted)" + REFUSED


def test_broken_xml_is_refused_without_a_traceback(tmp_path: Path, workbook: Path) -> None:
    broken = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>Date')[:-30]
    path = build.rewrite_zip(
        workbook, tmp_path / "broken.xlsx", {"xl/worksheets/sheet1.xml": broken}
    )
    assert refusal(path).startswith("broken.xlsx is damaged")
    document = build.docx(tmp_path / "a.docx", [[["Date", "Event"]]])
    path = build.rewrite_zip(
        document, tmp_path / "broken.docx", {"word/document.xml": b"<w:document"}
    )
    assert refusal(path) == "broken.docx is damaged (its text cannot be read)" + REFUSED
    (tmp_path / "junk.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    assert refusal(tmp_path / "junk.xlsx") == (
        "junk.xlsx is damaged or not the kind of file its name says" + REFUSED
    )


def test_entity_declarations_are_refused(tmp_path: Path, workbook: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
        b"<si><t>&lol2;</t></si></sst>"
    )
    path = build.rewrite_zip(workbook, tmp_path / "laughs.xlsx", {"xl/sharedStrings.xml": laughs})
    assert refusal(path) == "laughs.xlsx contains XML declarations that Office never writes" + (
        REFUSED
    )


def test_a_file_over_the_size_cap_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.csv"
    path.write_bytes(b"Date,Event\n" + b"2022,x\n" * 1000)
    assert refusal(path).startswith("big.csv is 0 MB; files up to 0 MB are imported")
