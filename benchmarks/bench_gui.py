"""Speed of the desktop app, offscreen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_gui.py [--repeat 5]

- start to a usable window: a new process that imports the app, opens a workspace with one
  small case (key derivation included), builds the main window, shows it and opens the case;
  timed from before the process starts to its "ready" line (median of --repeat runs);
- opening a 5,000-entry case: records, flags, table, timeline and people view;
- one filter keystroke on that case (setting the search text, re-filtering 5,000 rows);
- an entry edit on that case: from the service call to the new summary shown in the table
  (the flags follow in the background and are not counted).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.generate import generate_case
from chronology_app.core.service import Service
from chronology_app.core.store.workspace import Workspace

STARTUP = """
import sys
from chronology_app.core.service import Service
from chronology_app.core.store.workspace import Workspace
from chronology_app.gui.app import make_application
from chronology_app.gui.main_window import MainWindow
app = make_application()
workspace = Workspace.open(sys.argv[1], "bench")
window = MainWindow(Service(workspace, "bench"), idle_minutes=60)
window.show()
window.open_case("SMALL")
app.processEvents()
print("ready", flush=True)
window.ops.wait()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from chronology_app.gui.app import make_application
    from chronology_app.gui.main_window import MainWindow

    app = make_application()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "w.chronology"
        workspace = Workspace.create(path, "bench")
        service = Service(workspace, "bench")
        service.import_case(generate_case(60, seed=3, reference="SMALL"))
        service.import_case(generate_case(5000, seed=1, reference="BIG"))
        workspace.close()

        starts = []
        for _ in range(args.repeat):
            begin = time.perf_counter()
            process = subprocess.run(
                [sys.executable, "-c", STARTUP, str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            assert "ready" in process.stdout
            starts.append(time.perf_counter() - begin)

        workspace = Workspace.open(path, "bench")
        window = MainWindow(Service(workspace, "bench"), idle_minutes=60)
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        opens, with_flags, keystrokes = [], [], []
        window.open_case("SMALL")
        window.ops.wait()
        begin = time.perf_counter()
        window.open_case("BIG")
        app.processEvents()
        first_open = time.perf_counter() - begin
        window.ops.wait()
        for _ in range(args.repeat):
            window.open_case("SMALL")
            window.ops.wait()
            begin = time.perf_counter()
            window.open_case("BIG")
            app.processEvents()
            opens.append(time.perf_counter() - begin)
            window.ops.wait()
            with_flags.append(time.perf_counter() - begin)
        for letter in ("p", "po", "pol", "poli", "polic"):
            begin = time.perf_counter()
            window.filter_bar.search.setText(letter)
            app.processEvents()
            keystrokes.append(time.perf_counter() - begin)
        visible = window.proxy.rowCount()
        window.filter_bar.search.setText("")
        app.processEvents()
        window.ops.wait()
        edits = []
        service = window.service
        document = service.document("BIG")
        for number in range(args.repeat):
            original = document["entries"][100 + number]
            changed = {**original, "summary": f"Edited in the benchmark {number}"}
            begin = time.perf_counter()
            window.ops.change(
                lambda changed=changed: service.edit_entry(
                    "BIG", changed["id"], changed, reason="benchmark"
                )
            )
            app.processEvents()
            row = window.model.row_of(changed["id"])
            assert row is not None and window.model.entry(row).summary == changed["summary"]
            edits.append(time.perf_counter() - begin)
            window.ops.wait()
        window.close()
        workspace.close()

    print(f"start to a usable window (new process, small case): {statistics.median(starts):.2f} s")
    print(
        f"open a 5000-entry case the first time (read, table, timeline, people shown): "
        f"{first_open * 1000:.0f} ms"
    )
    print(
        f"open a 5000-entry case again (table, timeline, people shown): "
        f"{statistics.median(opens) * 1000:.0f} ms; flags shown after "
        f"{statistics.median(with_flags) * 1000:.0f} ms"
    )
    print(
        f"one filter keystroke on 5000 entries: {statistics.median(keystrokes) * 1000:.1f} ms "
        f"({visible} rows match 'polic')"
    )
    print(
        f"an entry edit on 5000 entries, shown in the table: "
        f"{statistics.median(edits) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
