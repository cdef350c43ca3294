"""Values kept in the user's own settings (QSettings), read with care.

The settings file belongs to the user and can hold anything (edited by hand, left by another
version, damaged). Every value is checked on reading; one that is not usable falls back to the
default, with a note the window shows, so a bad value never stops the app or quietly weakens
it (an idle lock of weeks). The authority's settings are another matter: a bad authority
settings file is refused, as `core/settings.py` does.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

IDLE_KEY = "security/idle_minutes"
IDLE_DEFAULT = 5
IDLE_MIN, IDLE_MAX = 1, 120  # the auto-lock is never off and never more than two hours


def idle_minutes_from(value: object) -> tuple[int, str | None]:
    """The idle-lock minutes a stored value means, and a note when it was not usable."""
    if value is None:
        return IDLE_DEFAULT, None
    text = str(value).strip()
    if not text.isdigit() or not text.isascii():
        return IDLE_DEFAULT, (
            f"The stored idle-lock time ({text[:20]!r}) is not a whole number of minutes; "
            f"the window locks after {IDLE_DEFAULT} idle minutes."
        )
    minutes = int(text)
    if not IDLE_MIN <= minutes <= IDLE_MAX:
        return IDLE_DEFAULT, (
            f"The stored idle-lock time ({text[:20]} minutes) is outside {IDLE_MIN} to "
            f"{IDLE_MAX} minutes; the window locks after {IDLE_DEFAULT} idle minutes."
        )
    return minutes, None


def idle_minutes() -> tuple[int, str | None]:
    return idle_minutes_from(QSettings().value(IDLE_KEY))
