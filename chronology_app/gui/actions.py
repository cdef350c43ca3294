"""Every QAction, its shortcut and its place in the menus, made here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenuBar

StandardKey = QKeySequence.StandardKey


@dataclass
class Actions:
    new_workspace: QAction
    open_workspace: QAction
    import_case: QAction
    import_chronology: QAction
    agency_template: QAction
    export_case: QAction
    export_bundle: QAction
    export_timeline: QAction
    export_pdf: QAction
    print_report: QAction
    close_workspace: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    new_entry: QAction
    edit_entry: QAction
    withdraw_entry: QAction
    entry_history: QAction
    show_withdrawn: QAction
    new_case: QAction
    add_person: QAction
    edit_person: QAction
    add_relationship: QAction
    edit_case: QAction
    close_case: QAction
    find: QAction
    clear_filters: QAction
    zoom_in: QAction
    zoom_out: QAction
    text_larger: QAction
    text_smaller: QAction
    text_normal: QAction
    high_contrast: QAction
    go_cases: QAction
    go_chronology: QAction
    go_timeline: QAction
    go_flags: QAction
    help: QAction
    check_workspace: QAction
    matches: QAction
    mark_reviewed: QAction
    review_mode: QAction
    lock: QAction
    who_is_working: QAction
    settings: QAction
    workspace_care: QAction
    about: QAction

    def case_actions(self) -> list[QAction]:
        """Actions that need an open case."""
        return [
            self.export_case,
            self.export_bundle,
            self.export_timeline,
            self.export_pdf,
            self.print_report,
            self.new_entry,
            self.edit_entry,
            self.withdraw_entry,
            self.entry_history,
            self.show_withdrawn,
            self.add_person,
            self.edit_person,
            self.add_relationship,
            self.edit_case,
            self.close_case,
            self.find,
            self.clear_filters,
            self.mark_reviewed,
            self.import_chronology,
            self.agency_template,
        ]

    def editing_actions(self) -> list[QAction]:
        """Actions that change the workspace (off in read-only review mode)."""
        return [
            self.new_entry,
            self.edit_entry,
            self.withdraw_entry,
            self.new_case,
            self.add_person,
            self.edit_person,
            self.add_relationship,
            self.edit_case,
            self.close_case,
            self.import_case,
            self.import_chronology,
            self.matches,
            self.undo,
            self.redo,
        ]

    def all(self) -> list[QAction]:
        return [getattr(self, f.name) for f in fields(self)]


def _action(
    window: QMainWindow,
    text: str,
    shortcut: QKeySequence | StandardKey | str | None = None,
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
    return action


def create_actions(window: QMainWindow) -> Actions:
    actions = Actions(
        new_workspace=_action(window, "&New workspace…", tip="Create a new encrypted workspace"),
        open_workspace=_action(window, "&Open workspace…", StandardKey.Open),
        import_case=_action(
            window, "&Import case…", "Ctrl+I", "Add a case from a case file or a bundle"
        ),
        import_chronology=_action(
            window,
            "Import &chronology…",
            "Ctrl+Shift+I",
            "Take in an agency's chronology from Excel, Word, OpenDocument or CSV",
        ),
        agency_template=_action(
            window, "Agency &template…", tip="Write the contribution form for one agency"
        ),
        export_case=_action(
            window,
            "&Export case file…",
            "Ctrl+Shift+E",
            "Write the case as an (unencrypted) case file",
        ),
        export_bundle=_action(
            window,
            "Export encrypted &bundle…",
            tip="The case, encrypted, to move it to another workspace",
        ),
        export_timeline=_action(window, "Export timeline as &PNG…"),
        export_pdf=_action(
            window,
            "Export &PDF report…",
            "Ctrl+Shift+S",
            "The chronology report, for a conference or a review",
        ),
        print_report=_action(window, "&Print report…", StandardKey.Print),
        close_workspace=_action(window, "&Close workspace"),
        quit=_action(window, "&Quit", StandardKey.Quit),
        undo=_action(window, "&Undo", StandardKey.Undo),
        redo=_action(window, "&Redo", StandardKey.Redo),
        new_entry=_action(window, "&New entry…", StandardKey.New, "Add an entry to the chronology"),
        edit_entry=_action(window, "&Edit entry…", "Ctrl+E"),
        withdraw_entry=_action(
            window,
            "&Withdraw entry…",
            "Ctrl+Shift+Delete",
            "Take an entry out, with a reason (it is kept in the audit trail)",
        ),
        entry_history=_action(
            window, "Entry &history…", "Ctrl+H", "Who changed the entry, when, why and what"
        ),
        show_withdrawn=_action(
            window, "&Withdrawn entries…", tip="Entries taken out, with the reasons"
        ),
        new_case=_action(window, "New &case…", "Ctrl+Shift+N"),
        add_person=_action(window, "Add &person…", "Ctrl+Shift+P"),
        edit_person=_action(
            window, "Edit pe&rson…", "Ctrl+Shift+O", "Edit the person chosen in People and family"
        ),
        add_relationship=_action(window, "Add &relationship…", tip="Partners, parent and child…"),
        edit_case=_action(window, "Case &details…", tip="Reference, family, worker, marking…"),
        close_case=_action(window, "C&lose case…", tip="Close the case, or reopen it"),
        find=_action(window, "&Find in chronology", StandardKey.Find),
        clear_filters=_action(window, "C&lear filters", "Ctrl+Shift+L"),
        zoom_in=_action(window, "Zoom timeline &in", StandardKey.ZoomIn),
        zoom_out=_action(window, "Zoom timeline &out", StandardKey.ZoomOut),
        text_larger=_action(window, "&Larger text", "Ctrl+Alt+=", "Make all the text larger"),
        text_smaller=_action(window, "&Smaller text", "Ctrl+Alt+-", "Make all the text smaller"),
        text_normal=_action(window, "&Normal text size", "Ctrl+Alt+0"),
        high_contrast=_action(
            window,
            "&High contrast",
            "Ctrl+Alt+H",
            "Black, white and yellow, for machines that do not say the system uses high contrast",
        ),
        go_cases=_action(window, "Go to &cases", "Ctrl+1"),
        go_chronology=_action(window, "Go to the c&hronology", "Ctrl+2"),
        go_timeline=_action(window, "Go to the &timeline", "Ctrl+3"),
        go_flags=_action(window, "Go to the &flags", "Ctrl+4"),
        help=_action(window, "Chronology &guide", StandardKey.HelpContents, "The built-in guide"),
        check_workspace=_action(window, "Check &all cases for flags", "Ctrl+Shift+F"),
        matches=_action(
            window,
            "Same person in &other cases…",
            tip="People who may be the same person in two cases: confirm or reject",
        ),
        mark_reviewed=_action(
            window, "&Mark case reviewed…", tip="Record a supervisor's review, with comments"
        ),
        review_mode=_action(
            window, "&Review mode (read only)", "Ctrl+Shift+R", "Look through without changing"
        ),
        lock=_action(
            window, "&Hide now (lock)", "Ctrl+L", "Hide everything and ask for the passphrase"
        ),
        settings=_action(
            window,
            "&Settings…",
            StandardKey.Preferences,
            "The authority's settings, and when the window locks",
        ),
        workspace_care=_action(
            window,
            "Workspace &care…",
            tip="Passphrase, backups and restore, the audit trail's fingerprint",
        ),
        who_is_working=_action(
            window, "&Who is working…", tip="Your name and role, for the record and reports"
        ),
        about=_action(window, "&About Chronology"),
    )
    actions.redo.setShortcuts([QKeySequence(StandardKey.Redo), QKeySequence("Ctrl+Y")])
    actions.review_mode.setCheckable(True)
    actions.high_contrast.setCheckable(True)
    actions.text_larger.setShortcuts([QKeySequence("Ctrl+Alt+="), QKeySequence("Ctrl+Alt++")])
    actions.help.setShortcuts([QKeySequence(StandardKey.HelpContents), QKeySequence("F1")])
    return actions


def build_menus(menu_bar: QMenuBar, actions: Actions) -> None:
    file_menu = menu_bar.addMenu("&File")
    for action in (
        actions.new_workspace,
        actions.open_workspace,
        None,
        actions.import_case,
        actions.import_chronology,
        actions.export_bundle,
        actions.export_case,
        actions.export_pdf,
        actions.print_report,
        actions.export_timeline,
        None,
        actions.who_is_working,
        actions.settings,
        actions.workspace_care,
        None,
        actions.close_workspace,
        actions.quit,
    ):
        file_menu.addSeparator() if action is None else file_menu.addAction(action)
    edit_menu = menu_bar.addMenu("&Edit")
    for action in (
        actions.undo,
        actions.redo,
        None,
        actions.new_entry,
        actions.edit_entry,
        actions.withdraw_entry,
        actions.entry_history,
        None,
        actions.new_case,
        actions.add_person,
        actions.edit_person,
        actions.add_relationship,
        None,
        actions.find,
        actions.clear_filters,
    ):
        edit_menu.addSeparator() if action is None else edit_menu.addAction(action)
    view_menu = menu_bar.addMenu("&View")
    view_menu.addAction(actions.show_withdrawn)
    view_menu.addSeparator()
    view_menu.addAction(actions.zoom_in)
    view_menu.addAction(actions.zoom_out)
    view_menu.addSeparator()
    for action in (actions.text_larger, actions.text_smaller, actions.text_normal):
        view_menu.addAction(action)
    view_menu.addAction(actions.high_contrast)
    view_menu.addSeparator()
    for action in (
        actions.go_cases,
        actions.go_chronology,
        actions.go_timeline,
        actions.go_flags,
    ):
        view_menu.addAction(action)
    case_menu = menu_bar.addMenu("&Case")
    case_menu.addAction(actions.edit_case)
    case_menu.addAction(actions.close_case)
    case_menu.addSeparator()
    case_menu.addAction(actions.check_workspace)
    case_menu.addAction(actions.matches)
    case_menu.addSeparator()
    case_menu.addAction(actions.agency_template)
    case_menu.addAction(actions.mark_reviewed)
    case_menu.addAction(actions.review_mode)
    case_menu.addSeparator()
    case_menu.addAction(actions.lock)
    help_menu = menu_bar.addMenu("&Help")
    help_menu.addAction(actions.help)
    help_menu.addAction(actions.about)
