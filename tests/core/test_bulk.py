"""The cycle collector is paused for bulk work and comes back as it was, nested or not, and
after an error."""

from __future__ import annotations

import gc
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
