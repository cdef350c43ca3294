"""What every rule is and what it returns (spec: docs/rules-spec.md).

A rule is a small class with a declared id, a default severity, parameters with defaults that an
authority may change, and its basis. It looks at read-only records and returns `Flag`s, each
naming the entries it rests on. A flag is a prompt for professional judgement: its words say
what the entries show and what to consider, never a score or a prediction.
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
    def find(self, facts: Facts) -> Iterable[Flag]:
        """Every flag this rule raises on the case."""

    def param(self, name: str) -> int:
        return self.parameters[name]

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
            suggested_action=self.suggested_action,
            basis=self.basis,
            entries=tuple(entry.id for entry in entries),
            persons=tuple(dict.fromkeys(persons)),
            earliest=entries[0].date.earliest if entries else datetime.date.min,
        )
