"""Rule 21: a disclosure with no consent to refer asked, and no referral soon after."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from chronology_app.core.dates import format_day
from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Finding, Rule
from chronology_app.core.rules.facts import Facts, add_days, list_entries, surely_precedes

# A recorded answer either way: the practitioner asked, so the rule has nothing to prompt.
ANSWERED = frozenset({"given", "refused"})
RESPONSE_KINDS = ("referral", "marac_referral")


def _about_them(people: frozenset[str], referral: EntryRecord) -> bool:
    """A referral for one of the people at risk (its victims, else anyone it names); one that
    names nobody, or a disclosure that names nobody, is given the benefit of the doubt."""
    named = set(referral.persons_in("victim")) or {link.person for link in referral.persons}
    return not (named and people and not named & people)


class ConsentNotSought(Rule):
    id = "consent-not-sought"
    severity = "medium"
    title = "Consent to refer not sought after a disclosure"
    suggested_action = (
        "Ask the person at risk for consent to refer to the police or a domestic abuse "
        "service, and record the answer; consider whether to refer without consent."
    )
    basis = (
        "Serious case review finding that after a disclosure 'no-one seems to have considered "
        "obtaining consent to refer to the police or domestic abuse services'."
    )
    defaults = {"window_days": 28}

    def find(self, facts: Facts) -> Iterator[Finding]:
        days = self.param("window_days")
        referrals = facts.index("referrals", partial(facts.kind, *RESPONSE_KINDS))
        for disclosure in facts.kind("disclosure"):
            consent = disclosure.attributes.get("consent_to_refer")
            if consent in ANSWERED:
                continue
            people = disclosure.persons_in("discloser", "victim")
            deadline = add_days(disclosure.date.latest, days)
            wanted = frozenset(people)
            answer = next(
                (
                    referral
                    for referral in referrals.may_fall(disclosure.date.earliest, deadline)
                    if referral.id != disclosure.id
                    and not surely_precedes(referral, disclosure)
                    and _about_them(wanted, referral)
                ),
                None,
            )
            if answer is not None:
                yield self.answered(disclosure, answer, deadline)
                continue
            who = facts.names(people) if people else "Someone"
            consent_words = (
                "the entry records that consent to refer was not asked"
                if consent == "not_asked"
                else "no answer on consent to refer is recorded"
            )
            if not facts.window_closed(deadline):
                yield self.due(
                    disclosure,
                    deadline,
                    f"Consent to refer to seek, or a referral to make, by {format_day(deadline)}: "
                    f"{who} disclosed domestic abuse in {list_entries([disclosure])} and "
                    f"{consent_words}.",
                )
                continue
            after = (
                f"{days} days"
                if disclosure.date.is_exact
                else f"{days} days of the latest day the disclosure could be"
            )
            text = (
                f"{who} disclosed domestic abuse in {list_entries([disclosure])}; "
                f"{consent_words}, and no referral or MARAC referral follows within {after}, "
                f"that is by {format_day(deadline)}."
            )
            yield self.flag(text, [disclosure], people)
