"""The cycle collector is paused for bulk work and comes back as it was, nested or not, and
after an error."""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator

import pytest

from chronology_app.core.bulk import collector_paused


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
    import subprocess

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
    import os
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])  # this checkout's package, not another
    done = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": root},
    )
    assert done.returncode == 0, done.stderr
