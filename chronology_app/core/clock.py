"""The one clock: today's date where the practitioners work.

Flags, report dates, ages and "recorded on" all ask `today()`, so a command that runs near
midnight cannot give two answers. Tests fix the day with `fixed(...)`.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/London")
_fixed: datetime.date | None = None


def today() -> datetime.date:
    """The local date in Europe/London (the tzdata package supplies the zone on Windows)."""
    if _fixed is not None:
        return _fixed
    return datetime.datetime.now(ZONE).date()


def now_utc() -> datetime.datetime:
    """The moment, in UTC, for audit records and stored timestamps."""
    return datetime.datetime.now(datetime.UTC)


@contextlib.contextmanager
def fixed(day: datetime.date) -> Iterator[None]:
    """Make `today()` answer `day` inside the block (for tests and reproducible runs)."""
    global _fixed  # noqa: PLW0603 (the one clock is module state by design)
    before, _fixed = _fixed, day
    try:
        yield
    finally:
        _fixed = before
