"""The menus' actions connected to the commands that do them (the main window's wiring)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication

from chronology_app.gui import colours
from chronology_app.gui.actions import Actions

if TYPE_CHECKING:
    from chronology_app.gui.main_window import MainWindow


def wire_actions(window: MainWindow, actions: Actions) -> None:
    """Connect each menu action to the command that does it."""
    edits, files = window.edits, window.files
    actions.new_entry.triggered.connect(edits.new_entry)
    actions.edit_entry.triggered.connect(edits.edit_entry)
    actions.withdraw_entry.triggered.connect(edits.withdraw_entry)
    actions.entry_history.triggered.connect(lambda: edits.entry_history())  # noqa: PLW0108
    actions.show_withdrawn.triggered.connect(edits.show_withdrawn)
    views = window.views
    actions.text_larger.triggered.connect(views.larger)
    actions.text_smaller.triggered.connect(views.smaller)
    actions.text_normal.triggered.connect(views.normal)
    actions.high_contrast.setChecked(colours.high_contrast())
    actions.high_contrast.toggled.connect(views.set_high_contrast)
    actions.go_cases.triggered.connect(views.focus_cases)
    actions.go_chronology.triggered.connect(views.focus_chronology)
    actions.go_timeline.triggered.connect(views.focus_timeline)
    actions.go_flags.triggered.connect(views.focus_flags)
    actions.help.triggered.connect(views.help)
    workspace = window.workspace_commands
    actions.settings.triggered.connect(workspace.open_settings)
    actions.workspace_care.triggered.connect(workspace.workspace_care)
    actions.matches.triggered.connect(workspace.review_matches)
    actions.new_case.triggered.connect(edits.new_case)
    actions.add_person.triggered.connect(edits.add_person)
    actions.edit_person.triggered.connect(lambda: edits.edit_person())  # noqa: PLW0108 (not `checked`)
    actions.add_relationship.triggered.connect(edits.add_relationship)
    actions.edit_case.triggered.connect(edits.edit_case)
    actions.close_case.triggered.connect(edits.close_or_reopen_case)
    actions.undo.triggered.connect(lambda: window.ops.change(window.service.undo))
    actions.redo.triggered.connect(lambda: window.ops.change(window.service.redo))
    actions.find.triggered.connect(window.focus_search)
    actions.clear_filters.triggered.connect(window.filter_bar.clear)
    actions.zoom_in.triggered.connect(lambda: window.timeline.zoom(1.5))
    actions.zoom_out.triggered.connect(lambda: window.timeline.zoom(1 / 1.5))
    actions.import_case.triggered.connect(files.import_case)
    actions.import_chronology.triggered.connect(lambda: _import_wizard().open_wizard(window))
    actions.agency_template.triggered.connect(lambda: _import_wizard().agency_template(window))
    actions.export_case.triggered.connect(files.export_case)
    actions.export_bundle.triggered.connect(lambda: window.bundles.export_bundle())  # noqa: PLW0108
    actions.export_timeline.triggered.connect(files.export_timeline)
    actions.export_pdf.triggered.connect(files.export_pdf)
    actions.print_report.triggered.connect(files.print_report)
    actions.check_workspace.triggered.connect(files.check_workspace)
    actions.lock.triggered.connect(window.lock)
    actions.mark_reviewed.triggered.connect(edits.mark_reviewed)
    actions.review_mode.toggled.connect(lambda _checked: window.update_actions())
    actions.close_workspace.triggered.connect(window.close_workspace)
    actions.quit.triggered.connect(QApplication.quit)
    actions.about.triggered.connect(window.about)
    actions.who_is_working.triggered.connect(workspace.ask_who_is_working)
    actions.new_workspace.triggered.connect(window.other_workspace)
    actions.open_workspace.triggered.connect(window.other_workspace)
    for action in actions.all():
        window.addAction(action)


def _import_wizard() -> Any:
    """The import wizard's module, loaded on first use (its readers and matching libraries
    would add a tenth of a second to every start)."""
    from chronology_app.gui.dialogs import import_wizard

    return import_wizard
