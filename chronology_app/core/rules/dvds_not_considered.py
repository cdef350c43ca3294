"""Rule 4: a relationship with a person with a DA history, and no DVDS step soon after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial

from chronology_app.core.dates import format_day
from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Finding, Rule
from chronology_app.core.rules.elsewhere import recorded_elsewhere
from chronology_app.core.rules.facts import Facts, ReturningPartner, add_days, list_entries
from chronology_app.core.rules.returning_perpetrator import joined_verb


class DvdsNotConsidered(Rule):
    id = "dvds-not-considered"
    severity = "high"
    title = "No Clare's Law (DVDS) step after a relationship with a person with a DA history"
    suggested_action = (
        "Consider a DVDS (Clare's Law) Right to Ask application with the person at risk."
    )
    basis = "Domestic Violence Disclosure Scheme (Clare's Law)."
    defaults = {"window_days": 28}

    def find(self, facts: Facts) -> Iterator[Finding]:
        days = self.param("window_days")
        for back in facts.returning_partners:
            person = facts.name(back.person)
            others = facts.names(back.others) or "A partner"
            unanswered = []
            for joining in back.joinings:
                end = add_days(joining.date.latest, days)
                answer = self._answer(facts, back, joining, end)
                if answer is not None:
                    yield self.answered(joining, answer, end)
                elif not facts.window_closed(end):
                    yield self.due(
                        joining,
                        end,
                        f"DVDS to consider by {format_day(end)}: {others} and {person} "
                        f"{joined_verb([joining])} in {list_entries([joining])}, and {person} "
                        "has a domestic-abuse history.",
                    )
                else:
                    unanswered.append(joining)
            if not unanswered:
                continue
            history = facts.history_before(back.person, unanswered[-1])
            elsewhere = facts.history_elsewhere_before(back.person, unanswered[-1])
            text = (
                f"{others} and {person} {joined_verb(unanswered)} in {list_entries(unanswered)}, "
                f"and no DVDS entry follows within {days} days."
            )
            if history:
                text += f" {person} has a domestic-abuse history here: {list_entries(history)}."
            text += recorded_elsewhere(facts, back.person, elsewhere)
            yield self.flag(text, [*unanswered, *history], [*back.others, back.person])

    @staticmethod
    def _answer(
        facts: Facts, back: ReturningPartner, joining: EntryRecord, end: dt.date
    ) -> EntryRecord | None:
        """The DVDS entry about the couple (or naming nobody) that may fall within the window
        (the first, exactly dated ones first)."""
        partners = (back.person, *back.others)
        dvds = facts.index("dvds", lambda: facts.kind("dvds"))
        return dvds.first(joining.date.earliest, end, partial(_about, partners))


def _about(partners: tuple[str, ...], dvds: EntryRecord) -> bool:
    """A DVDS entry about one of the couple, or naming nobody."""
    return not dvds.persons or any(dvds.names(p) for p in partners)
