"""How fast things start: a new process each time, timed from before it starts to its exit.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_start.py [--repeat 7]

- a bare `python -c pass` (the floor every command stands on);
- a bare Qt window: QApplication and a QMainWindow shown, offscreen, events processed once
  (the floor of the desktop app's start);
- `chronology --version`;
- `chronology validate` and `chronology flags` on a 30-entry case file (from
  benchmarks/generate.py, seed 30).

Each figure is the median of --repeat runs after one warm-up run, which fills the disk cache
and, as on a user's machine, writes the compiled bytecode (PYTHONDONTWRITEBYTECODE is unset for
these processes).
The commands run as the installed `chronology` script does (`from chronology_app.cli import
main`), with this interpreter and this checkout first on the path.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate_case

ROOT = Path(__file__).resolve().parent.parent

CLI = "import sys; from chronology_app.cli import main; sys.exit(main())"
BARE_QT = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(800, 600)
window.show()
app.processEvents()
"""
SMALL_CASE_ENTRIES = 30


def timed_runs(command: list[str], repeat: int) -> float:
    """The median wall time of `repeat` runs of `command`, after one warm-up run."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    # As on a user's machine, the warm-up run leaves compiled bytecode for the runs timed.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times = []
    for run in range(repeat + 1):
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, env=env, cwd=ROOT, check=False)
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            raise SystemExit(f"{command} failed ({result.returncode}):\n{result.stderr[-2000:]!r}")
        if run:
            times.append(seconds)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        small = Path(folder) / "small.json"
        document = generate_case(SMALL_CASE_ENTRIES, seed=30, reference="SMALL")
        small.write_text(json.dumps(document), encoding="utf-8")
        figures = [
            ("bare python -c pass", [python, "-c", "pass"]),
            ("bare Qt window (QApplication + QMainWindow shown)", [python, "-c", BARE_QT]),
            ("chronology --version", [python, "-c", CLI, "--version"]),
            (
                f"chronology validate on a {SMALL_CASE_ENTRIES}-entry case file",
                [python, "-c", CLI, "validate", str(small)],
            ),
            (
                f"chronology flags on a {SMALL_CASE_ENTRIES}-entry case file",
                [python, "-c", CLI, "flags", str(small)],
            ),
        ]
        print(f"start-up, new process each time (median of {args.repeat}):")
        for label, command in figures:
            print(f"  {label}: {timed_runs(command, args.repeat) * 1000:.1f} ms", flush=True)


if __name__ == "__main__":
    main()
