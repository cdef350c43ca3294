"""What every rule is and what it returns (spec: docs/rules-spec.md).

A rule is a small class with a declared id, a default severity, parameters with defaults that an
authority may change, and its basis. It looks at read-only records and returns `Flag`s, each
naming the entries it rests on. A flag is a prompt for professional judgement: its words say
what the entries show and what to consider, never a score or a prediction.

A rule with a response window (a DVDS within 28 days, information shared within 5 working
days, ...) also says what it checked and found answered (`Answered`: the trigger, the entry that
answered it, the deadline), and what is still due where the window is open on the day the case
is analysed as of (`Due`). A supervisor then sees why a rule stayed quiet, not only what it
raised.
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.facts import Facts, chrono


@dataclass(frozen=True)
class Flag:
    rule: str
    severity: str
    title: str
    explanation: str
    suggested_action: str
    basis: str
    entries: tuple[str, ...]
    persons: tuple[str, ...]
    earliest: datetime.date  # the earliest evidence date, for the spec's stable order

    @property
    def evidence_key(self) -> frozenset[str]:
        return frozenset(self.entries)


@dataclass(frozen=True)
class Answered:
    """A trigger the rule checked and found answered in time: `answered_by` (an entry id) may
    fall within the window that ends on `deadline`."""

    rule: str
    trigger: str  # entry id
    answered_by: str  # entry id
    deadline: datetime.date


@dataclass(frozen=True)
class Due:
    """A response whose window is still open on the analysis day, in plain words
    ("DVDS to consider by 9 February 2021: ..."): not a flag, and not yet late."""

    rule: str
    trigger: str  # entry id
    deadline: datetime.date
    text: str


# What a rule's `find` yields.
Finding = Flag | Answered | Due


@dataclass(frozen=True)
class Findings:
    """Everything the rules found on one case: flags in the spec's stable order, and the
    answered and due items of the rules with response windows (by rule, deadline, trigger)."""

    flags: tuple[Flag, ...]
    answered: tuple[Answered, ...]
    due: tuple[Due, ...]


class Rule(ABC):
    id: ClassVar[str]
    severity: ClassVar[str]
    title: ClassVar[str]
    suggested_action: ClassVar[str]
    basis: ClassVar[str]
    defaults: ClassVar[Mapping[str, int]] = {}

    def __init__(self, **parameters: int) -> None:
        unknown = set(parameters) - set(self.defaults)
        if unknown:
            raise ValueError(f"{self.id} has no parameter {', '.join(sorted(unknown))}")
        self.parameters = {**self.defaults, **parameters}

    @abstractmethod
    def find(self, facts: Facts) -> Iterable[Finding]:
        """Every flag this rule raises on the case (and, for a rule with a response window,
        what it found answered and what is still due)."""

    def param(self, name: str) -> int:
        return self.parameters[name]

    def action(self) -> str:
        """The suggested action its flags carry (a rule may add what an authority set)."""
        return self.suggested_action

    def answered(self, trigger: EntryRecord, by: EntryRecord, deadline: datetime.date) -> Answered:
        return Answered(self.id, trigger.id, by.id, deadline)

    def due(self, trigger: EntryRecord, deadline: datetime.date, text: str) -> Due:
        return Due(self.id, trigger.id, deadline, text)

    def flag(
        self,
        explanation: str,
        evidence: Iterable[EntryRecord],
        persons: Iterable[str],
        *,
        severity: str | None = None,
    ) -> Flag:
        entries = sorted(set(evidence), key=chrono)
        return Flag(
            rule=self.id,
            severity=severity or self.severity,
            title=self.title,
            explanation=explanation,
            suggested_action=self.action(),
            basis=self.basis,
            entries=tuple(entry.id for entry in entries),
            persons=tuple(dict.fromkeys(persons)),
            earliest=entries[0].date.earliest if entries else datetime.date.min,
        )
