"""Rule 2: a disclosure names nobody as alleged perpetrator."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator

from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import Facts, list_entries


class UnnamedPerpetrator(Rule):
    id = "unnamed-perpetrator"
    severity = "medium"
    title = "Domestic abuse disclosed without the alleged perpetrator named"
    suggested_action = (
        "Ask, and record the names, dates of birth and aliases of the alleged perpetrators."
    )
    basis = (
        "Reviews finding that a disclosed 'history of domestic abuse' was never followed by names."
    )

    def find(self, facts: Facts) -> Iterator[Flag]:
        born_by = _ChildrenBornBy(facts)
        for disclosure in facts.kind("disclosure"):
            if disclosure.persons_in("alleged_perpetrator"):
                continue
            who = disclosure.persons_in("discloser", "victim")
            text = (
                f"In {list_entries([disclosure])} "
                f"{facts.names(who) if who else 'someone'} disclosed domestic abuse, but the "
                "entry names nobody as the alleged perpetrator."
            )
            children, names = born_by(disclosure.date.latest)
            severity = None
            if children:
                severity = "high"
                text += f" A child lives in the family ({names}), so this is marked high."
            yield self.flag(text, [disclosure], [*who, *children], severity=severity)


class _ChildrenBornBy:
    """The children in the case who may have been born by a day (no date of birth: assume
    so), in the case's order, with their names; worked out once per number of children."""

    def __init__(self, facts: Facts) -> None:
        self._facts = facts
        births = []
        for child in facts.children:
            birth = facts.case.person_by_id[child].date_of_birth
            births.append((birth.earliest if birth else dt.date.min, child))
        births.sort()
        self._days = [day for day, _ in births]
        self._order = {child: index for index, child in enumerate(facts.children)}
        self._by_birth = [child for _, child in births]
        self._known: dict[int, tuple[list[str], str]] = {}

    def __call__(self, day: dt.date) -> tuple[list[str], str]:
        count = bisect.bisect_right(self._days, day)
        found = self._known.get(count)
        if found is None:
            children = sorted(self._by_birth[:count], key=self._order.__getitem__)
            found = self._known[count] = (children, self._facts.names(children))
        return found
