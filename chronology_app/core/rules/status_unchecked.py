"""Rule 16: a parent's immigration status unchecked while an NRPF team is involved, or
recorded as NRPF with no immigration check."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import Facts, list_entries

NRPF_WORDS = ("nrpf", "no recourse to public funds")


def _mentions_nrpf(entry: EntryRecord) -> bool:
    names = [entry.source_agency, entry.attributes.get("agency"), entry.attributes.get("to")]
    return any(
        isinstance(name, str) and any(word in name.casefold() for word in NRPF_WORDS)
        for name in names
    )


class StatusUnchecked(Rule):
    id = "status-unchecked"
    severity = "medium"
    title = "A parent's immigration status has not been checked"
    suggested_action = "Check immigration status and entitlements; understand the NRPF team's role."
    basis = "Review findings on families with no recourse to public funds."

    def find(self, facts: Facts) -> Iterator[Flag]:
        nrpf_involved = [e for e in facts.entries if _mentions_nrpf(e)]
        checked = {p for e in facts.kind("immigration_check") for p in e.persons_in("subject")}
        for person in facts.case.persons:
            if "parent" not in person.roles or person.id in checked:
                continue
            if person.immigration_status == "not_checked" and nrpf_involved:
                text = (
                    f"{facts.name(person.id)}'s immigration status is recorded as not checked, "
                    f"while a no-recourse-to-public-funds service is involved: "
                    f"{list_entries(nrpf_involved)}."
                )
                yield self.flag(text, nrpf_involved, [person.id])
            elif person.immigration_status == "nrpf" and person.id not in checked:
                text = (
                    f"{facts.name(person.id)} is recorded as having no recourse to public "
                    "funds, and no entry shows an immigration check on them."
                )
                yield self.flag(text, [], [person.id])
