"""The people in a case: names, aliases, roles, date of birth and age."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from chronology_app.core import clock
from chronology_app.core.model.vocabulary import reading
from chronology_app.core.records import PersonRecord
from chronology_app.core.wording import child_age, date_shown
from chronology_app.gui.colours import tones
from chronology_app.gui.models.base import RecordTableModel


class PeopleModel(RecordTableModel[PersonRecord]):
    def __init__(self, today: dt.date | None = None, parent: Any = None) -> None:
        when = today or clock.today()
        super().__init__(
            (
                ("Name", lambda p: p.name + (" (restricted)" if p.restricted else "")),
                ("Also known as", lambda p: ", ".join(p.aliases)),
                ("Roles", lambda p: ", ".join(reading(role) for role in p.roles)),
                (
                    "Date of birth",
                    lambda p: date_shown(p.date_of_birth) if p.date_of_birth else "not recorded",
                ),
                ("Age", lambda p: child_age(p.date_of_birth, when)),
                ("Immigration status", lambda p: reading(p.immigration_status or "")),
            ),
            parent,
        )

    def extra_data(self, record: PersonRecord, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and record.restricted:
            return QBrush(tones().tints["restricted"])
        return None
