"""The core never imports Qt: it must import with PySide6 blocked."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import importlib, pkgutil, sys
sys.modules["PySide6"] = None  # any import of PySide6 now fails
import chronology_app.core as core
names = [m.name for m in pkgutil.walk_packages(core.__path__, "chronology_app.core.")]
for name in names:
    importlib.import_module(name)
import chronology_app.cli
print(len(names))
"""


def test_core_and_cli_import_with_pyside6_blocked() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 10  # every module of the core was walked
