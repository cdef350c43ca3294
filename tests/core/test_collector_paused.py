"""Reading a case holds Python's cycle collector off, and always puts it back, even when
several threads read at once and finish in any order."""

from __future__ import annotations

import gc
import sys
import threading

import pytest

from chronology_app.core.records import collector_paused


def test_collection_is_off_while_reading_and_on_afterwards() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer reader is still reading
    assert gc.isenabled()


def test_an_error_while_reading_still_puts_collection_back() -> None:
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_collection_stays_off_if_it_was_off_before() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


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
