"""Who a report is for and what they may see: the one place reports filter and mask.

- `internal`: everything, restricted entries and persons marked as such, and the flags.
- `review`: as internal, and who recorded each entry and when (for supervision and audit).
- `conference`: family-facing (it goes to the parents). Restricted entries are left out;
  restricted persons are named "Person A (withheld)", "Person B (withheld)"... everywhere, and
  their names, in every form `names.py` knows, are masked in every string printed. Nothing
  else about them is given (age, sex, roles, relationships, their boxes in the family diagram,
  their couple in the timeline): "sibling of Ayşe" can identify someone as surely as a name.
  Person, relationship and case notes are not printed.
- `court`: the Practice Direction 12A social work chronology (`court.py`). Family-facing for
  redaction, as it is served on the parents.

Family-facing outputs carry no flags, no due items and no "answered in time" items: flags are
prompts for professionals, not findings, and a flag resting on shared entries can still say
what the withheld ones are about. Nor do they say who else recorded an event (same-event
groups are not shown at all; internal reports show each group with its restricted members).

Before anything family-facing is produced, `check.py` looks for restricted names in the shared
text and stops the report if it finds any; the masking here is the second line of defence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

from chronology_app.core.analysis import Analysis, ReviewedFlag
from chronology_app.core.errors import ChronologyError
from chronology_app.core.records import CaseData, EntryRecord
from chronology_app.core.reports.names import NameMatcher
from chronology_app.core.rules.base import Answered, Due
from chronology_app.core.same_event import Groups

INTERNAL, REVIEW, CONFERENCE, COURT = "internal", "review", "conference", "court"
# Family-facing first: that is the choice offered first everywhere.
AUDIENCES: dict[str, str] = {
    CONFERENCE: "Child protection conference: for sharing with the family",
    COURT: "Court: the PD12A social work chronology, served on the parents",
    INTERNAL: "Internal: the full chronology, including restricted material",
    REVIEW: "Case review: the full chronology, with who recorded each entry and when",
}
# One line on what each includes, for the question asked before every print or export.
INCLUDES: dict[str, str] = {
    CONFERENCE: "Shared entries only; withheld people shown as Person A, B…; no flags.",
    COURT: "Entries selected for court (tag 'court'), PD12A columns; withheld as conference.",
    INTERNAL: "Everything, restricted material and flags included. Not for the family.",
    REVIEW: "As internal, plus who recorded each entry and when. Not for the family.",
}
FAMILY_FACING = frozenset({CONFERENCE, COURT})


def _letters(index: int) -> str:
    """A, B, ... Z, AA, AB, ..."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


class Masker:
    """Names restricted persons "Person A (withheld)" and masks their names in free text."""

    def __init__(self, case: CaseData) -> None:
        restricted = [p for p in case.persons if p.restricted]
        self.labels = {p.id: f"Person {_letters(i)} (withheld)" for i, p in enumerate(restricted)}
        self.matcher = NameMatcher(restricted, [p for p in case.persons if not p.restricted])

    def name(self, person_id: str, case: CaseData) -> str:
        label = self.labels.get(person_id)
        if label is not None:
            return label
        person = case.person_by_id.get(person_id)
        return self.text(person.name) if person else person_id

    def text(self, value: str) -> str:
        return self.matcher.mask(value, self.labels) if value else value


@dataclass(frozen=True)
class AudienceView:
    """The case as one audience may see it. Report writers take everything from here."""

    audience: str
    case: CaseData  # family-facing: without its restricted entries
    flags: tuple[ReviewedFlag, ...]  # family-facing: none
    groups: Groups  # same-event groups; family-facing: none
    masker: Masker | None  # set for family-facing audiences
    # What the rules found answered in time, and responses still due; family-facing: none.
    answered: tuple[Answered, ...] = ()
    due: tuple[Due, ...] = ()
    _numbers: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

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

    def number(self, entry: EntryRecord) -> str:
        """The entry's number as this audience sees it: the full chronology's (E0042) for
        professionals; family-facing, the entry's place among the shared entries, so that no
        gap in the numbers shows where a withheld entry was."""
        if self.masker is None:
            return entry.ref
        if not self._numbers:
            self._numbers.update((e.id, str(n)) for n, e in enumerate(self.case.entries, 1))
        return self._numbers[entry.id]


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
        reviews=(),
        person_by_id=case.person_by_id,
        relationship_by_id=case.relationship_by_id,
        entry_by_id=MappingProxyType({entry.id: entry for entry in entries}),
    )


def audience_view(analysis: Analysis, audience: str) -> AudienceView:
    check_audience(audience)
    case = analysis.case
    if audience not in FAMILY_FACING:
        return AudienceView(
            audience,
            case,
            tuple(analysis.flags),
            analysis.groups,
            None,
            answered=analysis.answered,
            due=analysis.due,
        )
    return AudienceView(audience, shared_case(case), (), Groups(), Masker(case))
