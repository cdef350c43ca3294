"""What a person is filed under for cross-case suggestions, worked out whenever a person is
written (an import, an edit, a restore from a snapshot, a check-in) and by migration 0006 for
the persons already stored: the rows of `person_name_key` (each name key, with what the
candidate join blocks on beside it) and the person's date of birth as written.

The join on a team server (core/store/server_matching.py) reads only these columns: two
persons are candidates when they share a key and their dates of birth, compared at the
coarser of the two (a year against a full date), could be the same day. A date of birth that
is not a plain year, month or day (free-form, a range) is filed with no year and is compared
with every one; the matcher then reads it as the case file defines it (crosscase.py), so the
blocking loses no suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from chronology_app.core.name_matching import name_keys

# A plain year, month or day of birth ("1980", "1980-04", "1980-04-04"): ASCII digits only.
_PLAIN_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def date_of_birth(doc: Mapping[str, Any]) -> str | None:
    """The person document's date of birth as written; None when it has none."""
    born = doc.get("date_of_birth")
    return born if isinstance(born, str) else None


def birth_parts(born: str | None) -> tuple[int | None, int | None, int | None]:
    """The year, month and day a date of birth gives when it is a plain year, month or day;
    (None, None, None) for a missing or free-form one."""
    found = _PLAIN_DATE.fullmatch(born) if born is not None else None
    if found is None:
        return None, None, None
    year, month, day = found.groups()
    return int(year), int(month) if month else None, int(day) if day else None


def key_rows(person_id: int, case_id: int, doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The person's `person_name_key` rows, in the order of their keys."""
    year, month, day = birth_parts(date_of_birth(doc))
    professional = "professional" in (doc.get("roles") or ())
    return [
        {
            "person_id": person_id,
            "key": key,
            "case_id": case_id,
            "birth_year": year,
            "birth_month": month,
            "birth_day": day,
            "professional": professional,
        }
        for key in sorted(name_keys([doc["name"], *(doc.get("aliases") or ())]))
    ]
