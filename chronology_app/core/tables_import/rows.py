"""Turning one row of a table into a case-file entry, or into problems that say where.

Dates go through the practitioner reader (`core.dates.parse_practitioner_date`), so a date in a
spreadsheet is read exactly as one typed in the app: `date_text` keeps the wording, and a date
that cannot be read with certainty is a problem for that row, never a guess. A real date cell
is a day; a time column adds the time; an end-date column makes the date a span. Chronolator
marks an uncertain date with a leading question mark (`?22 May 2016`), read as "about" that day.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chronology_app.core.dates import PartialDate, parse_practitioner_date
from chronology_app.core.errors import InvalidDate
from chronology_app.core.model.vocabulary import ENTRY_KINDS, RELATIONSHIP_ENTRY_KINDS, reading
from chronology_app.core.tables_import.headings import normalise
from chronology_app.core.tables_import.source import Cell
from chronology_app.core.validation import check_text_caps

# Category words agencies use -> our kinds (besides our own kind names and labels).
_KIND_WORDS: dict[str, str] = {
    "domestic abuse incident": "incident", "domestic incident": "incident",
    "da incident": "incident", "dv incident": "incident",
    "domestic violence incident": "incident", "domestic abuse": "incident",
    "marac": "marac_meeting", "strategy meeting": "conference",
    "strategy discussion": "conference", "child protection conference": "conference",
    "icpc": "conference", "rcpc": "conference", "core group": "conference",
    "dash": "risk_assessment", "dash risk assessment": "risk_assessment",
    "clare s law": "dvds", "clares law": "dvds", "arrest": "police_action",
    "information sharing": "information_shared", "house move": "move",
    "change of address": "move", "home visit": "note", "other": "note",
}  # fmt: skip
_KINDS = {
    **{normalise(reading(kind)): kind for kind in ENTRY_KINDS},
    **{normalise(label): kind for kind, label in ENTRY_KINDS.items()},
    **_KIND_WORDS,
}


@dataclass(frozen=True)
class Problem:
    """Something in one cell (or row) that stops the row becoming an entry."""

    file: str
    unit: str  # "sheet", "table" or "csv"
    table: str  # the sheet's name or the table's number ("" for CSV)
    row: int  # as the user sees it: the spreadsheet row, the Word table row, the CSV line
    column: str | None  # the file's heading
    reason: str  # the sentence after the place

    @property
    def place(self) -> str:
        parts = [self.file]
        if self.unit == "csv":
            parts.append(f"line {self.row}")
        else:
            parts.extend([f"{self.unit} {self.table}", f"row {self.row}"])
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    @property
    def message(self) -> str:
        return f"{self.place}: {self.reason}"

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file}
        if self.unit == "sheet":
            out["sheet"] = self.table
        elif self.unit == "table":
            out["table"] = int(self.table)
        out.update(row=self.row, column=self.column, message=self.message)
        return out


class CellProblem(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def as_text(value: Cell) -> str:
    """A cell as a person reads it (dates day first, as in the UK)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return f"{value:%d/%m/%Y %H:%M}" if value.time() != datetime.time() else f"{value:%d/%m/%Y}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, datetime.time):
        return f"{value:%H:%M}"
    return str(value)


def _read_day(value: Cell, field: str) -> PartialDate:
    """One date cell or its wording."""
    if isinstance(value, datetime.datetime):
        text = value.date().isoformat()
        if value.time() != datetime.time():
            text += f"T{value:%H:%M}"
        return parse_practitioner_date(text).with_wording(None)
    if isinstance(value, datetime.date):
        return parse_practitioner_date(value.isoformat()).with_wording(None)
    if isinstance(value, float):
        raise CellProblem(field, f'"{value}" is a number, not a date')
    typed = as_text(value).strip()
    if typed.startswith("?"):  # Chronolator: the date is uncertain
        inner = typed[1:].strip()
        try:
            found = parse_practitioner_date(f"about {inner}")
        except InvalidDate:
            found = parse_practitioner_date(inner)
        return found.with_wording(typed)
    return parse_practitioner_date(typed)


def read_date(cells: Mapping[str, Cell]) -> tuple[str, str | None]:
    """(date expression, date_text) for a row, from its date, time and end-date cells."""
    value = cells.get("date")
    if value is None:
        raise CellProblem(
            "date", "no date is given; every entry needs one (for example 12/03/2019 or March 2019)"
        )
    try:
        start = _read_day(value, "date")
    except InvalidDate as err:
        raise CellProblem("date", str(err)) from None
    wording = start.wording
    time = cells.get("time")
    if time is not None:
        time_text = as_text(time)
        if start.kind != "day" or start.approximate:
            raise CellProblem("time", f'"{time_text}" is a time, but the date is not a single day')
        try:
            start = parse_practitioner_date(f"{start.expression} {time_text}")
        except InvalidDate:
            raise CellProblem("time", f'"{time_text}" is not a time (write, e.g., 14:30)') from None
        wording = f"{wording or as_text(value)} {time_text}"
    end_value = cells.get("end_date")
    if end_value is None:
        return start.expression, wording
    try:
        end = _read_day(end_value, "end_date")
    except InvalidDate as err:
        raise CellProblem("end_date", str(err)) from None
    if end.latest < start.earliest:
        raise CellProblem(
            "end_date", f'"{as_text(end_value)}" is before the start date ("{as_text(value)}")'
        )
    if end.latest == start.latest and end.earliest == start.earliest:
        return start.expression, wording
    expression = f"{start.earliest.isoformat()}/{end.latest.isoformat()}"
    return expression, f"{wording or as_text(value)} to {end.wording or as_text(end_value)}"


def kind_for(category: Cell) -> str | None:
    """Our kind for an agency's category word, if the words match (relationship kinds need a
    relationship the row cannot name, so they are left as notes)."""
    kind = _KINDS.get(normalise(category))
    if kind is None or kind in RELATIONSHIP_ENTRY_KINDS:
        return None
    return kind


def build_entry(
    cells: Mapping[str, Cell],
    extra: Mapping[str, Cell],
    agency: str,
    imported_from: dict[str, Any],
) -> dict[str, Any]:
    """The entry for one row's mapped cells (`extra`: unmapped headings and their cells, kept
    in the detail so nothing of the row is lost). Raises CellProblem."""
    date, date_text = read_date(cells)
    summary = as_text(cells.get("summary")).strip()
    detail_lines = [as_text(cells.get("detail")).strip()]
    if not summary:
        summary, detail_lines[0] = detail_lines[0], ""
    if not summary:
        raise CellProblem("summary", "no text says what happened")
    if cells.get("people") is not None:  # offered as links; the words are kept too
        detail_lines.append(f"People involved: {as_text(cells['people'])}")
    if cells.get("end_time") is not None:  # a span of days has no times: kept as text
        detail_lines.append(f"End time: {as_text(cells['end_time'])}")
    detail_lines.extend(f"{heading}: {as_text(value)}" for heading, value in extra.items())
    entry: dict[str, Any] = {"date": date}
    if date_text and date_text != date:
        entry["date_text"] = date_text
    category = cells.get("kind")
    kind = kind_for(category) if category is not None else None
    entry.update(kind=kind or "note", summary=summary)
    detail = "\n".join(line for line in detail_lines if line)
    if detail:
        entry["detail"] = detail
    source: dict[str, Any] = {"agency": as_text(cells.get("source")).strip() or agency}
    reference = as_text(cells.get("reference")).strip()
    if reference:
        source["reference"] = reference
    entry["source"] = source
    for name in ("impact", "action"):
        text = as_text(cells.get(name)).strip()
        if text:
            entry[name] = text
    attributes: dict[str, Any] = {"imported_from": imported_from}
    if category is not None and kind is None:
        attributes["category"] = as_text(category)
    entry["attributes"] = attributes
    for problem in check_text_caps(entry, ""):  # the caps every entry obeys, said of the cell
        raise CellProblem(problem.path, f"the text {problem.message}")
    return entry


_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class PersonLink:
    """A person of the case that a row seems to name: offered, never linked silently."""

    row: int
    person: str
    why: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "person": self.person, "why": self.why}


class PersonFinder:
    """Finds the case's persons in a row's text by name or alias, or by a first name no one
    else in the case shares."""

    def __init__(self, persons: list[Mapping[str, Any]]) -> None:
        firsts: dict[str, list[str]] = {}
        for person in persons:
            first = str(person.get("name", "")).split(" ")[0].lower()
            firsts.setdefault(first, []).append(person["id"])
        self._owner: dict[str, str] = {}
        for person in persons:
            names = [person.get("name", ""), *(person.get("aliases") or [])]
            first = str(person.get("name", "")).split(" ")[0]
            if len(firsts.get(first.lower(), [])) == 1 and len(first) > 2:
                names.append(first)
            for name in names:
                key = " ".join(str(name).split()).lower()
                if key:
                    self._owner.setdefault(key, person["id"])
        self._order = {person["id"]: index for index, person in enumerate(persons)}
        # Names by their first word, longest first. A row's text is split into words once;
        # only the names whose first word it holds are tried, against the words that follow
        # (one pass over the row, however many persons the case has).
        self._by_first_word: dict[str, list[tuple[str, list[str]]]] = {}
        for key in sorted(self._owner, key=len, reverse=True):
            words = _WORDS.findall(key)
            if words:
                self._by_first_word.setdefault(words[0], []).append((key, words))

    def links(self, row: int, texts: Mapping[str, str]) -> list[PersonLink]:
        found: dict[str, PersonLink] = {}
        for heading, text in texts.items():
            for person, named in self._names_in(text):
                if person not in found:
                    found[person] = PersonLink(row, person, f'{heading} names "{named}"')
        return sorted(found.values(), key=lambda link: self._order[link.person])

    def _names_in(self, text: str) -> list[tuple[str, str]]:
        """(person, the words as written) for each person named in `text`: for each name,
        longest first, its first place in the text, the words whole and in order with
        anything but letters and digits between them."""
        lowered = text.lower()
        words = _WORDS.findall(lowered)
        if self._by_first_word.keys().isdisjoint(words):
            return []
        if len(lowered) != len(text):  # lower case changed the length: match case-blind
            return self._names_by_pattern(text)
        places: dict[str, list[int]] = {}
        for index, word in enumerate(words):
            if word in self._by_first_word:
                places.setdefault(word, []).append(index)
        starts: list[int] = []
        named = []
        for first, at in places.items():
            for key, name_words in self._by_first_word[first]:
                size = len(name_words)
                for index in at:
                    if size == 1 or words[index : index + size] == name_words:
                        starts = starts or _starts(lowered, words)
                        last = index + size - 1
                        named.append(
                            (
                                self._owner[key],
                                text[starts[index] : starts[last] + len(words[last])],
                            )
                        )
                        break
        return named

    def _names_by_pattern(self, text: str) -> list[tuple[str, str]]:
        named = []
        for first in dict.fromkeys(_WORDS.findall(text.lower())):
            for key, name_words in self._by_first_word.get(first, ()):
                body = r"\W+".join(re.escape(word) for word in name_words)
                match = re.search(rf"(?<!\w){body}(?!\w)", text, re.IGNORECASE)
                if match:
                    named.append((self._owner[key], match[0]))
        return named


def _starts(text: str, words: list[str]) -> list[int]:
    """Where each of `text`'s words (`_WORDS.findall(text)`) begins: a word is found from
    the end of the one before, as only characters that are not word characters lie between."""
    starts, at = [], 0
    for word in words:
        at = text.find(word, at)
        starts.append(at)
        at += len(word)
    return starts
