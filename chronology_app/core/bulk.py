"""Bulk work (an agency's chronology of thousands of rows read, checked and written; a whole
case read and its records built) with Python's cycle collector paused.

Such work allocates hundreds of thousands of small objects, nearly all freed by reference
counting as it goes; but the allocations set off full collections of the cycle collector,
each walking every object the process holds (the open case, the window's records) and
together a sixth of a 5,000-row import's time and a third of reading a 5,000-entry case.
Paused, the few cycles made are collected afterwards. Nested and concurrent uses are
counted: the collector runs again when the last ends, and only if it was running when the
first began.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator


class _Pauses:
    lock = threading.Lock()
    depth = 0
    was_enabled = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    with _Pauses.lock:
        if _Pauses.depth == 0:
            _Pauses.was_enabled = gc.isenabled()
            gc.disable()
        _Pauses.depth += 1
    try:
        yield
    finally:
        with _Pauses.lock:
            _Pauses.depth -= 1
            if _Pauses.depth == 0 and _Pauses.was_enabled:
                gc.enable()


def set_aside_what_startup_made() -> None:
    """Take every object alive now out of the cycle collector's reach (`gc.freeze`): the
    modules, classes and caches start-up made, which live as long as the process. The full
    collections that ordinary work sets off (a save allocates enough to start one now and
    then) then walk only what was made since, not the 80,000 start-up objects beside it: each
    was tens of milliseconds on a busy laptop, added to whichever save happened to start it."""
    gc.collect()
    gc.freeze()
