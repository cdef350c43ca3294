"""The import wizard end to end: a file, its columns, a problem corrected in the preview, a
possible duplicate decided, people offered, one import and one undo; its models pass
QAbstractItemModelTester; the menus hold the actions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QWidget

from chronology_app.core.service import Service
from chronology_app.gui.dialogs.import_wizard import ImportWizard
from chronology_app.gui.operations import Operations
from tests.conftest import minimal_case

FAIL = QAbstractItemModelTester.FailureReportingMode.Fatal
REF = "TS-2024-0001"
CSV = (
    "Date,Event,Officer\n"
    "01/06/2021,Police called after Cal pushed Ann,PC 1\n"
    "31/02/2022,Ann seen at the station,PC 2\n"
    "03/03/2022,Bo Test seen at school,PC 3\n"
)


def wizard_for(qtbot: Any, service: Service, tmp_path: Path) -> ImportWizard:
    service.import_case(minimal_case())
    (tmp_path / "police.csv").write_text(CSV, encoding="utf-8")
    host = QWidget()
    qtbot.addWidget(host)
    ops = Operations(host)
    wizard = ImportWizard(service, REF, ops, host)
    qtbot.addWidget(wizard)
    wizard.path.setText(str(tmp_path / "police.csv"))
    wizard.agency.setText("Police")
    return wizard


def step(wizard: ImportWizard) -> int:
    wizard.next_step()
    wizard.ops.wait()
    return wizard.steps.currentIndex()


def test_the_wizard_end_to_end(qtbot: Any, service: Service, tmp_path: Path) -> None:
    wizard = wizard_for(qtbot, service, tmp_path)
    assert step(wizard) == 1  # the columns, with their first values
    for model in (wizard.mapping, wizard.preview, wizard.duplicates):
        QAbstractItemModelTester(model, FAIL, model)  # kept alive by its model
    columns = [wizard.mapping.record(r) for r in range(wizard.mapping.rowCount())]
    assert [(c.heading, c.field) for c in columns] == [
        ("Date", "date"), ("Event", "summary"), ("Officer", None)
    ]  # fmt: skip
    assert columns[0].first_values == "01/06/2021 | 31/02/2022 | 03/03/2022"

    assert step(wizard) == 2  # the rows: one problem, tinted
    preview = wizard.preview
    assert preview.problem_rows() == 1
    bad = preview.index(1, 5)
    assert bad.data() == '"31/02/2022" is not a real date (February 2022 has 28 days)'
    assert preview.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert step(wizard) == 2  # not on while the problem remains
    assert wizard.message.text().startswith("Correct the tinted rows")
    assert preview.setData(preview.index(1, 1), "28/02/2022")  # corrected in the preview
    assert preview.problem_rows() == 0 and preview.index(1, 1).data() == "28/02/2022"

    assert step(wizard) == 3  # one possible duplicate, people offered
    duplicates = wizard.duplicates
    assert duplicates.rowCount() == 1 and duplicates.index(0, 2).data().startswith("1 June 2021")
    assert "the text is" in duplicates.index(0, 4).data()
    assert step(wizard) == 3 and "Decide the 1 rows" in wizard.message.text()
    assert duplicates.setData(duplicates.index(0, 3), "same-event")
    assert wizard.link_people.isVisibleTo(wizard) and not wizard.link_people.isChecked()
    wizard.link_people.setChecked(True)

    assert step(wizard) == 4
    assert "3 entries will be added" in wizard.summary.text()
    assert "1 of them are recorded as the same event" in wizard.summary.text()
    wizard.next_step()
    wizard.ops.wait()
    assert wizard.result_ is not None
    assert wizard.result_.action == "Import Police contribution, 3 entries"
    entries = service.document(REF)["entries"]
    assert len(entries) == 5
    new = entries[2:]
    assert new[0]["same_event_as"] == "e2"
    assert new[0]["detail"] == "Officer: PC 1"
    assert {link["person"] for link in new[0]["persons"]} == {"p1", "p3"}
    assert service.undo_name == "Import Police contribution, 3 entries"
    service.undo()
    assert len(service.document(REF)["entries"]) == 2


def test_a_column_marked_not_read_is_kept_out(qtbot: Any, service: Service, tmp_path: Path) -> None:
    wizard = wizard_for(qtbot, service, tmp_path)
    step(wizard)
    mapping = wizard.mapping
    assert mapping.setData(mapping.index(2, 2), "reference")  # Officer -> reference
    assert step(wizard) == 2
    assert wizard.plan is not None
    entry = wizard.plan.items[0].entry
    assert entry is not None and entry["source"]["reference"] == "PC 1"


def test_the_menus_hold_the_import_and_the_template(window: Any) -> None:
    actions = window.actions_
    assert actions.import_chronology.text() == "Import &chronology…"
    assert actions.agency_template.text() == "Agency &template…"
    file_menu = window.menuBar().actions()[0].menu()
    assert actions.import_chronology in file_menu.actions()
    assert actions.import_chronology.isEnabled()


def test_the_actions_open_the_wizard_and_write_a_template(
    window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.actions_.import_chronology.trigger()
    wizard = window.findChild(ImportWizard)
    assert wizard is not None and wizard.reference == "BD-2020-0193"
    wizard.close()
    from chronology_app.gui.dialogs import import_wizard

    target = tmp_path / "form.xlsx"
    monkeypatch.setattr(
        import_wizard.QInputDialog, "getText", staticmethod(lambda *a, **k: ("Housing", True))
    )
    monkeypatch.setattr(
        import_wizard.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(target), "")),
    )
    window.actions_.agency_template.trigger()
    from chronology_app.core.tables_import.reader import open_source

    assert open_source(target).marker == {"case": "BD-2020-0193", "agency": "Housing"}


@pytest.mark.parametrize("rows", [3, 60], ids=["a-few-rows-patched", "many-rows-redrawn"])
def test_the_window_shows_and_selects_what_was_imported(
    window: Any, tmp_path: Path, rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the wizard imports, the window holds the new rows (patched from the change, not
    read again), selects them all with the first in the chronology scrolled to, and says how
    many came in; undo takes them out again and keeps the user's selection."""
    lines = [f"{1 + n % 28}/{1 + n % 12}/2022,Contribution note {n}: attended" for n in range(rows)]
    (tmp_path / "school.csv").write_text("Date,Event\n" + "\n".join(lines) + "\n", "utf-8")
    existing = window.model.rowCount()
    kept = window.model.entry(0).id
    window.select_entries([kept])
    window.actions_.import_chronology.trigger()
    wizard = window.findChild(ImportWizard)
    wizard.path.setText(str(tmp_path / "school.csv"))
    wizard.agency.setText("School")
    while wizard.steps.currentIndex() < 4:
        step(wizard)
    reads: list[str] = []
    read = window.service.case_data

    def reading(reference: str) -> Any:
        reads.append(reference)
        return read(reference)

    monkeypatch.setattr(window.service, "case_data", reading)
    wizard.next_step()
    wizard.ops.wait()
    window.ops.wait()

    imported = wizard.result_.keys("entry")
    assert len(imported) == rows
    assert window.model.rowCount() == existing + rows
    assert reads == []  # the window's records were patched from the change, not read again
    selected = window.selected_entry_ids()
    assert set(selected) == imported
    view = window.case_view
    first = min(view.model.row_of(entry_id) for entry_id in imported)
    current = view.proxy.mapToSource(view.table.currentIndex()).row()
    assert current == first  # the first imported row in the chronology is the current one
    shown = view.table.visualRect(view.table.currentIndex())
    assert view.table.viewport().rect().intersects(shown)  # and scrolled to
    said = f"{rows} entries imported and selected. {existing + rows} entries, "
    assert window.statusBar().currentMessage().startswith(said)  # with the case's summary

    window.select_entries([kept])  # the user moves on
    window.actions_.undo.trigger()
    window.ops.wait()
    assert window.model.rowCount() == existing
    assert window.selected_entry_ids() == [kept]
    assert not window.statusBar().currentMessage().startswith(f"{rows} entries imported")
