"""Rule 5: the family moved area, or an agency's involvement, without information following."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import Facts, add_working_days, list_entries, may_fall


def _area(value: object) -> str:
    return value.strip().casefold() if isinstance(value, str) else ""


def _involves(entry: EntryRecord, area: str) -> bool:
    return any(area in _area(entry.attributes.get(key)) for key in ("from", "to", "about"))


class CrossBoundaryGap(Rule):
    id = "cross-boundary-gap"
    severity = "medium"
    title = "Information may not have followed the family"
    suggested_action = "Notify the receiving authority and send the assessment and chronology."
    basis = "Local procedures for children moving across boundaries (notify within 5 working days)."
    defaults = {"working_days": 5}

    def find(self, facts: Facts) -> Iterator[Flag]:
        days = self.param("working_days")
        exchanges = facts.kind("information_shared", "information_request")
        for move in facts.kind("move"):
            to_area = _area(move.attributes.get("to_area"))
            if not to_area or to_area == _area(move.attributes.get("from_area")):
                continue
            start = add_working_days(move.date.earliest, -days)
            end = add_working_days(move.date.latest, days)
            if not facts.window_closed(end):
                continue
            if any(_involves(e, to_area) and may_fall(e.date, start, end) for e in exchanges):
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
