"""Rule 4: a relationship with a person with a DA history, and no DVDS step soon after."""

from __future__ import annotations

from collections.abc import Iterator

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import Facts, ReturningPartner, add_days, list_entries


class DvdsNotConsidered(Rule):
    id = "dvds-not-considered"
    severity = "high"
    title = "No Clare's Law (DVDS) step after a relationship with a person with a DA history"
    suggested_action = (
        "Consider a DVDS (Clare's Law) Right to Ask application with the person at risk."
    )
    basis = "Domestic Violence Disclosure Scheme (Clare's Law)."
    defaults = {"window_days": 28}

    def find(self, facts: Facts) -> Iterator[Flag]:
        days = self.param("window_days")
        for back in facts.returning_partners:
            unanswered = [j for j in back.joinings if self._unanswered(facts, back, j, days)]
            if not unanswered:
                continue
            history = facts.history_before(back.person, unanswered[-1])
            person = facts.name(back.person)
            text = (
                f"{facts.names(back.others) or 'A partner'} and {person} started or resumed a "
                f"relationship in {list_entries(unanswered)}, and {person} has a domestic-abuse "
                + (f"history ({list_entries(history)})" if history else "history in another case")
                + f". No DVDS entry follows within {days} days."
            )
            yield self.flag(text, [*unanswered, *history], [*back.others, back.person])

    @staticmethod
    def _unanswered(facts: Facts, back: ReturningPartner, joining: EntryRecord, days: int) -> bool:
        end = add_days(joining.date.latest, days)
        if not facts.window_closed(end):
            return False  # the 28 days have not passed as of the analysis date
        partners = (back.person, *back.others)
        dvds = facts.index("dvds", lambda: facts.kind("dvds")).may_fall(joining.date.earliest, end)
        return not any(not d.persons or any(d.names(p) for p in partners) for d in dvds)
