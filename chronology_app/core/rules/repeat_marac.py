"""Rule 19: a DA event about a victim within twelve months after their MARAC referral."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from functools import partial

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    DateIndex,
    Facts,
    add_months,
    list_entries,
    may_follow,
    merge_spans,
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
        referred: dict[str, list[EntryRecord]] = defaultdict(list)
        for referral in facts.kind("marac_referral"):
            for victim in dict.fromkeys(referral.persons_in("victim")):
                referred[victim].append(referral)
        for victim, referrals in referred.items():
            events = facts.index(f"victim:{victim}", partial(facts.events_against, victim))
            # Referrals of one victim whose windows overlap make one flag: abuse recorded while
            # an earlier referral's year is still running is one repeat pattern, not several.
            windows = [(r.date.earliest, add_months(r.date.latest, months)) for r in referrals]
            for start, end in merge_spans(windows):
                group = [r for r, w in zip(referrals, windows, strict=True) if start <= w[0] <= end]
                yield from self._flag(facts, victim, group, events, months)

    def _flag(
        self,
        facts: Facts,
        victim: str,
        group: list[EntryRecord],
        events: DateIndex,
        months: int,
    ) -> Iterator[Flag]:
        ends = [add_months(r.date.latest, months) for r in group]
        starts = [r.date.earliest for r in group]

        def after(event: EntryRecord, i: int) -> bool:
            return may_follow(event, group[i]) and event.date.could_fall_within(starts[i], ends[i])

        def counts(event: EntryRecord) -> bool:
            # The latest referral that may precede the event nearly always answers at once:
            # the event ends after that referral's first day and starts within its window.
            last = bisect.bisect_right(starts, event.date.latest) - 1
            if (
                last >= 0
                and event is not group[last]
                and event.date.latest > starts[last]
                and event.date.earliest <= ends[last]
            ):
                return True
            return any(after(event, i) for i in range(last, -1, -1))

        later = [e for e in events.may_fall_any(zip(starts, ends, strict=True)) if counts(e)]
        if not later:
            return
        found = DateIndex(later)
        named = [
            r
            for i, r in enumerate(group)
            if found.any_in(starts[i], ends[i], where=partial(may_follow, earlier=r))
        ]
        after_what = "after" if len(named) == 1 else "after a referral"
        text = (
            f"{facts.name(victim)} was referred to the MARAC in {list_entries(named)}, and "
            f"domestic abuse against them is recorded within {months} months {after_what}: "
            f"{list_entries(later)}."
        )
        # Single days first: one of them is nearly always surely after its referral.
        single = [e for e in later if e.date.earliest == e.date.latest]
        others = [e for e in later if e.date.earliest != e.date.latest]
        if not any(self._surely_after(e, starts, ends, group) for e in [*single, *others]):
            text += uncertainty_note([*named, *later], "they could come after the referral")
        yield self.flag(text, [*named, *later], [victim])

    @staticmethod
    def _surely_after(
        event: EntryRecord, starts: list[dt.date], ends: list[dt.date], group: list[EntryRecord]
    ) -> bool:
        """Whether a referral surely came before the event, with the event in its window."""
        last = bisect.bisect_right(starts, event.date.latest)
        return any(
            surely_precedes(group[i], event) and event.date.could_fall_within(starts[i], ends[i])
            for i in range(last - 1, -1, -1)
        )
