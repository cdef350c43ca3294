"""Rule 19: a DA event about a victim within twelve months after their MARAC referral."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    Facts,
    add_months,
    list_entries,
    may_follow,
    surely_precedes,
    uncertainty_note,
)


class RepeatMarac(Rule):
    id = "repeat-marac"
    severity = "medium"
    title = "Domestic abuse after a MARAC referral (a repeat case)"
    suggested_action = "Refer back to the MARAC as a repeat case."
    basis = "SafeLives repeat-referral criterion."
    defaults = {"window_months": 12}

    def find(self, facts: Facts) -> Iterator[Flag]:
        months = self.param("window_months")
        for referral in facts.kind("marac_referral"):
            end = add_months(referral.date.latest, months)
            for victim in dict.fromkeys(referral.persons_in("victim")):
                events = facts.index(f"victim:{victim}", partial(facts.events_against, victim))
                later = [
                    e
                    for e in events.may_fall(referral.date.earliest, end)
                    if may_follow(e, referral)
                ]
                if not later:
                    continue
                text = (
                    f"{facts.name(victim)} was referred to the MARAC in "
                    f"{list_entries([referral])}, and domestic abuse against them is recorded "
                    f"within {months} months after: {list_entries(later)}."
                )
                if not any(surely_precedes(referral, e) for e in later):
                    text += uncertainty_note(
                        [referral, *later], "they could come after the referral"
                    )
                yield self.flag(text, [referral, *later], [victim])
