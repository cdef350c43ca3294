"""Bulk work (an agency's chronology of thousands of rows read, checked and written; a whole
case read and its records built) with Python's cycle collector paused.

Such work allocates hundreds of thousands of small objects, nearly all freed by reference
counting as it goes; but the allocations set off full collections of the cycle collector,
each walking every object the process holds (the open case, the window's records) and
together a sixth of a 5,000-row import's time and a third of reading a 5,000-entry case.
Paused, the few cycles made are collected afterwards. Nested and concurrent uses are
counted: the collector runs again when the last ends, and only if it was running when the
first began.

A process that keeps what it reads (the desktop app, which holds the case on screen) can ask
for a read's records to be set aside when the pause ends (`keep_what_reads_make`): otherwise
the collector walks every one of them three times over the next minutes (a 5,000-entry case:
15 ms at once, 16 ms a little later, then about 90 ms in a full collection), each time added
to whatever the user did next. Records hold no cycles, so they are still freed when the case is
closed; cycles made meanwhile wait for `collect_set_aside`, which the app runs when the user
is idle, or which a read runs itself once what has been set aside since the last full
collection passes `SET_ASIDE_LIMIT` objects (a user who opens case after case without a
quiet minute: about 0.1 to 0.25 s then, instead of memory that only grows).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

# How many objects may be set aside since the last full collection before a read collects
# (a 5,000-entry case's records are about 100,000).
SET_ASIDE_LIMIT = 600_000


class _Pauses:
    lock = threading.Lock()
    depth = 0
    was_enabled = False
    keeping = False  # this process keeps what reads make (keep_what_reads_make)
    keep = False  # a pause under way made something to keep
    collected_at = 0  # objects set aside after the last full collection


@contextlib.contextmanager
def collector_paused(kept: bool = False) -> Iterator[None]:
    """The collector paused for the work inside. `kept`: the work makes what will be kept
    a long time (a case's records), set aside when the pause ends if the process asked for
    that (keep_what_reads_make)."""
    with _Pauses.lock:
        if _Pauses.depth == 0:
            _Pauses.was_enabled = gc.isenabled()
            _Pauses.keep = False
            gc.disable()
        _Pauses.depth += 1
    try:
        yield
        if kept:
            _Pauses.keep = True
    finally:
        too_much = False
        with _Pauses.lock:
            _Pauses.depth -= 1
            if _Pauses.depth == 0:
                if _Pauses.keep and _Pauses.keeping:
                    gc.freeze()
                    too_much = gc.get_freeze_count() > _Pauses.collected_at + SET_ASIDE_LIMIT
                if _Pauses.was_enabled:
                    gc.enable()
        if too_much:  # (outside the lock: a finalizer the collection runs may read)
            collect_set_aside()


def keep_what_reads_make(on: bool = True) -> None:
    """For a process that holds what it reads for a long time (the desktop app): a read's
    records are set aside from the collector when its pause ends (see the module)."""
    _Pauses.keeping = on


def collect_set_aside() -> int:
    """One full collection, what was set aside included, then all of it set aside again: for
    when the user is idle (it walks every object: about 0.1 s with a 5,000-entry case open).
    Returns how many objects it freed; nothing is done in a process that does not keep what
    reads make (the command line, the tests)."""
    with _Pauses.lock:
        if not _Pauses.keeping or _Pauses.depth:  # (a pause under way: its end decides)
            return 0
    gc.unfreeze()
    freed = gc.collect()
    gc.freeze()
    _Pauses.collected_at = gc.get_freeze_count()
    return freed


def set_aside_what_startup_made() -> None:
    """Take every object alive now out of the cycle collector's reach (`gc.freeze`): the
    modules, classes and caches start-up made, which live as long as the process. The full
    collections that ordinary work sets off (a save allocates enough to start one now and
    then) then walk only what was made since, not the 80,000 start-up objects beside it: each
    was tens of milliseconds on a busy laptop, added to whichever save happened to start it."""
    gc.collect()
    gc.freeze()
