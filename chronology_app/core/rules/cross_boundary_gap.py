"""Rule 5: the family moved area, or an agency's involvement, without information following."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from chronology_app.core.dates import format_day
from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Finding, Rule
from chronology_app.core.rules.facts import Facts, list_entries


def _words(value: object) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", value.casefold())) if isinstance(value, str) else ()


def _involved(area: tuple[str, ...], entry: EntryRecord) -> bool:
    return _involves(entry, area)


def _involves(entry: EntryRecord, area: tuple[str, ...]) -> bool:
    """Whether the exchange's from, to or about names the area as whole words ("Bury" is not
    in "Canterbury")."""
    for key in ("from", "to", "about"):
        words = _words(entry.attributes.get(key))
        if any(words[i : i + len(area)] == area for i in range(len(words) - len(area) + 1)):
            return True
    return False


class CrossBoundaryGap(Rule):
    id = "cross-boundary-gap"
    severity = "medium"
    title = "Information may not have followed the family"
    suggested_action = "Notify the receiving authority and send the assessment and chronology."
    basis = "Local procedures for children moving across boundaries (notify within 5 working days)."
    defaults = {"working_days": 5}

    def find(self, facts: Facts) -> Iterator[Finding]:
        days = self.param("working_days")
        exchanges = facts.index(
            "exchanges", partial(facts.kind, "information_shared", "information_request")
        )
        for move in facts.kind("move"):
            to_area = _words(move.attributes.get("to_area"))
            if not to_area or to_area == _words(move.attributes.get("from_area")):
                continue
            area = move.attributes.get("to_area")
            start = facts.calendar.add(move.date.earliest, -days)
            deadline = facts.calendar.deadline(move.date.latest, days)
            answer = exchanges.first(start, deadline.day, partial(_involved, to_area))
            if answer is not None:
                yield self.answered(move, answer, deadline.day)
                continue
            if not facts.window_closed(deadline.day):
                yield self.due(
                    move,
                    deadline.day,
                    f"Information to share with {area} by {format_day(deadline.day)}: the "
                    f"family moved there in {list_entries([move])}; {deadline.describe()}.",
                )
                continue
            text = (
                f"The family moved to {area} in {list_entries([move])}, and no entry shows "
                f"information shared with or requested by {area} within {days} working days: "
                + ("" if move.date.is_exact else "from the latest day the move could be, ")
                + f"{deadline.describe()} (bank holidays of {facts.calendar.name})."
            )
            yield self.flag(text, [move], move.persons_in("subject"))
        for involvement in facts.kind("agency_involvement"):
            if involvement.attributes.get("notified_children_services") is not False:
                continue
            agency = involvement.attributes.get("agency") or involvement.source_agency
            verb = "stopped" if involvement.attributes.get("status") == "ended" else "began"
            text = (
                f"{agency} {verb} working with the family in {list_entries([involvement])} "
                "and children's services were not notified."
            )
            yield self.flag(text, [involvement], [])
