"""Every change the GUI makes goes through here (Anki's CollectionOp, in small).

`Operations.change` is the one door every change goes through: it runs one service call, shows
a typed error as a message the user can act on, and announces what changed (`OpChanges`) so the
views refresh from it. A change that can take time (an import, a restore) is given a `slow`
label and runs off the GUI thread with progress shown; its announcement comes when it is done.
`Operations.in_background` runs slow reading (flags, workspace-wide checks, reports) the same
way. An unexpected error is logged by type only (never case content) and the user's work is
kept.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from chronology_app.core.errors import ChronologyError, InvalidInput
from chronology_app.core.service import OpChanges

log = logging.getLogger(__name__)
T = TypeVar("T")


def show_error(parent: QWidget | None, error: BaseException, title: str = "Chronology") -> None:
    """The one place an error reaches the user."""
    if isinstance(error, ChronologyError):
        QMessageBox.warning(parent, title, str(error))
        return
    log.error("unexpected %s", type(error).__name__)
    QMessageBox.critical(
        parent,
        title,
        "Something went wrong inside Chronology. Nothing you had saved is lost; the last "
        f"action was not completed.\n\n({type(error).__name__})",
    )


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work: Callable[[], Any] | None = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            assert self.work is not None  # (let go only once the task has finished)
            result = self.work()
        except BaseException as error:  # reported on the GUI thread
            if not isinstance(error, ChronologyError):
                log.error(
                    "background task failed: %s",
                    traceback.format_exception_only(error)[-1].split(":")[0],
                )
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(result)


class Operations(QObject):
    """Runs service calls for one window."""

    changed = Signal(object)  # OpChanges
    refused = Signal()  # a change was refused: what can be undone may differ now

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self._pool = QThreadPool.globalInstance()
        self._running: set[_Task] = set()
        self._soon: list[QTimer] = []

    def change(
        self,
        call: Callable[[], OpChanges],
        *,
        inline_validation: bool = False,
        inline_errors: bool = False,
        slow: str | None = None,
        then: Callable[[OpChanges], None] | None = None,
    ) -> OpChanges | None:
        """Run one change and announce it. With `inline_validation`, InvalidInput is raised
        to the caller (a dialog shows it next to its fields); every other error is shown here
        and None returned (with `inline_errors`, any ChronologyError is raised to the
        dialog that asked, which shows it in place). With `slow` (what it is doing, for the
        progress window), it runs off the GUI thread and returns None; `then` is called with
        what changed once it is announced (also at once for a quick change)."""
        if slow is not None:

            def done(changes: OpChanges) -> None:
                self.changed.emit(changes)
                if then is not None:
                    then(changes)

            self.in_background(slow, call, done, on_error=self.refused.emit)
            return None
        try:
            result = call()
        except ChronologyError as error:
            if inline_errors or (inline_validation and isinstance(error, InvalidInput)):
                self.refused.emit()
                raise
            show_error(self.window, error)
            self.refused.emit()
            return None
        except Exception as error:
            show_error(self.window, error)
            self.refused.emit()
            return None
        self.changed.emit(result)
        if then is not None:
            then(result)
        return result

    def in_background(
        self,
        label: str,
        work: Callable[[], T],
        done: Callable[[T], None],
        *,
        show_progress: bool = True,
        on_error: Callable[[], None] | None = None,
    ) -> None:
        task = _Task(work)
        progress = None
        if show_progress:
            progress = QProgressDialog(label, "", 0, 0, self.window)
            progress.setCancelButton(None)
            progress.setMinimumDuration(300)
            progress.setWindowTitle("Chronology")

        def finish() -> None:
            if progress is not None:
                progress.reset()
                progress.deleteLater()
            self._running.discard(task)
            # Let go of the task and what it read (a whole case, for flags). Its signals hold
            # these closures, which hold the task: a loop through Qt's connections, which
            # Python's collector cannot see, so it would keep every task's data for the life
            # of the process.
            task.signals.done.disconnect()
            task.signals.failed.disconnect()
            task.work = None

        def on_done(result: object) -> None:
            finish()
            done(result)  # type: ignore[arg-type]

        def on_failed(error: object) -> None:
            finish()
            show_error(self.window, error if isinstance(error, BaseException) else Exception())
            if on_error is not None:
                on_error()

        task.signals.done.connect(on_done)
        task.signals.failed.connect(on_failed)
        self._running.add(task)
        self._pool.start(task)

    def wait(self) -> None:
        """Block until background work ends and its results are delivered (tests, shutdown),
        including work a view has scheduled to start in a moment (`soon`)."""
        while self._running or any(timer.isActive() for timer in self._soon):
            for timer in self._soon:
                if timer.isActive():
                    timer.stop()
                    timer.timeout.emit()
            self._pool.waitForDone()
            QCoreApplication.processEvents()

    def soon(self, milliseconds: int, work: Callable[[], None]) -> QTimer:
        """A single-shot timer for work to start once the screen has caught up; restarting
        it puts the work off again. `wait` runs it at once."""
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(milliseconds)
        timer.timeout.connect(work)
        self._soon.append(timer)
        return timer
