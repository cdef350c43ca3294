"""QAbstractItemModelTester on a model for the length of a test, its failures made test
failures: the testers report in Warning mode (Fatal would abort the whole run) through a
message handler that collects them, and `watch` fails the test naming each one."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QtMsgType, qInstallMessageHandler
from PySide6.QtTest import QAbstractItemModelTester

WARN = QAbstractItemModelTester.FailureReportingMode.Warning


@contextlib.contextmanager
def watch(*models: QAbstractItemModel) -> Iterator[list[QAbstractItemModelTester]]:
    """Every model under a tester (kept alive as the model's child) until the block ends;
    any failure it reported fails the test."""
    failures: list[str] = []
    previous: Any = None

    def handler(kind: QtMsgType, context: Any, message: str) -> None:
        if context.category == "qt.modeltest" or message.startswith("FAIL!"):
            failures.append(message)
        elif previous is not None:
            previous(kind, context, message)

    previous = qInstallMessageHandler(handler)
    testers = [QAbstractItemModelTester(model, WARN, model) for model in models]
    try:
        yield testers
    finally:
        qInstallMessageHandler(previous)
        for tester in testers:
            tester.setParent(None)
            tester.deleteLater()
    assert not failures, "QAbstractItemModelTester:\n" + "\n".join(failures)
