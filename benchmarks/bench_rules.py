"""Speed of the pattern rules.

    .venv/bin/python benchmarks/bench_rules.py [--repeat 5] [--cases 200]

- the engine on one case of 1,000 / 5,000 / 20,000 entries (records already built), with the
  growth factor per size step next to n log n's in theory and as measured here: sorting the
  same entries, shuffled, into the rules' order (on this machine even a single pass over
  entries in random memory order grows faster than n, so the theoretical factor alone
  understates what n log n work costs);
- a workspace of --cases cases of 250 entries: every case checked from the encrypted file;
- one case re-checked after one edit (what the GUI does after a change);
- with --per-rule, each rule's own time on 5,000 and 20,000 entries (shared indexes apart).
The engine figures are the fastest of --repeat rounds over all sizes (so that a disturbance on
a shared machine falls on every size alike); the others are medians of --repeat runs, all
measured in this one run on this machine.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate_case
from chronology_app.core.records import CaseData, case_data
from chronology_app.core.rules.base import Rule
from chronology_app.core.rules.engine import analyse, build_rules
from chronology_app.core.rules.facts import Facts, chrono
from chronology_app.core.service import Service
from chronology_app.core.store.workspace import Workspace


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


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
    parser.add_argument("--per-rule", action="store_true", help="time each rule on its own")
    args = parser.parse_args()

    print("engine on one case (records built beforehand)")
    sizes = (1000, 5000, 20000)
    cases = {size: case_data(generate_case(size, seed=7)) for size in sizes}
    # The measured n log n: sorting the same entries, shuffled, into the rules' order.
    shuffled = {size: list(data.entries) for size, data in cases.items()}
    for size, entries in shuffled.items():
        random.Random(size).shuffle(entries)
    # Rounds over every size, so that a disturbance on this shared machine falls on all sizes
    # alike; each figure is the fastest of its rounds (the least disturbed).
    engine: dict[int, list[float]] = {size: [] for size in sizes}
    sorting: dict[int, list[float]] = {size: [] for size in sizes}
    for _ in range(args.repeat):
        for size in sizes:
            engine[size].append(timed(partial(analyse, cases[size])))
            for _ in range(3):
                sorting[size].append(timed(partial(sorted, shuffled[size], key=chrono)))
    previous: tuple[int, float, float] | None = None
    for size in sizes:
        seconds, yardstick = min(engine[size]), min(sorting[size])
        flags = analyse(cases[size])
        output = sum(len(flag.entries) + len(flag.persons) for flag in flags)
        growth = ""
        if previous:
            n0, t0, y0 = previous
            nlogn = (size * math.log(size)) / (n0 * math.log(n0))
            growth = (
                f"  x{seconds / t0:.1f} for x{size / n0:.0f} entries (n log n: x{nlogn:.1f}; "
                f"sorting them here: x{yardstick / y0:.1f})"
            )
        print(
            f"  {size:>6} entries: {seconds * 1000:8.1f} ms, {len(flags)} flags "
            f"({output} evidence and persons; sorting the shuffled entries "
            f"{yardstick * 1000:.2f} ms){growth}"
        )
        previous = (size, seconds, yardstick)
    if args.per_rule:
        per_rule(cases[5000], cases[20000], args.repeat)
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


# The shared indexes rules build on, worked out before the rules are timed one by one.
SHARED_FACTS = (
    "entries", "by_kind", "da_events", "da_naming", "history", "victim_events", "couples",
    "naming", "by_relationship", "children", "child_ids", "parents", "returning_partners",
)  # fmt: skip


def _build_shared(facts: Facts) -> None:
    for name in SHARED_FACTS:
        getattr(facts, name)


def _run_rule(rule: Rule, facts: Facts) -> None:
    list(rule.find(facts))


def per_rule(small: CaseData, large: CaseData, repeat: int) -> None:
    """Each rule's own time on two sizes, to see which one grows fastest."""
    times: dict[str, dict[int, list[float]]] = {}
    for _ in range(repeat):
        for data in (small, large):
            facts = Facts(data)
            shared = timed(partial(_build_shared, facts))
            times.setdefault("(shared indexes)", {}).setdefault(len(data.entries), []).append(
                shared
            )
            for rule in build_rules():
                took = timed(partial(_run_rule, rule, facts))
                times.setdefault(rule.id, {}).setdefault(len(data.entries), []).append(took)
    n0, n1 = len(small.entries), len(large.entries)
    print(f"each rule on its own, {n0} and {n1} entries (fastest of {repeat})")
    for name, by_size in times.items():
        t0, t1 = min(by_size[n0]), min(by_size[n1])
        print(f"  {name:<26} {t0 * 1000:7.2f} ms {t1 * 1000:7.2f} ms  x{t1 / max(t0, 1e-9):.1f}")


if __name__ == "__main__":
    main()
