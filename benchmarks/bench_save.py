"""The app's own CPU for one save (edit_entry and add_entry), on a file workspace and on a team
server, one practitioner at a time (no contention): what a practitioner's laptop spends before
and after the server's share. Not part of `make test`.

    .venv/bin/python benchmarks/bench_save.py [--saves 300] [--no-server] [--profile KIND]

The case is a realistic one (`--entries` entries, 12 persons). CPU is `time.process_time()`
of this process only (the server's processes are not counted); wall time is beside it. With
--profile edit-file (or add-file, edit-server, add-server) the cProfile of those saves is
printed, sorted by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chronology_app.core.service import Service  # noqa: E402
from tests.conftest import minimal_case  # noqa: E402

PASSPHRASE = "correct horse battery staple"


def case_document(reference: str, entries: int) -> dict[str, Any]:
    document = minimal_case(reference)
    for number in range(4, 13):
        document["persons"].append({"id": f"p{number}", "name": f"Person {number} Test"})
    template = document["entries"][1]
    for number in range(3, entries + 1):
        document["entries"].append(
            {**template, "id": f"e{number}", "summary": f"Fictional event number {number}."}
        )
    return document


def timed(save: Callable[[int], Any], saves: int, profile: bool) -> tuple[float, float]:
    """(CPU ms a save, median wall ms a save)."""
    for number in range(5):  # warm the caches (compiled statements, imports)
        save(-1 - number)
    profiler = cProfile.Profile() if profile else None
    walls = []
    used = time.process_time()
    if profiler:
        profiler.enable()
    for number in range(saves):
        began = time.perf_counter()
        save(number)
        walls.append(time.perf_counter() - began)
    if profiler:
        profiler.disable()
    cpu = (time.process_time() - used) / saves * 1000
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    return cpu, statistics.median(walls) * 1000


def measure(service: Service, where: str, saves: int, entries: int, profile: str) -> None:
    reference = "SAVE-0001"
    service.import_case(case_document(reference, entries))
    entry = service.document(reference)["entries"][1]

    def edit(number: int) -> None:
        service.edit_entry(reference, "e2", {**entry, "summary": f"save {number}"}, "bench")

    def add(number: int) -> None:
        service.add_entry(reference, {**entry, "id": f"n{number + 10}", "summary": "added"})

    for name, save in (("edit", edit), ("add", add)):
        cpu, wall = timed(save, saves, profile == f"{name}-{where}")
        print(
            f"{where:6} {name}_entry: {cpu:5.1f} ms CPU a save, median {wall:5.1f} ms "
            f"({saves} saves, case of {entries} entries)"
        )
    undone = time.perf_counter()
    service.undo()
    print(f"{where:6} undo of the last add: {(time.perf_counter() - undone) * 1000:.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument("--profile", default="")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="chronology-bench-") as folder:
        service = Service.create(Path(folder) / "bench.chronology", PASSPHRASE, "bench")
        try:
            measure(service, "file", args.saves, args.entries, args.profile)
        finally:
            service.close()
    if not args.no_server:
        from chronology_app.core.store import server_admin
        from chronology_app.core.store.server import ServerWorkspace
        from tests.server.pg_cluster import running

        with running() as cluster:
            admin = cluster.url()
            server_admin.init(admin)
            server_admin.add_user(admin, "p01", "practitioner", ["team0"])
            workspace = ServerWorkspace.open(cluster.url(user="p01"), pool_size=1)
            service = Service(workspace, "")
            try:
                measure(service, "server", args.saves, args.entries, args.profile)
            finally:
                service.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
