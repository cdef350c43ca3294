"""Speed of the pattern rules.

    .venv/bin/python benchmarks/bench_rules.py [--repeat 5] [--cases 200]

- the engine on one case of 1,000 / 5,000 / 20,000 entries (records already built), with the
  growth factor per size step next to n log n's;
- a workspace of --cases cases of 250 entries: every case checked from the encrypted file;
- one case re-checked after one edit (what the GUI does after a change).
All figures are medians of --repeat runs, measured in this one run on this machine.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate_case
from chronology_app.core.records import case_data
from chronology_app.core.rules.engine import analyse
from chronology_app.core.service import Service
from chronology_app.core.store.workspace import Workspace


def median(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cases", type=int, default=200)
    args = parser.parse_args()

    print("engine on one case (records built beforehand)")
    previous: tuple[int, float] | None = None
    for size in (1000, 5000, 20000):
        data = case_data(generate_case(size, seed=7))
        seconds = median(lambda data=data: analyse(data), args.repeat)
        flags = len(analyse(data))
        growth = ""
        if previous:
            n0, t0 = previous
            nlogn = (size * math.log(size)) / (n0 * math.log(n0))
            growth = f"  x{seconds / t0:.1f} for x{size / n0:.0f} entries (n log n: x{nlogn:.1f})"
        print(f"  {size:>6} entries: {seconds * 1000:8.1f} ms, {flags} flags{growth}")
        previous = (size, seconds)
    build = median(lambda: case_data(generate_case(5000, seed=7)), args.repeat)
    print(f"  building records for 5000 entries (generate + records): {build * 1000:.1f} ms")

    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace.create(Path(folder) / "w.chronology", "bench")
        service = Service(workspace, "bench")
        for index in range(args.cases):
            service.import_case(generate_case(250, seed=1000 + index, reference=f"WS-{index:04d}"))
        everything = median(service.workspace_flags, max(1, args.repeat // 2))
        total = sum(len(flags) for flags in service.workspace_flags().values())
        print(
            f"workspace of {args.cases} cases x 250 entries: all flags in {everything:.2f} s "
            f"({total} flags, {everything / args.cases * 1000:.1f} ms a case)"
        )

        reference = "WS-0000"
        document = service.document(reference)
        entry = dict(document["entries"][10], summary="Edited for the benchmark.")

        def edit_and_recheck() -> None:
            service.edit_entry(reference, entry["id"], entry)
            service.flags(reference)

        recheck = median(edit_and_recheck, args.repeat)
        only_flags = median(lambda: service.flags(reference), args.repeat)
        print(
            f"one edit + re-check of one 250-entry case: {recheck * 1000:.1f} ms "
            f"(re-check alone {only_flags * 1000:.1f} ms)"
        )

        big = generate_case(5000, seed=7, reference="BIG")
        service.import_case(big)
        big_flags = median(lambda: service.flags("BIG"), args.repeat)
        print(f"re-check of a 5000-entry case from the workspace: {big_flags * 1000:.1f} ms")
        workspace.close()


if __name__ == "__main__":
    main()
