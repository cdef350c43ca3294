"""Text caps hold wherever an entry comes from: the service (the app's editor) and case files."""

from __future__ import annotations

from typing import Any

import pytest

from chronology_app.core import casefile
from chronology_app.core.errors import InvalidCaseFile, InvalidInput
from chronology_app.core.validation import TEXT_CAPS
from tests.conftest import minimal_case

REF = "TS-2024-0001"


@pytest.mark.parametrize(
    ("field", "cap", "advice"),
    [
        ("summary", 500, "(put the rest in the detail)"),
        ("detail", 20_000, "(shorten it)"),
        ("impact", 5_000, "(shorten it)"),
        ("action", 5_000, "(shorten it)"),
    ],
)
def test_a_field_over_its_cap_is_refused_with_its_path(
    service: Any, field: str, cap: int, advice: str
) -> None:
    assert TEXT_CAPS[field] == cap
    service.import_case(minimal_case(REF))
    entry = {
        "date": "2021-01-01",
        "kind": "note",
        "summary": "A note.",
        "source": {"agency": "School"},
        field: "x" * cap,
    }
    service.add_entry(REF, entry)  # exactly at the cap: kept
    with pytest.raises(InvalidInput) as refused:
        service.add_entry(REF, {**entry, field: "x" * (cap + 1)})
    assert refused.value.problems == {
        field: f"is {cap + 1:,} characters long; keep it to {cap:,} {advice}"
    }


def test_a_case_file_obeys_the_caps_too() -> None:
    document = minimal_case(REF)
    document["entries"][0]["summary"] = "y" * 501
    with pytest.raises(InvalidCaseFile) as refused:
        casefile.check(document, "long.json")
    assert "entries[0].summary: is 501 characters long; keep it to 500" in str(refused.value)


def test_an_agency_table_row_over_a_cap_is_named_by_its_line_and_column(tmp_path: Any) -> None:
    from chronology_app.core.tables_import import plan

    path = tmp_path / "police.csv"
    path.write_text(
        "Date,Event,Further detail\n"
        f"12/03/2019,{'y' * 501},\n"
        f"13/03/2019,Seen,{'z' * 20_001}\n"
        f"14/03/2019,{'w' * 500},kept\n",
        encoding="utf-8",
    )
    prepared = plan.prepare(path, minimal_case(REF), "Police")
    assert [p.message for p in prepared.problems] == [
        "police.csv, line 2, column Event: the text is 501 characters long; keep it to 500 "
        "(put the rest in the detail)",
        "police.csv, line 3, column Further detail: the text is 20,001 characters long; keep "
        "it to 20,000 (shorten it)",
    ]
    assert [item.entry is not None for item in prepared.items] == [False, False, True]
