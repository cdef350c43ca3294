"""The fonts the app ships (resources/fonts: DejaVu Sans, which a report's preview draws with,
as its PDF does). Registered with Qt once: while the passphrase is typed (gui/warm_up.py), or at
the first use of a report's font if that comes first. Not before the welcome screen, which
draws with the system's font: reading two font files cost it 7 to 8 ms."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

from chronology_app import resources


class _Registered:
    done = False


def register_fonts() -> None:
    if _Registered.done:
        return
    _Registered.done = True
    for font in sorted((resources.resource_dir() / "fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(font))
