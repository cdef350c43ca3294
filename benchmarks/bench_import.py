"""Importing an agency's 5,000-row .xlsx chronology into a case already holding 5,000 entries.

    .venv/bin/python benchmarks/bench_import.py [--rows 5000] [--existing 5000] [--repeat 3]

The import is everything a user waits for: the caps checked and the sheet scanned, the cells
read (calamine), the headings mapped, every row's date read and its entry built, every row
compared with the case's entries for possible duplicates (rapidfuzz) and for the persons it
names, and the accepted entries written in one audited transaction. Next to it, in the same
run: a bare calamine read of the same cells, and a bare encrypted insert (sqlcipher3
executemany in one transaction, the key already derived, as the open workspace's is) of the
same rows. Median of --repeat runs, each with the date readings the app caches forgotten
(`dates.clear_caches`), so that every run reads every date as the first does; the peak Python
heap of one import is measured afterwards (tracemalloc), and the process's peak RSS printed.
The import's CPU time is printed too: on a machine shared with other work the wall-clock time
says more about the load than about the import.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlcipher3.dbapi2 as sqlcipher

from benchmarks.bench_casefile import bare_insert
from benchmarks.generate import generate_case
from chronology_app.core import dates
from chronology_app.core.model.vocabulary import ENTRY_KINDS
from chronology_app.core.service import Service
from chronology_app.core.store.workspace import Workspace
from chronology_app.core.tables_import import plan

PASSPHRASE = "benchmark passphrase"
HEADINGS = ["Date", "Category", "Significant event", "Source", "Document reference", "Impact"]


def contribution(path: Path, rows: int) -> None:
    """Police's rows: another generated case's entries, dates as practitioners write them."""
    from openpyxl import Workbook

    entries = generate_case(rows, seed=2)["entries"]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Chronology")
    sheet.append(["Police contribution: chronology"])
    sheet.append([])
    sheet.append(HEADINGS)
    for entry in entries:
        date = entry.get("date_text") or entry["date"].replace("T", " ")
        sheet.append(
            [
                date,
                ENTRY_KINDS[entry["kind"]],
                entry["summary"],
                "Police",
                (entry["source"].get("reference") or ""),
                entry.get("impact") or "",
            ]
        )
    book.save(path)


def one_import(workspace: Workspace, path: Path, reference: str) -> tuple[int, int]:
    service = Service(workspace, "bench")
    prepared = plan.prepare(path, service.document(reference), "Police")
    decisions: dict[int, plan.Decision] = {
        pair.row: "separate" for pair in prepared.possible_duplicates
    }
    entries, _ = prepared.accepted(decisions, leave_out_bad_rows=True)
    service.import_entries(reference, entries, plan.action_name("Police", len(entries)))
    return len(entries), len(prepared.possible_duplicates)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--existing", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    case = generate_case(args.existing, seed=1, reference="BENCH-1")
    reference = case["case"]["reference"]
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        path = folder / "police.xlsx"
        contribution(path, args.rows)

        imports, cpu, bare_reads, bare_inserts = [], [], [], []
        found = (0, 0)
        for attempt in range(args.repeat):
            with Workspace.create(folder / f"w{attempt}.chronology", PASSPHRASE) as workspace:
                Service(workspace, "bench").import_case(case)
                dates.clear_caches()  # each run reads every date afresh, as the first does
                start, start_cpu = time.perf_counter(), time.process_time()
                found = one_import(workspace, path, reference)
                imports.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)

            from python_calamine import CalamineWorkbook

            start = time.perf_counter()
            cells = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Chronology")
            grid = cells.to_python(skip_empty_area=False)
            bare_reads.append(time.perf_counter() - start)

            rows = [
                (str(i), "note", str(row[0]), str(row[2]), json.dumps(row, default=str))
                for i, row in enumerate(grid[3:])
            ]
            connection = sqlcipher.connect(str(folder / f"bare{attempt}.db"), isolation_level=None)
            connection.execute(f"PRAGMA key = '{PASSPHRASE}'")
            connection.execute("CREATE TABLE warm (x)")  # the key derivation, not timed
            start = time.perf_counter()
            bare_insert(connection, rows)
            bare_inserts.append(time.perf_counter() - start)

        with Workspace.create(folder / "traced.chronology", PASSPHRASE) as workspace:
            Service(workspace, "bench").import_case(case)
            dates.clear_caches()
            tracemalloc.start()
            one_import(workspace, path, reference)
            heap = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()

    imported, pairs = found
    full, read, insert = (statistics.median(t) for t in (imports, bare_reads, bare_inserts))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (
        1e6 if sys.platform == "darwin" else 1024
    )
    print(
        f"import of {args.rows} rows into a case of {args.existing} entries: "
        f"{imported} entries, {pairs} possible duplicates; median of {args.repeat} runs"
    )
    print(f"  import, duplicate check included                   {full * 1000:8.1f} ms")
    used = statistics.median(cpu)
    print(f"  the same, CPU time of this process                 {used * 1000:8.1f} ms")
    print(f"  bare calamine read of the same cells               {read * 1000:8.1f} ms")
    print(f"  bare sqlcipher3 executemany of the same rows       {insert * 1000:8.1f} ms")
    print(f"  import / (bare read + bare insert)                 {full / (read + insert):8.1f} x")
    print(f"  peak Python heap of one import (tracemalloc)       {heap:8.1f} MB")
    print(f"  peak RSS of this process                           {rss:8.1f} MB")


if __name__ == "__main__":
    main()
