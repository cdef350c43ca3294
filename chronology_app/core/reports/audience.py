"""Who a report is for and what they may see: the one place reports filter and mask.

- `internal`: everything, restricted entries and persons marked as such.
- `review`: everything, and who recorded each entry and when (for supervision and audit).
- `conference`: family-facing. Restricted entries are left out; restricted persons are named
  "Person A (withheld)", "Person B (withheld)"... everywhere, and their names and aliases are
  masked in every free text that is printed. Nothing else about them is given (age, sex,
  roles, relationships, their boxes in the family diagram, their couple in the timeline):
  "sibling of Ayşe" can identify someone as surely as a name. Person, relationship and case
  notes are not printed, and a flag review shows its decision and date, not its reason.

Flags in a conference report (the readings chosen). The rules are run again over the shared
entries alone, with the same rules and analysis date but without other cases' history, and each
flag of the case is shown as that run finds it:

- a flag whose evidence is all restricted is left out: showing it would tell the family what
  the withheld entries are about;
- a flag resting partly on restricted entries is shown only if the shared entries show the
  pattern on their own: the flag the shared run raises for the same rule, on evidence within
  the original flag's, is shown in its place, citing shared entries only, with the
  practitioner's recorded decision on the original. Otherwise it is left out: a pattern the
  shared entries do not show would reveal what was withheld (for example that someone else
  has seen two people together);
- a flag with all its evidence shared is shown the same way (the shared run finds it
  unchanged), except that what it says about another family's case is not repeated;
- a flag only the shared entries raise (because the recorded response is restricted) is not a
  flag of the case and is not printed.

The cover of a conference report always says that material that may not be shared has been
withheld, whether or not the case holds any, so the statement itself reveals nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from chronology_app.core.errors import ChronologyError
from chronology_app.core.records import CaseData, FlagReviewRecord
from chronology_app.core.reports.document import (
    Box,
    Cell,
    Column,
    DocumentInfo,
    Drawing,
    Label,
    Paragraph,
    ReportDocument,
    Row,
    Shape,
    Span,
    cell,
)
from chronology_app.core.rules.base import Flag, Rule

AUDIENCES: dict[str, str] = {
    "internal": "Internal: the full chronology, including restricted material",
    "conference": "Child protection conference: for sharing with the family",
    "review": "Case review: the full chronology, with who recorded each entry and when",
}
CONFERENCE = "conference"
REVIEW = "review"

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_MIN_PART = 3  # shorter parts of a name ("Al", "Jo") are masked only as part of a full name


@dataclass(frozen=True, slots=True)
class ShownFlag:
    flag: Flag
    review: FlagReviewRecord | None


def _letters(index: int) -> str:
    """A, B, ... Z, AA, AB, ..."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


class Masker:
    """Names restricted persons "Person A (withheld)" and masks their names in free text.

    Full names and aliases are masked whatever their case; a single part of a name (a first
    name or surname) is masked as written or in capitals, and only when no unrestricted person
    of the case shares it, so a restricted relative does not mask the family's surname.
    Masking free text is a safety net, not a guarantee: practitioners still write shared
    entries with the family in mind."""

    def __init__(self, case: CaseData) -> None:
        restricted = [p for p in case.persons if p.restricted]
        self.labels = {p.id: f"Person {_letters(i)} (withheld)" for i, p in enumerate(restricted)}
        shared_words = {
            word.casefold()
            for person in case.persons
            if not person.restricted
            for name in (person.name, *person.aliases)
            for word in _WORD.findall(name)
        }
        alternatives: list[tuple[str, str]] = []  # (pattern, label)
        for person in restricted:
            label = self.labels[person.id]
            for name in (person.name, *person.aliases):
                words = name.split()
                if words:
                    flexible = r"\s+".join(re.escape(word) for word in words)
                    alternatives.append((f"(?i:{flexible})", label))
                for part in _WORD.findall(name):
                    if len(part) >= _MIN_PART and part.casefold() not in shared_words:
                        alternatives.extend(
                            (re.escape(variant), label) for variant in {part, part.upper()}
                        )
        # Longest first, so "Kelly Ward" is masked whole before "Kelly" is.
        alternatives.sort(key=lambda item: -len(item[0]))
        self._group_labels: dict[str, str] = {}
        groups = []
        for index, (pattern, label) in enumerate(alternatives):
            self._group_labels[f"n{index}"] = label
            groups.append(f"(?P<n{index}>{pattern})")
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(groups) + r")(?!\w)") if groups else None
        )

    def name(self, person_id: str, case: CaseData) -> str:
        label = self.labels.get(person_id)
        if label is not None:
            return label
        person = case.person_by_id.get(person_id)
        return self.text(person.name) if person else person_id

    def text(self, value: str) -> str:
        if self._pattern is None or not value:
            return value
        return self._pattern.sub(lambda m: self._group_labels[str(m.lastgroup)], value)


@dataclass(frozen=True)
class AudienceView:
    """The case as one audience may see it. Report writers take everything from here."""

    audience: str
    case: CaseData  # for a conference: without its restricted entries
    flags: tuple[ShownFlag, ...]
    masker: Masker | None  # set for a conference

    @property
    def withholds(self) -> bool:
        return self.masker is not None

    @property
    def shows_recorded(self) -> bool:
        return self.audience == REVIEW

    def name(self, person_id: str) -> str:
        if self.masker is not None:
            return self.masker.name(person_id, self.case)
        person = self.case.person_by_id.get(person_id)
        return person.name if person else person_id

    def is_withheld(self, person_id: str) -> bool:
        return self.masker is not None and person_id in self.masker.labels

    def text(self, value: str | None) -> str:
        if not value:
            return ""
        return self.masker.text(value) if self.masker is not None else value


def check_audience(audience: str) -> None:
    if audience not in AUDIENCES:
        raise ChronologyError(
            f'"{audience}" is not a report audience: choose one of {", ".join(AUDIENCES)}.'
        )


def shared_case(case: CaseData) -> CaseData:
    """The case without its restricted entries (persons and relationships are kept, to be
    masked by name)."""
    entries = tuple(entry for entry in case.entries if not entry.restricted)
    return CaseData(
        case=case.case,
        persons=case.persons,
        relationships=case.relationships,
        entries=entries,
        reviews=case.reviews,
        person_by_id=case.person_by_id,
        relationship_by_id=case.relationship_by_id,
        entry_by_id=MappingProxyType({entry.id: entry for entry in entries}),
    )


def audience_view(
    case: CaseData,
    flags: Sequence[tuple[Flag, FlagReviewRecord | None]],
    audience: str,
    *,
    rules: Sequence[Rule] | None = None,
    as_of: datetime.date | None = None,
) -> AudienceView:
    """`rules` and `as_of` should be those the flags were found with: a conference report runs
    the rules again over the shared entries (see the module's notes)."""
    check_audience(audience)
    if audience != CONFERENCE:
        return AudienceView(audience, case, tuple(ShownFlag(f, r) for f, r in flags), None)
    masker = Masker(case)
    shared = shared_case(case)
    shown = _conference_flags(case, shared, flags, masker, rules, as_of)
    return AudienceView(audience, shared, shown, masker)


def _conference_flags(
    case: CaseData,
    shared: CaseData,
    flags: Sequence[tuple[Flag, FlagReviewRecord | None]],
    masker: Masker,
    rules: Sequence[Rule] | None,
    as_of: datetime.date | None,
) -> tuple[ShownFlag, ...]:
    """Each flag as the shared entries alone show it (see the module's notes). The rules run
    again over the shared entries without other cases' history, so no explanation cites a
    withheld entry or another family's case."""
    from chronology_app.core.rules.engine import analyse
    from chronology_app.core.rules.facts import latest_day

    if not flags:
        return ()
    day = as_of or latest_day(case)
    rerun = analyse(shared, rules, namer=lambda pid: masker.name(pid, case), as_of=day)
    used: set[int] = set()
    shown: list[ShownFlag] = []
    for flag, review in flags:
        within = {entry_id for entry_id in flag.entries if entry_id in shared.entry_by_id}
        if flag.entries and not within:
            continue  # rests on restricted entries alone
        candidates = [
            index
            for index, found in enumerate(rerun)
            if index not in used
            and found.rule == flag.rule
            and set(found.entries) <= within
            and (found.entries or not flag.entries)
            and set(found.persons) <= set(flag.persons)
        ]
        if not candidates:
            continue  # the shared entries do not show the pattern on their own
        exact = [i for i in candidates if set(rerun[i].entries) == within]
        index = (exact or candidates)[0]
        used.add(index)
        found = rerun[index]
        # The namer masks restricted persons; the masker also covers names in other words.
        shown.append(ShownFlag(replace(found, explanation=masker.text(found.explanation)), review))
    return tuple(shown)


class MaskedDocument(ReportDocument):
    """Passes everything on to another document with restricted names masked: the last line of
    defence for a conference report, so no table, drawing or metadata string escapes masking."""

    def __init__(self, inner: ReportDocument, masker: Masker) -> None:
        self.inner = inner
        self.content_width = inner.content_width
        self._mask = masker.text

    def _paragraph(self, value: Paragraph) -> Paragraph:
        return tuple(Span(self._mask(span.text), span.emphasis) for span in value)

    def _cell(self, value: Cell | str) -> Cell:
        if isinstance(value, str):
            return cell(self._mask(value))
        return tuple(self._paragraph(p) for p in value)

    def set_info(self, info: DocumentInfo) -> None:
        m = self._mask
        self.inner.set_info(
            DocumentInfo(
                m(info.title),
                m(info.author),
                m(info.subject),
                m(info.marking),
                m(info.running_footer),
            )
        )

    def heading(self, text: str, level: int = 1) -> None:
        self.inner.heading(self._mask(text), level)

    def paragraph(self, text: Paragraph | str, style: str = "body") -> None:
        value = self._mask(text) if isinstance(text, str) else self._paragraph(text)
        self.inner.paragraph(value, style)

    def key_values(self, pairs: Sequence[tuple[str, Cell | str]]) -> None:
        self.inner.key_values([(self._mask(k), self._cell(v)) for k, v in pairs])

    def table(
        self, columns: Sequence[Column], rows: Sequence[Row], *, repeat_header: bool = True
    ) -> None:
        self.inner.table(
            [Column(self._mask(c.title), c.width) for c in columns],
            [Row(tuple(self._cell(v) for v in row.cells), row.highlight) for row in rows],
            repeat_header=repeat_header,
        )

    def drawing(self, drawing: Drawing) -> None:
        shapes: list[Shape] = []
        for shape in drawing.shapes:
            if isinstance(shape, Box):
                shapes.append(replace(shape, lines=tuple(self._mask(t) for t in shape.lines)))
            elif isinstance(shape, Label):
                shapes.append(replace(shape, text=self._mask(shape.text)))
            else:
                shapes.append(shape)
        self.inner.drawing(
            replace(drawing, shapes=tuple(shapes), description=self._mask(drawing.description))
        )

    def page_break(self) -> None:
        self.inner.page_break()
