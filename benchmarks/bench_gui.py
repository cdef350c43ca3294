"""Speed of the desktop app, offscreen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_gui.py [--repeat 5]

- start to a usable window, in the app's phases (median of --repeat new processes): the
  welcome screen shown (Qt alone; the store's import starts on a thread of its own), the
  warm-up done (the store imported, then the main window's modules, its widgets made once
  offscreen: gui/warm_up.py), then from the passphrase to the main window on a small case
  (`app.open_in_window`: the workspace opens while the window is made; the key derivation, the
  one keyed connection, is measured on its own). In real use the import runs
  while the user types; both sums are printed, with and without that overlap;
- opening a 5,000-entry case: records, flags, table, timeline and people view;
- one filter keystroke on that case (setting the search text, re-filtering 5,000 rows);
- an entry edit on that case: from the service call to the new summary shown in the table
  (the flags follow in the background and are not counted; each edit starts once the previous
  one's flags are painted, which earlier versions counted in the next edit).

The process keeps what its reads make out of the cycle collector's way, as `chronology-app`
does (core/bulk.keep_what_reads_make).
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

# The app's own start, in phases: the welcome screen (Qt alone; the store's import starts on a
# thread of its own, as in `chronology-app`), then, once that import is done (in real use while
# the user types the passphrase), the passphrase's key derivation, and the main window on the
# case. Times are seconds since the parent started the process (wall clock, time.time()).
STARTUP = """
import sys, time
launched = float(sys.argv[-1])
from chronology_app.gui.app import make_application
from chronology_app.gui.warm_up import warm_up
from chronology_app.gui.dialogs.welcome import WelcomeDialog
from chronology_app.core.bulk import keep_what_reads_make
app = make_application()
keep_what_reads_make()
importing = warm_up(app)
welcome = WelcomeDialog()
welcome.show()
app.processEvents()
print("welcome", time.time() - launched, flush=True)
while not importing.done:  # as while the user types
    app.processEvents()
    time.sleep(0.005)
print("imported", time.time() - launched, flush=True)
welcome.close()
begin = time.time()
from chronology_app.core.store.engine import connect
from pathlib import Path
connect(Path(sys.argv[1]), "bench").close()
key = time.time() - begin
begin = time.time()
from chronology_app.gui.app import open_in_window
from chronology_app.gui.dialogs.welcome import Choice
choice = Choice(path=Path(sys.argv[1]), passphrase="bench")
service, window = open_in_window(choice, "bench", idle_minutes=60)
window.show()
window.open_case("SMALL")
app.processEvents()
print("ready", time.time() - begin, key, flush=True)
window.ops.wait()
window.close()
service.close()
"""


# A bare Qt window timed the same way: a new process, to the window shown.
BARE_QT = """
import sys, time
launched = float(sys.argv[-1])
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.show()
app.processEvents()
print("bare", time.time() - launched, flush=True)
"""


def timed_phases(script: str, *args: str) -> dict[str, float]:
    """The phases a new process running `script` printed ("name seconds ..."), by name."""
    process = subprocess.run(
        [sys.executable, "-c", script, *args, repr(time.time())],
        capture_output=True,
        text=True,
        check=True,
    )
    found: dict[str, float] = {}
    for line in process.stdout.splitlines():
        word, *values = line.split()
        found[word] = float(values[0])
        if word == "ready":
            found["key"] = float(values[1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from chronology_app.core.bulk import keep_what_reads_make
    from chronology_app.gui.app import make_application
    from chronology_app.gui.main_window import MainWindow

    app = make_application()
    keep_what_reads_make()  # as `chronology-app` does (core/bulk.py)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "w.chronology"
        workspace = Workspace.create(path, "bench")
        service = Service(workspace, "bench")
        service.import_case(generate_case(60, seed=3, reference="SMALL"))
        service.import_case(generate_case(5000, seed=1, reference="BIG"))
        workspace.close()

        # One run untimed first: it makes the rolling backup an opening makes after changes
        # (the cases just imported), and writes the bytecode, as any installed app has.
        timed_phases(STARTUP, str(path))
        timed_phases(BARE_QT)
        phases: dict[str, list[float]] = {
            "welcome": [],
            "imported": [],
            "ready": [],
            "key": [],
            "bare": [],
        }
        for _ in range(args.repeat):
            found = {**timed_phases(STARTUP, str(path)), **timed_phases(BARE_QT)}
            for name, values in phases.items():
                values.append(found[name])

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
            app.processEvents()  # its flags shown: the next edit starts from a still screen
        window.close()
        workspace.close()

    welcome, imported, ready, key, bare = (statistics.median(phases[k]) for k in phases)
    print(f"bare Qt window (new process, to the window shown): {bare:.3f} s")
    print(f"start to the welcome screen (new process): {welcome:.3f} s")
    print(f"the warm-up done, while the passphrase is typed (new process): {imported:.3f} s")
    print(f"key derivation (one keyed connection): {key:.3f} s")
    print(f"passphrase to the main window on a small case: {ready:.3f} s")
    print(
        f"start to a usable window (welcome screen, then passphrase to the case, typing time "
        f"left out): {welcome + ready:.3f} s; with nothing typed meanwhile (warm-up not "
        f"hidden): {imported + ready:.3f} s"
    )
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
