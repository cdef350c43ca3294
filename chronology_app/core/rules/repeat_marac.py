"""Rule 19: a DA event about a victim within twelve months after their MARAC referral."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator
from functools import partial

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    DateIndex,
    Facts,
    SpanCover,
    add_days,
    add_months,
    group_by_spans,
    list_entries,
    may_follow,
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
            for _, group in group_by_spans(list(zip(referrals, windows, strict=True)), windows):
                yield from self._flag(facts, victim, group, events, months)

    def _flag(
        self,
        facts: Facts,
        victim: str,
        windowed: list[tuple[EntryRecord, tuple[dt.date, dt.date]]],
        events: DateIndex,
        months: int,
    ) -> Iterator[Flag]:
        group = [referral for referral, _ in windowed]
        starts = [start for _, (start, _) in windowed]  # in order, as the referrals are
        ends = [end for _, (_, end) in windowed]
        reach = list(itertools.accumulate(ends, max))
        referrals = set(group)

        def after(event: EntryRecord, i: int) -> bool:
            return may_follow(event, group[i]) and event.date.could_fall_within(starts[i], ends[i])

        def counts(event: EntryRecord) -> bool:
            """Whether the event may follow some referral of the group within its window."""
            earlier = bisect.bisect_left(starts, event.date.latest)  # start before its last day
            same_day = bisect.bisect_right(starts, event.date.latest)  # start on its last day
            if event in referrals:  # a referral recorded as abuse: not after itself
                return any(after(event, i) for i in range(same_day))
            # Of the referrals starting before the event's last day, one whose window reaches
            # its first day; on the same day, `sequence` decides.
            return (earlier > 0 and reach[earlier - 1] >= event.date.earliest) or any(
                after(event, i) for i in range(earlier, same_day)
            )

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
        if not self._any_surely_after(group, later, months):
            text += uncertainty_note(
                [*named, *later], f"they could fall within {months} months after the referral"
            )
        yield self.flag(text, [*named, *later], [victim])

    @staticmethod
    def _any_surely_after(
        referrals: list[EntryRecord], events: list[EntryRecord], months: int
    ) -> bool:
        """Whether some event surely came after a referral and surely within its window:
        wholly from the day after the referral to the window's end, or on the same day as an
        exact referral recorded before it (`sequence`)."""
        cover = SpanCover(
            (add_days(r.date.latest, 1), add_months(r.date.latest, months)) for r in referrals
        )
        same_day: dict[dt.date, int] = {}
        for r in referrals:
            if r.date.is_exact:
                day = r.date.earliest
                same_day[day] = min(same_day.get(day, r.sequence or 0), r.sequence or 0)
        return any(
            cover.holds(e.date)
            or (
                e.date.is_exact
                and e.date.earliest in same_day
                and same_day[e.date.earliest] < (e.sequence or 0)
            )
            for e in events
        )
