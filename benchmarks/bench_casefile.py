"""Import and export of a large case, next to bare SQLite inserts of the same rows.

    .venv/bin/python benchmarks/bench_casefile.py [--entries 5000] [--repeat 5]

Every figure is the median of --repeat runs, all measured in this one run on this machine.
The baselines insert the same entry rows (columns plus the JSON document) with executemany in
one transaction: into plain sqlite3, and into sqlcipher3 with the same key derivation.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlcipher3.dbapi2 as sqlcipher

from benchmarks.generate import generate_case
from chronology_app.core import casefile
from chronology_app.core.service import Service
from chronology_app.core.store.workspace import Workspace

PASSPHRASE = "benchmark passphrase"


def median_seconds(action: Callable[[Path], None], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            action(Path(folder))
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_rows(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (e["id"], e["kind"], e["date"], e["summary"], json.dumps(e, ensure_ascii=False))
        for e in document["entries"]
    ]


def bare_insert(connection: Any, rows: list[tuple[Any, ...]]) -> None:
    connection.execute(
        "CREATE TABLE entry (id INTEGER PRIMARY KEY, key TEXT, kind TEXT, date TEXT, "
        "summary TEXT, doc TEXT)"
    )
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO entry (key, kind, date, summary, doc) VALUES (?, ?, ?, ?, ?)", rows
    )
    connection.execute("COMMIT")
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    document = generate_case(args.entries, seed=1, reference="BENCH-1")
    text = casefile.dumps(document)
    rows = bare_rows(document)
    reference = document["case"]["reference"]

    def parse_and_validate(_folder: Path) -> None:
        casefile.check(casefile.parse_json(text.encode("utf-8")))

    def import_case(folder: Path) -> None:
        with Workspace.create(folder / "w.chronology", PASSPHRASE) as workspace:
            Service(workspace, "bench").import_case(casefile.parse_json(text.encode("utf-8")))

    def open_workspace_only(folder: Path) -> None:
        Workspace.create(folder / "w.chronology", PASSPHRASE).close()

    def sqlite_insert(folder: Path) -> None:
        bare_insert(sqlite3.connect(folder / "bare.db", isolation_level=None), rows)

    def sqlcipher_insert(folder: Path) -> None:
        connection = sqlcipher.connect(str(folder / "bare.db"), isolation_level=None)
        connection.execute(f"PRAGMA key = '{PASSPHRASE}'")
        bare_insert(connection, rows)

    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace.create(Path(folder) / "w.chronology", PASSPHRASE)
        service = Service(workspace, "bench")
        service.import_case(document)
        export_times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            exported = casefile.dumps(service.document(reference))
            export_times.append(time.perf_counter() - start)
        assert json.loads(exported) == document, "export must equal the imported document"
        workspace.close()

    figures = [
        ("parse + validate the case file", median_seconds(parse_and_validate, args.repeat)),
        (
            "create workspace (key derivation + schema)",
            median_seconds(open_workspace_only, args.repeat),
        ),
        (
            "import into a new workspace (all of the above)",
            median_seconds(import_case, args.repeat),
        ),
        ("export from the workspace to JSON text", statistics.median(export_times)),
        ("bare sqlite3 executemany of the entry rows", median_seconds(sqlite_insert, args.repeat)),
        (
            "bare sqlcipher3 executemany of the entry rows",
            median_seconds(sqlcipher_insert, args.repeat),
        ),
    ]
    print(
        f"case of {args.entries} entries, {len(document['persons'])} persons, "
        f"{len(text) / 1e6:.1f} MB of JSON; median of {args.repeat} runs"
    )
    for name, seconds in figures:
        print(f"  {name:<50} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
