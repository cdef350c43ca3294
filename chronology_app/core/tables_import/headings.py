"""Finding the heading row of a table and mapping its columns to the fields of an entry.

The headings of the templates practitioners use are recognised as they are written (case,
punctuation and spacing aside): the court's PD12A chronology, Tayside-style multi-agency
chronologies, Mosaic-style exports, Chronolator and our own agency template. A user can map
any column by hand (`date=When,summary=What happened`), and keep a mapping in a small JSON file
to use again; a hand mapping takes precedence and the rest is still recognised.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from chronology_app.core.errors import ChronologyError
from chronology_app.core.tables_import.source import Cell

# Our field -> what it means to the user, in the order a mapping is shown.
FIELDS: dict[str, str] = {
    "date": "date of the event (or its start)",
    "time": "time of the event",
    "end_date": "end date (makes the date a span)",
    "end_time": "end time",
    "summary": "what happened",
    "detail": "further detail",
    "kind": "category or type of event",
    "people": "people involved",
    "source": "agency the information came from",
    "reference": "the agency's reference (document, serial number)",
    "impact": "impact on the child, analysis",
    "action": "action taken, outcome",
}

_HEADINGS: dict[str, tuple[str, ...]] = {
    "date": (
        "date", "date of event", "date or period of event", "date/period of event",
        "period of event", "event date", "start date", "date from", "from", "when",
        "date and time", "date/time", "date time", "date of incident", "incident date",
        "date of contact", "date of occurrence",
    ),
    "time": ("time", "start time", "time of event", "time of incident"),
    "end_date": ("end date", "date to", "to", "until", "finish date", "to date"),
    "end_time": ("end time", "finish time"),
    "summary": (
        "event", "significant event", "significant events", "event/event detail",
        "event/incident", "significant event/incident", "description", "description of event",
        "event description", "what happened", "summary", "details of event", "incident",
        "details", "detail of event", "information", "event summary", "brief description",
    ),
    "detail": (
        "event detail", "event details", "detail", "further detail", "further details",
        "additional information", "more detail", "notes", "comments", "full details",
    ),
    "kind": (
        "category", "type", "event type", "type of event", "kind", "event category",
        "category of event", "kind of event",
    ),
    "people": (
        "people", "persons", "people involved", "person involved", "persons involved", "names",
        "who", "individuals involved", "family members involved",
    ),
    "source": (
        "source", "source of information", "agency", "source agency", "information source",
        "provided by", "agency/source", "organisation", "source/agency", "recorded by agency",
    ),
    "reference": (
        "witness or document reference", "witness/document reference", "document reference",
        "reference", "ref", "ref no", "serial number", "serial no", "serial", "no", "number",
        "event ref", "event reference", "event ref/sequence", "sequence", "agency reference",
        "agency ref", "agency reference number", "record number", "crime reference",
        "record reference", "case note reference", "id",
    ),
    "impact": (
        "impact", "impact on child", "impact on the child", "impact on children",
        "impact on the children", "analysis", "impact/analysis", "analysis/impact",
        "significance to the child", "significance for the child", "professional analysis",
        "comment/analysis",
    ),
    "action": (
        "action taken", "action", "actions", "outcome", "action/outcome",
        "outcome/action taken", "action taken/outcome", "response", "what was done",
        "actions taken",
    ),
}  # fmt: skip
_BY_HEADING = {heading: name for name, headings in _HEADINGS.items() for heading in headings}
_RANK = {heading: rank for headings in _HEADINGS.values() for rank, heading in enumerate(headings)}
HEADER_SEARCH_ROWS = 30


class MappingError(ChronologyError):
    """A hand mapping names a field we do not have or a heading the table does not have."""


def normalise(heading: object) -> str:
    text = str(heading or "").lower().replace("&", " and ").replace("(s)", "")
    text = re.sub(r"[^\w/]+", " ", text)
    text = re.sub(r"\s*/\s*", "/", text)
    return " ".join(text.split()).strip("/ ")


def field_for(heading: object) -> str | None:
    return _BY_HEADING.get(normalise(heading))


@dataclass(frozen=True)
class ColumnMap:
    """Which column holds which field, in a table whose headings are in row `header_index`."""

    header_index: int  # index into the table's rows
    headings: tuple[str, ...]  # the file's headings, as written, one per column
    columns: Mapping[str, int]  # field -> column index

    def heading(self, field: str) -> str:
        return self.headings[self.columns[field]]

    def unmapped(self) -> list[int]:
        used = set(self.columns.values())
        return [i for i, text in enumerate(self.headings) if text and i not in used]


def _auto(headings: Sequence[str], taken: Mapping[str, int]) -> dict[str, int]:
    """Fields for the headings not mapped by hand. Where two headings give one field, the
    more specific wins (a witness or document reference over a serial number), and the other
    column's text is kept in the entry's detail."""
    columns = dict(taken)
    used = set(taken.values())
    best: dict[str, tuple[int, int]] = {}
    for index, heading in enumerate(headings):
        name = field_for(heading)
        if name is None or name in columns or index in used:
            continue
        rank = _RANK[normalise(heading)]
        if name not in best or rank < best[name][0]:
            best[name] = (rank, index)
    columns.update({name: index for name, (_rank, index) in best.items()})
    if "summary" not in columns and "detail" in columns:
        columns["summary"] = columns.pop("detail")  # "Event detail" alone is what happened
    return columns


def looks_like_chronology(columns: Mapping[str, int]) -> bool:
    return "date" in columns and "summary" in columns


def find_columns(
    rows: Sequence[tuple[int, Sequence[Cell]]],
    by_hand: Mapping[str, str] | None = None,
    *,
    exact: bool = False,
) -> ColumnMap | None:
    """The first row near the top whose headings give a date and what happened (with the hand
    mapping's headings all present, when one is given). With `exact`, only the hand mapping is
    used (the wizard's columns, where the user may also have said "not read")."""
    wanted = {name: normalise(heading) for name, heading in (by_hand or {}).items()}
    for index, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headings = tuple("" if cell is None else " ".join(str(cell).split()) for cell in cells)
        normalised = [normalise(h) for h in headings]
        taken = {}
        for name, heading in wanted.items():
            if heading in normalised:
                taken[name] = normalised.index(heading)
        if len(taken) < len(wanted):
            continue
        columns = dict(taken) if exact else _auto(headings, taken)
        if looks_like_chronology(columns):
            return ColumnMap(index, headings, columns)
    return None


def parse_mapping(text: str) -> dict[str, str]:
    """`date=When,summary=What happened,source=Agency` -> {field: heading}."""
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, heading = part.partition("=")
        name = name.strip().lower().replace("-", "_").replace(" ", "_")
        if not sep or not heading.strip():
            raise MappingError(f'"{part.strip()}" is not field=Heading (e.g. date=When).')
        if name not in FIELDS:
            raise MappingError(
                f'"{name}" is not a field that can be mapped; the fields are: '
                + ", ".join(FIELDS)
                + "."
            )
        mapping[name] = heading.strip()
    return mapping


def mapping_text(mapping: Mapping[str, str]) -> str:
    return ",".join(f"{name}={heading}" for name, heading in mapping.items())


_MAPPING_FORMAT = "chronology-column-mapping"


def save_mapping(path: str | Path, mapping: Mapping[str, str]) -> None:
    """Keep a mapping for the next file from the same agency (headings only, no case content)."""
    from chronology_app.core.files import write_atomically

    text = json.dumps({"format": _MAPPING_FORMAT, "version": 1, "columns": dict(mapping)}, indent=2)
    write_atomically(Path(path), (text + "\n").encode("utf-8"))


def load_mapping(path: str | Path) -> dict[str, str]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise MappingError(f"{path}: cannot read the saved mapping ({err}).") from None
    columns = data.get("columns") if isinstance(data, dict) else None
    if data.get("format") != _MAPPING_FORMAT or not isinstance(columns, dict):
        raise MappingError(f"{path} is not a saved column mapping.")
    return parse_mapping(mapping_text({str(k): str(v) for k, v in columns.items()}))
