"""The cycle collector is paused for bulk work and comes back as it was, nested or not, and
after an error."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from chronology_app.core.bulk import collector_paused

ROOT = str(Path(__file__).resolve().parents[2])  # this checkout's package, not another


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    gc.enable() if was else gc.disable()


@pytest.mark.parametrize("enabled", [True, False], ids=["running", "already-off"])
def test_paused_then_as_it_was(enabled: bool) -> None:
    gc.enable() if enabled else gc.disable()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: still paused after the inner one ends
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled() is enabled


def test_an_error_inside_still_restores_it() -> None:
    gc.enable()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("bad row")
    assert gc.isenabled()


def test_many_threads_reading_at_once_never_leave_collection_off() -> None:
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:

        def read() -> None:
            for _ in range(2000):
                with collector_paused(), collector_paused():
                    pass

        threads = [threading.Thread(target=read) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
    assert gc.isenabled()


def test_what_startup_made_is_set_aside_and_what_comes_after_is_still_collected() -> None:
    # In a process of its own: freezing is for the life of a process.
    script = (
        "import gc\n"
        "import chronology_app.core.service\n"
        "from chronology_app.core.bulk import set_aside_what_startup_made\n"
        "set_aside_what_startup_made()\n"
        "assert gc.get_freeze_count() > 10_000, gc.get_freeze_count()\n"
        "cycle = []\n"
        "cycle.append(cycle)\n"
        "del cycle\n"
        "assert gc.collect() >= 1\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ROOT},
    )
    assert done.returncode == 0, done.stderr


# A process that keeps what its reads make (the desktop app): each case below is read in a
# process of its own, since setting objects aside is for the life of a process.
KEEPING = """
import gc
from chronology_app.core import bulk, casefile, records
document = casefile.read(FILE)
KEEP
gc.collect()
before = gc.get_freeze_count()
cycle = []
cycle.append(cycle)  # garbage made before the read, left for the collector
del cycle
case = records.case_data(document)
kept = gc.get_freeze_count() - before
print(kept, len(case.entries), bulk.collect_set_aside())
"""


FAMILY_B = Path(__file__).resolve().parents[1] / "fixtures" / "examples" / "family-b.json"


def _run(script: str) -> list[int]:
    done = subprocess.run(
        [sys.executable, "-c", script.replace("FILE", repr(str(FAMILY_B)))],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ROOT},
    )
    assert done.returncode == 0, done.stderr
    return [int(word) for word in done.stdout.split()]


def test_a_keeping_process_sets_a_reads_records_aside_and_collects_them_when_idle() -> None:
    kept, entries, freed = _run(KEEPING.replace("KEEP", "bulk.keep_what_reads_make()"))
    assert entries > 0
    assert kept >= entries  # every entry record is out of the collector's walks
    assert freed >= 1  # the idle collection still finds the garbage set aside with them


def test_a_process_that_does_not_keep_sets_nothing_aside() -> None:
    kept, entries, freed = _run(KEEPING.replace("KEEP", ""))
    assert entries > 0
    assert (kept, freed) == (0, 0)  # the command line and the tests: the collector as usual


GROWING = """
import gc
from chronology_app.core import bulk, casefile, records
bulk.keep_what_reads_make()
bulk.SET_ASIDE_LIMIT = 20_000
document = casefile.read(FILE)
counts = []
for _ in range(30):  # case after case, no quiet minute
    with bulk.collector_paused(kept=True):
        for _ in range(2_000):  # garbage cycles the read's own work left (as SQLAlchemy's do)
            cycle = []
            cycle.append(cycle)
        case = records.case_data(document)
    counts.append(gc.get_freeze_count())
print(max(counts[10:]) - min(counts[10:]), len(case.entries))
"""


def test_what_is_set_aside_is_collected_by_a_read_once_it_passes_the_limit() -> None:
    """Garbage made between reads is set aside with them; without a quiet minute it would
    only grow. Past SET_ASIDE_LIMIT objects a read collects: what is set aside stays bounded."""
    spread, entries = _run(GROWING)
    assert entries > 0
    assert spread <= 20_000 + 5_000  # the limit, plus about one read's records and garbage
