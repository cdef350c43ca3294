"""Every item model under QAbstractItemModelTester (failures are test failures) while the app
drives it as it does in use: opening cases (resets), adding, moving and withdrawing entries
(inserts, moves, removals), renaming a person (data changes), reviewing flags, undo and
redo, filters and sorting in the proxies, and the import wizard's edits and decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from chronology_app.core.service import Service
from chronology_app.gui.main_window import MainWindow
from chronology_app.gui.models.chronology_model import SUMMARY, Filters
from tests.gui.model_testing import watch
from tests.gui.test_import_wizard import step, wizard_for

REF = "BD-2020-0193"


def _models(window: MainWindow) -> list[Any]:
    return [
        window.model,
        window.proxy,
        window.flags_panel.model,
        window.people.model,
        window.cases_panel.model,
        window.cases_panel.proxy,
    ]


def _entry(date: str, summary: str) -> dict[str, Any]:
    return {"date": date, "kind": "note", "summary": summary, "source": {"agency": "School"}}


def test_the_windows_models_while_a_case_changes(window: MainWindow) -> None:
    service, ops = window.service, window.ops
    with watch(*_models(window)):
        window.proxy.set_filters(Filters(text="police"))
        before = window.model.rowCount()
        ops.change(lambda: service.add_entry(REF, _entry("2019-03-12", "Police called.")))
        ops.change(lambda: service.add_entry(REF, _entry("2017-01-01", "Earliest note.")))
        assert window.model.rowCount() == before + 2
        first = window.model.entry(0)
        original = next(e for e in service.document(REF)["entries"] if e["id"] == first.id)
        window.proxy.set_filters(Filters())
        window.select_entries([first.id])
        moved = {**original, "date": "2024-01-01", "summary": "Moved to the end."}
        ops.change(lambda: service.edit_entry(REF, first.id, moved, "test"))  # a move
        last = window.model.rowCount() - 1
        assert window.model.entry(last).id == first.id
        # the row shows the entry as it is now (it once showed it as it was: the listeners
        # to the move read the row first, and that reading was kept)
        assert window.model.index(last, SUMMARY).data() == "Moved to the end."
        ops.change(lambda: service.withdraw_entry(REF, first.id, "Recorded in error"))
        assert window.model.row_of(first.id) is None
        person = next(p for p in service.document(REF)["persons"] if p["id"] == "p-sara")
        ops.change(lambda: service.edit_person(REF, "p-sara", {**person, "name": "Sarah Bell"}))
        ops.wait()
        flag = window.flags_panel.model.record(0)
        window.edits.review_flag(flag, "acknowledged", "Discussed in supervision")
        ops.wait()
        assert window.flags_panel.model.record(0).review is not None or any(
            r.review is not None for r in window.flags_panel.model.records()
        )
        for _ in range(3):
            window.actions_.undo.trigger()
            ops.wait()
        window.actions_.redo.trigger()
        ops.wait()
        window.proxy.sort(1, Qt.SortOrder.DescendingOrder)  # sorted by date, newest first
        window.model.set_age_child("p-mia")
        window.proxy.set_filters(Filters())
        window.proxy.sort(0, Qt.SortOrder.AscendingOrder)
        window.cases_panel.search.setText("bell")
        window.cases_panel.status.setCurrentIndex(2)  # all cases
        ops.change(lambda: service.create_case({"reference": "TS-2024-0009", "title": "T"}))
        ops.wait()
        window.open_case("TS-2024-0009")  # a reset to an empty case
        ops.wait()
        window.open_case(REF)
        ops.wait()
        assert window.model.rowCount() > 0


def test_the_import_models_while_the_wizard_is_used(
    qtbot: Any, service: Service, tmp_path: Path
) -> None:
    wizard = wizard_for(qtbot, service, tmp_path)
    with watch(wizard.mapping, wizard.preview, wizard.duplicates):
        assert step(wizard) == 1  # loads the columns (a reset)
        mapping = wizard.mapping
        assert mapping.setData(mapping.index(2, 2), "detail")  # Officer read as the detail
        assert mapping.setData(mapping.index(2, 2), None)  # and not read again
        assert step(wizard) == 2  # loads the rows
        preview = wizard.preview
        assert preview.setData(preview.index(1, 1), "28/02/2022")  # a problem corrected
        assert not preview.setData(preview.index(-1, 1), "x")  # no row: refused
        assert step(wizard) == 3  # loads the possible duplicates
        duplicates = wizard.duplicates
        duplicates.decide_all("separate")
        assert duplicates.setData(duplicates.index(0, 3), "same-event")
        assert not duplicates.setData(duplicates.index(0, 3), "maybe")
        wizard.back.click()  # back to the rows, and on: the duplicates loaded again
        wizard.ops.wait()
        assert step(wizard) == 3
        assert step(wizard) == 4
