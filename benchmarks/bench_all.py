"""Every speed and memory figure of the project, from one run, in one table.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_all.py [--quick]   (make bench)

Runs the benchmark scripts (bench_start, bench_casefile, bench_rules, bench_report, bench_gui,
bench_import, bench_matching) one after another, each in its own process so that they neither
share caches nor compete for the cores, and reads the figures each prints. Every comparison (a
bare Python start, a bare Qt window, a bare SQLite insert, the naive report, n log n growth) is
measured by the same script in the same run. All data is generated from fixed seeds.

Memory: the peak resident set size of each benchmark process (getrusage, so Qt, SQLCipher and
the interpreter are counted), and the peak of the Python heap (tracemalloc) during three large
steps, measured afterwards on their own since tracing slows the code it traces.

Prints the machine, then one Markdown table (figure, value, aim, comparison), ready for
docs/benchmarks.md; each script's own output is kept in benchmarks/out/. The same figures are
written to benchmarks/out/latest.json, one key per figure (in seconds or bytes) with the
machine and the commit, so that runs can be compared by a script (the keys are listed in
docs/benchmarks.md). --quick runs small sizes once, to check that the suite works, not to
measure it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
OUT = HERE / "out"

# Runs a script as __main__, then prints the peak RSS of itself and of its children (kB on
# Linux; bytes on macOS, converted by `peak_mb`).
RUNNER = """
import resource, runpy, sys
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
who = (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
print("@peak-rss", *(resource.getrusage(w).ru_maxrss for w in who), flush=True)
"""

FULL: dict[str, list[str]] = {
    "bench_start.py": [],
    "bench_casefile.py": [],
    "bench_rules.py": [],
    "bench_report.py": [],
    "bench_gui.py": [],
    "bench_import.py": [],
    "bench_matching.py": [],
}
QUICK = {
    "bench_start.py": ["--repeat", "1"],
    "bench_casefile.py": ["--entries", "300", "--repeat", "1"],
    "bench_rules.py": ["--repeat", "1", "--cases", "4"],
    "bench_report.py": ["--entries", "150", "--hostile", "300", "--repeat", "1"],
    "bench_gui.py": ["--repeat", "1"],
    "bench_import.py": ["--rows", "300", "--existing", "300", "--repeat", "1"],
    "bench_matching.py": ["--cases", "20", "--repeat", "1"],
}
LIBRARIES = ("PySide6-Essentials", "SQLAlchemy", "sqlcipher3", "reportlab", "pypdfium2", "pydantic")


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    aim: str = ""
    comparison: str = ""
    key: str = ""  # its name in latest.json (seconds when it ends in _s, bytes in _bytes)
    amount: float | None = None


@dataclass(frozen=True)
class Run:
    script: str
    text: str
    peak_mb: float
    children_peak_mb: float
    seconds: float


def peak_mb(maxrss: int) -> float:
    return maxrss / 1e6 if sys.platform == "darwin" else maxrss / 1024


def run_script(script: str, args: list[str]) -> Run:
    print(f"running {script} {' '.join(args)}".rstrip(), file=sys.stderr, flush=True)
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(HERE / script), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    seconds = time.perf_counter() - started
    OUT.mkdir(exist_ok=True)
    (OUT / f"{Path(script).stem}.txt").write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        raise SystemExit(f"{script} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    text, _, peaks = result.stdout.rpartition("@peak-rss ")
    own, children = (int(n) for n in peaks.split())
    return Run(script, text, peak_mb(own), peak_mb(children), seconds)


def number(run: Run, pattern: str) -> float:
    found = re.search(pattern, run.text, re.MULTILINE)
    if found is None:
        raise SystemExit(f"{run.script} printed no line matching {pattern!r}: has it changed?")
    return float(found.group(1))


def duration(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def aim(seconds: float, limit: float) -> str:
    said = f"{limit:g} s" if limit >= 1 else f"{limit * 1000:g} ms"
    return f"under {said}: {'met' if seconds < limit else 'NOT met'}"


def start_rows(run: Run) -> list[Row]:
    def ms(label: str) -> float:
        return number(run, re.escape(label) + r": ([\d.]+) ms") / 1000

    bare = ms("bare python -c pass")
    qt = ms("bare Qt window (QApplication + QMainWindow shown)")
    version = ms("chronology --version")
    n = int(number(run, r"chronology flags on a (\d+)-entry case file"))
    validate = ms(f"chronology validate on a {n}-entry case file")
    flags = ms(f"chronology flags on a {n}-entry case file")
    return [
        Row(
            "A bare Python start (python -c pass)", duration(bare), key="bare_python_s", amount=bare
        ),
        Row(
            "A bare Qt window (QApplication + QMainWindow shown, offscreen)",
            duration(qt),
            key="bare_qt_window_s",
            amount=qt,
        ),
        Row(
            "chronology --version",
            duration(version),
            aim(version, 0.15),
            f"x{version / bare:.1f} a bare Python start",
            "cli_version_s",
            version,
        ),
        Row(
            f"chronology validate on a {n}-entry case file",
            duration(validate),
            "",
            "no database layer imported",
            "cli_validate_small_s",
            validate,
        ),
        Row(
            f"chronology flags on a {n}-entry case file",
            duration(flags),
            aim(flags, 0.5),
            "no database layer imported",
            "cli_flags_small_s",
            flags,
        ),
    ]


def casefile_rows(run: Run) -> list[Row]:
    def ms(label: str) -> float:
        return number(run, re.escape(label) + r"\s+([\d.]+) ms") / 1000

    n = int(number(run, r"case of (\d+) entries"))
    imported = ms("import into a new workspace (all of the above)")
    sqlite, sqlcipher = (
        ms(f"bare {name} executemany of the entry rows") for name in ("sqlite3", "sqlcipher3")
    )
    return [
        Row(
            f"Import a {n:,}-entry case file into a new workspace",
            duration(imported),
            "",
            f"bare sqlite3 insert of the same rows {duration(sqlite)}, bare sqlcipher3 "
            f"{duration(sqlcipher)} (import is x{imported / sqlcipher:.1f} the encrypted insert)",
            "import_case_file_s",
            imported,
        ),
        *(
            Row("", "", key=key, amount=value)
            for key, value in (
                ("bare_sqlite3_insert_s", sqlite),
                ("bare_sqlcipher3_insert_s", sqlcipher),
            )
        ),
        Row(
            "  of which: read and validate the file",
            duration(validated := ms("parse + validate the case file")),
            key="import_read_and_validate_s",
            amount=validated,
        ),
        Row(
            "  of which: create the workspace (key derivation, schema)",
            duration(created := ms("create workspace (key derivation + schema)")),
            key="import_create_workspace_s",
            amount=created,
        ),
        Row(
            f"Export a {n:,}-entry case to a case file",
            duration(exported := ms("export from the workspace to JSON text")),
            "",
            "checked equal to the imported document",
            "export_case_file_s",
            exported,
        ),
    ]


def rules_rows(run: Run) -> list[Row]:
    engine = [
        (int(m.group(1)), float(m.group(2)) / 1000, int(m.group(3)), int(m.group(4)))
        for m in re.finditer(
            r"^\s*(\d+) entries:\s+([\d.]+) ms, (\d+) flags \((\d+) evidence",
            run.text,
            re.MULTILINE,
        )
    ]
    sorting = [
        float(m.group(1)) / 1000
        for m in re.finditer(r"sorting the shuffled entries ([\d.]+) ms", run.text)
    ]
    if len(engine) < 2 or len(sorting) != len(engine):
        raise SystemExit("bench_rules.py printed fewer than two engine sizes: has it changed?")
    rows = []
    for index, (n, seconds, flags, output) in enumerate(engine):
        row_aim = aim(seconds, 0.5) if n == 5000 else ""
        comparison = f"{flags:,} flags"
        if index:
            n0, t0, _, output0 = engine[index - 1]
            nlogn = n * math.log(n) / (n0 * math.log(n0))
            grew, sorted_grew = seconds / t0, sorting[index] / sorting[index - 1]
            comparison += (
                f"; x{grew:.1f} the time for x{n / n0:.0f} the entries: n log n x{nlogn:.1f} in "
                f"theory, x{sorted_grew:.1f} measured (sorting the same entries); "
                f"evidence and persons x{output / output0:.1f}"
            )
            met = "met" if grew <= sorted_grew else "NOT met"
            row_aim = row_aim or f"growth no worse than n log n (measured): {met}"
        rows.append(
            Row(
                f"Flags: the rules engine on one case of {n:,} entries",
                duration(seconds),
                row_aim,
                comparison,
                f"rules_engine_{n}_entries_s",
                seconds,
            )
        )
    cases = int(number(run, r"workspace of (\d+) cases"))
    size = int(number(run, r"cases x (\d+) entries"))
    everything = number(run, r"all flags in ([\d.]+) s")
    a_case = number(run, r"([\d.]+) ms a case") / 1000
    flags = int(number(run, r"\((\d+) flags"))
    edit = number(run, r"one edit \+ re-check of one \d+-entry case: ([\d.]+) ms") / 1000
    recheck = number(run, r"re-check alone ([\d.]+) ms") / 1000
    big = int(number(run, r"re-check of a (\d+)-entry case from the workspace"))
    from_file = number(run, r"re-check of a \d+-entry case from the workspace: ([\d.]+) ms") / 1000
    engine_alone = {n: seconds for n, seconds, _, _ in engine}.get(big)
    return [
        *rows,
        Row(
            f"Flags for a whole workspace of {cases} cases x {size} entries",
            duration(everything),
            "",
            f"{duration(a_case)} a case, {flags:,} flags",
            "flags_whole_workspace_s",
            everything,
        ),
        Row(
            f"One edit, then the flags of that {size}-entry case again",
            duration(edit),
            "",
            f"the flags again alone {duration(recheck)}",
            "edit_then_flags_again_s",
            edit,
        ),
        Row("", "", key="flags_again_alone_s", amount=recheck),
        Row(
            f"Flags of a {big:,}-entry case read from the workspace",
            duration(from_file),
            "",
            f"the engine alone {duration(engine_alone)}" if engine_alone else "",
            "flags_from_workspace_s",
            from_file,
        ),
    ]


def report_rows(run: Run) -> list[Row]:
    n = int(number(run, r"report of (\d+) entries"))

    def measured(label: str) -> tuple[float, int]:
        found = re.search(re.escape(label) + r"\s+([\d.]+)\s+(\d+)", run.text)
        if found is None:
            raise SystemExit(f"bench_report.py printed no {label!r} row: has it changed?")
        return float(found.group(1)), int(found.group(2))

    (ours, pages), (conference, _), (naive, naive_pages) = (
        measured(label)
        for label in ("ours, internal", "ours, conference", "naive LongTable, internal")
    )
    ratio = ours / naive

    def hundredths(seconds: float) -> str:  # as bench_report prints them
        return f"{seconds:.2f} s"

    return [
        Row(
            f"Report of a {n:,}-entry case (internal, {pages} pages)",
            hundredths(ours),
            f"{aim(ours, 2.0)}; at most 0.6 of naive: {'met' if ratio <= 0.6 else 'NOT met'}",
            f"naive LongTable of Paragraph cells {hundredths(naive)} ({naive_pages} pages): "
            f"ours / naive = {ratio:.2f}",
            "report_internal_s",
            ours,
        ),
        Row("", "", key="report_naive_longtable_s", amount=naive),
        Row(
            "Report of the same case for a conference",
            hundredths(conference),
            aim(conference, 2.0),
            key="report_conference_s",
            amount=conference,
        ),
        *hostile_rows(run),
    ]


def hostile_rows(run: Run) -> list[Row]:
    """The family-facing check and masking under hostile input (bench_report.py)."""
    found = re.search(
        r"hostile: (\d+) entries, (\d+) restricted people: internal ([\d.]+) s, conference "
        r"([\d.]+) s",
        run.text,
    )
    long = re.search(
        r"100,000-character name: conference check ([\d.]+) s \((\w+ ?\w*)\), internal report "
        r"printing it ([\d.]+) s",
        run.text,
    )
    if found is None or long is None:
        raise SystemExit("bench_report.py printed no hostile rows: has it changed?")
    entries, people = int(found.group(1)), int(found.group(2))
    internal, conference = float(found.group(3)), float(found.group(4))
    ratio = conference / internal
    check, outcome, printed = float(long.group(1)), long.group(2), float(long.group(3))
    chain = re.search(r"chain of 'a-' before a restricted name: check ([\d.]+) s", run.text)
    return [
        Row(
            f"Conference report of a {entries:,}-entry case with {people} restricted people",
            f"{conference:.2f} s",
            f"under 3x internal: {'met' if ratio < 3 else 'NOT met'}",
            f"internal report of the same case {internal:.2f} s: conference / internal = "
            f"{ratio:.2f}",
            key="report_hostile_conference_s",
            amount=conference,
        ),
        Row("", "", key="report_hostile_internal_s", amount=internal),
        Row(
            "A 100,000-character restricted name: the sharing check / the internal report",
            f"{check:.2f} s / {printed:.2f} s",
            f"near-linear; check {outcome}",
            key="report_long_name_check_s",
            amount=check,
        ),
        Row("", "", key="report_long_name_internal_s", amount=printed),
        Row(
            "The sharing check after 100,000 characters of 'a-a-a-…'",
            f"{float(chain.group(1)):.2f} s" if chain else "not measured",
            "near-linear",
            key="report_punctuation_chain_check_s" if chain else "",
            amount=float(chain.group(1)) if chain else None,
        ),
    ]


def gui_rows(run: Run) -> list[Row]:
    def seconds(label: str) -> float:
        return number(run, re.escape(label) + r": ([\d.]+) s")

    bare_qt = seconds("bare Qt window (new process, to the window shown)")
    welcome = seconds("start to the welcome screen (new process)")
    key = seconds("key derivation (one keyed connection)")
    ready = seconds("passphrase to the main window on a small case")
    start = welcome + ready
    cold = number(run, r"with nothing typed meanwhile \(warm-up not hidden\): ([\d.]+) s")
    first = number(run, r"open a \d+-entry case the first time .*?: (\d+) ms") / 1000
    again = number(run, r"open a \d+-entry case again .*?: (\d+) ms") / 1000
    flags = number(run, r"flags shown after (\d+) ms") / 1000
    big = int(number(run, r"open a (\d+)-entry case"))
    keystroke = number(run, r"one filter keystroke on \d+ entries: ([\d.]+) ms") / 1000
    matches = int(number(run, r"\((\d+) rows match"))
    edit = number(run, r"an entry edit on \d+ entries, shown in the table: ([\d.]+) ms") / 1000
    limit = bare_qt + key + 0.2
    return [
        Row(
            "Start to a usable window: the welcome screen, then passphrase to the case",
            f"{duration(welcome)} + {duration(ready)} = {duration(start)}",
            f"bare Qt window + key derivation + 0.2 s = {duration(limit)}: "
            + ("met" if start < limit else "NOT met"),
            f"bare Qt window {duration(bare_qt)} and key derivation {duration(key)}, timed the "
            f"same way; the warm-up runs while the passphrase is typed (nothing typed: "
            f"{duration(cold)}, " + ("met" if cold < limit else "NOT met") + ")",
            "gui_start_to_usable_window_s",
            start,
        ),
        Row("", "", key="gui_start_welcome_s", amount=welcome),
        Row("", "", key="gui_start_passphrase_to_case_s", amount=ready),
        Row("", "", key="gui_start_nothing_typed_s", amount=cold),
        Row("", "", key="gui_key_derivation_s", amount=key),
        Row("", "", key="gui_bare_qt_window_s", amount=bare_qt),
        Row(
            f"Open a {big:,}-entry case in the GUI, the first time (read, table, timeline, people)",
            duration(first),
            aim(first, 0.3),
            f"again in the session {duration(again)}; flags shown after {duration(flags)} "
            "(found in the background)",
            "gui_open_large_case_s",
            first,
        ),
        Row("", "", key="gui_open_large_case_again_s", amount=again),
        Row("", "", key="gui_flags_shown_s", amount=flags),
        Row(
            "One filter keystroke on that case",
            duration(keystroke),
            aim(keystroke, 0.1),
            f"{matches:,} rows match",
            "gui_filter_keystroke_s",
            keystroke,
        ),
        Row(
            "An entry edit on that case, shown in the table",
            duration(edit),
            aim(edit, 0.05),
            "the flags follow in the background",
            "gui_entry_edit_shown_s",
            edit,
        ),
    ]


def import_rows(run: Run) -> list[Row]:
    rows = int(number(run, r"import of (\d+) rows"))
    existing = int(number(run, r"into a case of (\d+) entries"))
    full, read, insert = (
        number(run, re.escape(label) + r"\s+([\d.]+) ms") / 1000
        for label in ("duplicate check included", "same cells", "same rows")
    )
    heap = number(run, r"tracemalloc\)\s+([\d.]+) MB")
    cpu = number(run, r"CPU time of this process\s+([\d.]+) ms") / 1000
    return [
        Row(
            f"Import a {rows:,}-row .xlsx contribution into a case of {existing:,} entries",
            duration(full),
            aim(full, 2.0),
            f"bare calamine read {duration(read)} + bare sqlcipher3 insert {duration(insert)}: "
            f"import is x{full / (read + insert):.1f} the two; CPU time {duration(cpu)}; "
            f"peak Python heap {heap:.0f} MB",
            key="table_import_5000_rows_s",
            amount=full,
        ),
        Row("", "", key="table_import_bare_read_s", amount=read),
        Row("", "", key="table_import_bare_insert_s", amount=insert),
        Row("", "", key="table_import_cpu_s", amount=cpu),
        Row("", "", key="table_import_peak_heap_bytes", amount=heap * 1e6),
    ]


def matching_rows(run: Run) -> list[Row]:
    persons = int(number(run, r"persons: (\d+)"))
    found = number(run, r"match suggestions \(stored keys\): ([\d.]+) s")
    naive = number(run, r"every pair compared \(naive\): ([\d.]+) s")
    return [
        Row(
            f"Cross-case suggestions over {persons:,} persons",
            duration(found),
            aim(found, 1.0),
            f"every pair compared with the same checker {duration(naive)}",
            key="match_suggestions_s",
            amount=found,
        ),
        Row("", "", key="match_every_pair_s", amount=naive),
    ]


def memory_rows(runs: dict[str, Run]) -> list[Row]:
    def mb(value: float) -> str:
        return f"{value:.0f} MB"

    what = {
        "bench_start.py": "the start-up benchmark (its own process)",
        "bench_casefile.py": "the import and export benchmark",
        "bench_rules.py": "the rules benchmark (largest case, whole workspace)",
        "bench_report.py": "the report benchmark (ours and naive)",
        "bench_gui.py": "the GUI benchmark (large case open, offscreen)",
        "bench_import.py": "the agency import benchmark",
        "bench_matching.py": "the cross-case suggestions benchmark",
    }
    rows = [
        Row(
            f"Peak memory (RSS): {what[script]}",
            mb(run.peak_mb),
            "",
            f"the benchmark took {run.seconds:.0f} s",
            f"peak_rss_{Path(script).stem.removeprefix('bench_')}_bytes",
            round(run.peak_mb * 2**20),
        )
        for script, run in runs.items()
    ]
    if "bench_gui.py" in runs:
        rows.append(
            Row(
                "Peak memory (RSS): the app started on a small case (GUI benchmark)",
                mb(runs["bench_gui.py"].children_peak_mb),
                "",
                "the start-up process above",
                "peak_rss_app_started_bytes",
                round(runs["bench_gui.py"].children_peak_mb * 2**20),
            )
        )
    return rows


HEAP_KEYS = ("peak_heap_import_bytes", "peak_heap_rules_bytes", "peak_heap_report_bytes")


def heap_peaks(quick: bool) -> list[Row]:
    """Peak Python heap (tracemalloc) of three large steps, each measured on its own."""
    import tempfile

    from benchmarks.generate import generate_case
    from chronology_app.core.analysis import analyse_case
    from chronology_app.core.records import case_data
    from chronology_app.core.reports.make import make_report
    from chronology_app.core.rules.engine import analyse
    from chronology_app.core.service import Service
    from chronology_app.core.settings import Settings
    from chronology_app.core.store.workspace import Workspace

    def traced(action: Callable[[], object]) -> int:
        """The peak of the Python heap while `action` runs, in bytes."""
        tracemalloc.start()
        try:
            action()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    def mb(peak: int) -> str:
        return f"{peak / 1e6:.0f} MB" if peak >= 10e6 else f"{peak / 1e6:.1f} MB"

    print("measuring Python heap peaks", file=sys.stderr, flush=True)
    n_import, n_rules, n_report = (300, 1000, 150) if quick else (5000, 20000, 2000)
    document = generate_case(n_import, seed=1, reference="BENCH-1")
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace.create(Path(folder) / "w.chronology", "bench")
        try:
            imported = traced(lambda: Service(workspace, "bench").import_case(document))
        finally:
            workspace.close()
    records = case_data(generate_case(n_rules, seed=7))
    engine = traced(lambda: analyse(records))
    report_analysis = analyse_case(
        case_data(generate_case(n_report, seed=11)), Settings(), as_of=None
    )
    day = datetime.date(2025, 1, 1)
    report = traced(
        lambda: make_report(
            report_analysis, "internal", "pdf", prepared_by="Bench", report_date=day
        )
    )
    figures = (
        f"importing the {n_import:,}-entry case",
        f"rules on {n_rules:,} entries",
        f"the {n_report:,}-entry report",
    )
    return [
        Row(f"Peak Python heap (tracemalloc): {what}", mb(peak), key=key, amount=peak)
        for what, peak, key in zip(figures, (imported, engine, report), HEAP_KEYS, strict=True)
    ]


def machine_info() -> dict[str, object]:
    """The machine, the libraries and the commit, for the table's header and latest.json."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = names[0] if names else cpu
    memory = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))  # type: ignore[union-attr]
        memory = kb * 1024

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_bytes": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "libraries": {name: metadata.version(name) for name in LIBRARIES},
        "commit": git("rev-parse", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
        "run_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }


def machine(info: dict[str, object]) -> list[str]:
    memory = int(info["memory_bytes"])  # type: ignore[call-overload]
    memory_text = f", {memory / 1024**3:.0f} GiB of memory" if memory else ""
    libraries = info["libraries"]
    assert isinstance(libraries, dict)
    versions = ", ".join(f"{name} {version}" for name, version in libraries.items())
    load = ", ".join(f"{x:.2f}" for x in info["load_average_before"])  # type: ignore[attr-defined]
    commit = str(info["commit"])[:7] or "unknown"
    return [
        f"- Machine: {info['cpu']}, {info['cores']} cores{memory_text}; {info['platform']}",
        f"- Python {info['python']}; {versions}",
        f"- Run on {str(info['run_at'])[:16].replace('T', ' ')} at commit {commit}"
        f"{' (with uncommitted changes)' if info['uncommitted_changes'] else ''}; "
        f"load average before the run: {load}",
    ]


def write_json(rows: list[Row], info: dict[str, object], quick: bool) -> Path:
    """benchmarks/out/latest.json: every figure under its key, with the machine and commit."""
    figures: dict[str, float] = {}
    for row in rows:
        if row.key:
            if row.key in figures:
                raise SystemExit(f"two figures are named {row.key}")
            assert row.amount is not None, row.key
            figures[row.key] = round(row.amount, 6)
    target = OUT / "latest.json"
    OUT.mkdir(exist_ok=True)
    document = {"format": "chronology-bench", "version": 1, "quick": quick, **info}
    document["figures"] = figures
    target.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return target


def table(rows: list[Row]) -> str:
    header = Row("figure", "value", "aim", "comparison (same run)")
    shown = [row for row in rows if row.figure]  # the others are in latest.json only
    cells = [[r.figure, r.value, r.aim, r.comparison] for r in (header, *shown)]
    widths = [max(len(row[i]) for row in cells) for i in range(4)]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, once: a check, not a measurement"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    info = machine_info()
    runs = {
        script: run_script(script, script_args)
        for script, script_args in (QUICK if args.quick else FULL).items()
    }
    rows = [
        *start_rows(runs["bench_start.py"]),
        *casefile_rows(runs["bench_casefile.py"]),
        *rules_rows(runs["bench_rules.py"]),
        *report_rows(runs["bench_report.py"]),
        *gui_rows(runs["bench_gui.py"]),
        *import_rows(runs["bench_import.py"]),
        *matching_rows(runs["bench_matching.py"]),
        *memory_rows(runs),
        *heap_peaks(args.quick),
    ]
    written = write_json(rows, info, args.quick)
    print("\n".join(machine(info)))
    print()
    print(table(rows))
    print(f"\nThe figures are also in {written.relative_to(ROOT)}.")
    print(
        f"\n{time.perf_counter() - started:.0f} s in all"
        + (" (--quick: small sizes, not a measurement)" if args.quick else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
