"""The people in a case: names, aliases, roles, date of birth and age."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from chronology_app.core.records import PersonRecord
from chronology_app.gui.models.base import RecordTableModel
from chronology_app.gui.models.chronology_model import age_at


def _age(person: PersonRecord, today: dt.date) -> str:
    born = person.date_of_birth
    if born is None:
        return "not known"
    if born.is_exact:
        return age_at(born.earliest, today)
    if born.latest == dt.date.max or born.earliest == dt.date.min:
        return "not known"
    # An uncertain date of birth: the middle of its span, in whole years (months would
    # claim more than is known).
    middle = born.earliest + (born.latest - born.earliest) / 2
    years = today.year - middle.year - ((today.month, today.day) < (middle.month, middle.day))
    return f"about {years}" if years >= 2 else f"about {age_at(middle, today)}"


class PeopleModel(RecordTableModel[PersonRecord]):
    def __init__(self, today: dt.date | None = None, parent: Any = None) -> None:
        when = today or dt.date.today()
        super().__init__(
            (
                ("Name", lambda p: p.name + (" (restricted)" if p.restricted else "")),
                ("Also known as", lambda p: ", ".join(p.aliases)),
                ("Roles", lambda p: ", ".join(p.roles)),
                (
                    "Date of birth",
                    lambda p: p.date_of_birth.describe() if p.date_of_birth else "not recorded",
                ),
                ("Age", lambda p: _age(p, when)),
                ("Immigration status", lambda p: (p.immigration_status or "").replace("_", " ")),
            ),
            parent,
        )

    def extra_data(self, record: PersonRecord, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and record.restricted:
            return QBrush(QColor("#fbe9e7"))
        return None
