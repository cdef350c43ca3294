"""Rule 5: the family moved area, or an agency's involvement, without information following."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import Facts, add_working_days, list_entries


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

    def find(self, facts: Facts) -> Iterator[Flag]:
        days = self.param("working_days")
        exchanges = facts.index(
            "exchanges", partial(facts.kind, "information_shared", "information_request")
        )
        for move in facts.kind("move"):
            to_area = _words(move.attributes.get("to_area"))
            if not to_area or to_area == _words(move.attributes.get("from_area")):
                continue
            start = add_working_days(move.date.earliest, -days)
            end = add_working_days(move.date.latest, days)
            if not facts.window_closed(end):
                continue
            if exchanges.any_in(start, end, where=partial(_involved, to_area)):
                continue
            text = (
                f"The family moved to {move.attributes.get('to_area')} "
                f"in {list_entries([move])}, and no entry shows information shared with or "
                f"requested by {move.attributes.get('to_area')} within {days} working days."
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
