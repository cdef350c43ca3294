"""Where the slow saves of bench_server.py come from: how many saves were already in flight
when each began (bursts), the clients' own garbage-collection pauses, and what the server's
processes were waiting on (pg_stat_activity, sampled through the run: lock waits, WAL and
commit, or nothing but the CPU)."""

from __future__ import annotations

import bisect
import collections
import gc
import statistics
import threading
import time
from dataclasses import dataclass
from typing import Any

import psycopg


@dataclass(frozen=True)
class Save:
    at: float  # wall clock when the save began
    took: float  # seconds
    gc: float  # seconds of the client's garbage collection during it


class GcClock:
    """The time this process spends in the garbage collector (gc.callbacks)."""

    def __init__(self) -> None:
        self.total = 0.0
        self._began = 0.0
        gc.callbacks.append(self._tick)

    def _tick(self, phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._began

    def stop(self) -> None:
        gc.callbacks.remove(self._tick)


class WaitSampler(threading.Thread):
    """What the practitioners' server processes are doing, sampled every 20 ms."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.counts: collections.Counter[str] = collections.Counter()
        self.samples = 0
        self._done = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as connection:
            while not self._done.wait(0.02):
                rows = connection.execute(
                    "SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') "
                    "FROM pg_stat_activity WHERE usename LIKE 'p__' AND state = 'active'"
                ).fetchall()
                self.samples += 1
                self.counts.update(row[0] for row in rows)

    def stop(self) -> None:
        self._done.set()
        self.join()


def in_flight(saves: list[Save]) -> list[int]:
    """For each save, how many others (of every client) were in flight when it began."""
    starts = sorted(s.at for s in saves)
    ends = sorted(s.at + s.took for s in saves)
    return [bisect.bisect_left(starts, s.at) - bisect.bisect_right(ends, s.at) for s in saves]


def report(saves: list[Save], sampler: WaitSampler) -> None:
    if not saves:
        return
    flight = in_flight(saves)
    ranked = sorted(range(len(saves)), key=lambda i: saves[i].took)
    slow = ranked[int(len(ranked) * 0.95) :]
    rest = ranked[: int(len(ranked) * 0.95)]

    def mean(values: list[float]) -> float:
        return statistics.fmean(values) if values else 0.0

    gc_total = sum(s.gc for s in saves)
    print(
        f"  the slowest 5%: {mean([flight[i] for i in slow]):.1f} other saves in flight when "
        f"they began (the rest {mean([flight[i] for i in rest]):.1f}); garbage collection "
        f"during them {mean([saves[i].gc for i in slow]) * 1000:.2f} ms a save (the rest "
        f"{mean([saves[i].gc for i in rest]) * 1000:.2f} ms; {gc_total:.2f} s in all)"
    )
    by_flight: dict[int, list[float]] = collections.defaultdict(list)
    for index, save in enumerate(saves):
        by_flight[min(flight[index] // 5 * 5, 15)].append(save.took * 1000)
    print(
        "  p95 by saves already in flight: "
        + ", ".join(
            f"{low}{'+' if low == 15 else f'-{low + 4}'}: "
            f"{sorted(v)[max(0, int(len(v) * 0.95) - 1)]:.0f} ms ({len(v)} saves)"
            for low, v in sorted(by_flight.items())
        )
    )
    busy = sum(sampler.counts.values())
    shown = ", ".join(f"{name} {count / busy:.0%}" for name, count in sampler.counts.most_common(5))
    print(
        f"  the practitioners' server processes, while running a statement "
        f"({sampler.samples} samples, {busy / max(1, sampler.samples):.1f} busy on average): "
        f"{shown or 'never caught busy'}"
    )
