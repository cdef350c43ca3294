"""Rule 21: a disclosure with no consent to refer asked, and no referral soon after."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from functools import partial

from chronology_app.core.dates import format_day
from chronology_app.core.model.vocabulary import kinds_in
from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Finding, Rule
from chronology_app.core.rules.facts import (
    DateIndex,
    Facts,
    add_days,
    list_entries,
    surely_precedes,
)

# A recorded answer either way: the practitioner asked, so the rule has nothing to prompt.
ANSWERED = frozenset({"given", "refused"})
RESPONSE_KINDS = tuple(sorted(kinds_in("referral")))


def _for_whom(referral: EntryRecord) -> tuple[str, ...]:
    """Whom a referral is for: its victims, else everyone it names (none: it names nobody)."""
    return referral.persons_in("victim") or tuple(link.person for link in referral.persons)


def _by_person(facts: Facts) -> dict[str, DateIndex]:
    """Per person, the referrals and MARAC referrals for them; "" holds those naming nobody."""
    found: dict[str, list[EntryRecord]] = defaultdict(list)
    for referral in facts.kind(*RESPONSE_KINDS):
        for person in dict.fromkeys(_for_whom(referral)) or ("",):
            found[person].append(referral)
    return {person: DateIndex(referrals) for person, referrals in found.items()}


def _answer(facts: Facts, disclosure: EntryRecord, end: dt.date) -> EntryRecord | None:
    """A referral for one of the people at risk, or naming nobody (any referral when the
    disclosure names nobody: the benefit of the doubt), that may fall from the disclosure's
    first day to `end` and is not surely earlier; exactly dated ones first, then the earliest."""
    people = disclosure.persons_in("discloser", "victim")
    if people:
        indexes = facts.memo(f"{ConsentNotSought.id}:referrals", partial(_by_person, facts))
        sources = [indexes[p] for p in dict.fromkeys(("", *people)) if p in indexes]
    else:
        sources = [facts.index("referrals", partial(facts.kind, *RESPONSE_KINDS))]
    where = partial(_follows, disclosure)
    found = [r for index in sources if (r := index.first(disclosure.date.earliest, end, where))]
    return min(found, key=_answer_order, default=None)


def _answer_order(entry: EntryRecord) -> tuple[bool, tuple[dt.date, int, dt.date, str]]:
    return entry.date.earliest != entry.date.latest, entry.rule_order


def _follows(disclosure: EntryRecord, referral: EntryRecord) -> bool:
    return referral.id != disclosure.id and not surely_precedes(referral, disclosure)


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
        for disclosure in facts.kind("disclosure"):
            consent = disclosure.attributes.get("consent_to_refer")
            if consent in ANSWERED:
                continue
            people = disclosure.persons_in("discloser", "victim")
            deadline = add_days(disclosure.date.latest, days)
            answer = _answer(facts, disclosure, deadline)
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
