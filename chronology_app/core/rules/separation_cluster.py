"""Rule 11: separation, coercive control and physical or sexual abuse close together."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.base import Flag, Rule
from chronology_app.core.rules.facts import (
    DateIndex,
    Facts,
    add_days,
    add_months,
    list_entries,
    merge_spans,
    uncertainty_note,
)

VIOLENCE = frozenset({"physical", "sexual"})


class SeparationCluster(Rule):
    id = "separation-cluster"
    severity = "high"
    title = "Separation, coercive control and violence together"
    suggested_action = "Treat as high risk; review the safety plan."
    basis = "The separation / coercive control / violence 'cluster' in local DASH guidance."
    defaults = {"window_months": 12}

    def find(self, facts: Facts) -> Iterator[Flag]:
        months = self.param("window_months")
        for couple in facts.couples:
            entries = facts.couple_entries(couple)
            controlling = [e for e in entries if "coercive_control" in e.tags]
            violent = [e for e in entries if e.tags & VIOLENCE]
            # Where a window of `months` could start so as to hold a controlling and a violent
            # entry: possibly, and surely (see _starts).
            possible = _both(_starts(controlling, months), _starts(violent, months))
            sure = _both(
                _starts(controlling, months, surely=True), _starts(violent, months, surely=True)
            )
            separations: list[EntryRecord] = []
            spans: list[tuple[dt.date, dt.date]] = []
            certain = False
            for separation in (e for e in entries if e.kind == "separation"):
                if not _meets(possible, _starts([separation], months)):
                    continue
                separations.append(separation)
                spans.append(
                    (
                        add_months(separation.date.earliest, -months),
                        add_months(separation.date.latest, months),
                    )
                )
                certain = certain or _meets(sure, _starts([separation], months, surely=True))
            if not separations:
                continue
            # Name every controlling and violent entry within the span of these separations.
            found_c = DateIndex(controlling).may_fall_any(spans)
            found_v = DateIndex(violent).may_fall_any(spans)
            text = (
                f"In the relationship between {facts.names(couple)}, separation in "
                f"{list_entries(separations)} comes within {months} months of coercive "
                f"control in {list_entries(found_c)} and of physical or sexual abuse in "
                f"{list_entries(found_v)}."
            )
            evidence = [*separations, *found_c, *found_v]
            if not certain:
                text += uncertainty_note(evidence, f"they could fall within {months} months")
            yield self.flag(text, evidence, couple)


# A separation, a controlling entry and a violent one "could fall within 12 months" when some
# window of 12 months could hold all three: when the days on which such a window could start
# (for each entry, the window starts from which it could fall in the window) have a day in
# common. So each kind of entry is turned once into the merged spans of days a window holding
# one of them could start, and a separation is checked against both by bisection, instead of
# trying every pair of entries near it. "Surely" is the same with windows that must hold the
# whole of each date.

Spans = list[tuple[dt.date, dt.date]]


def _first_start(day: dt.date, months: int) -> dt.date:
    """The first day a window of `months` months can start and still reach `day`."""
    start = add_months(day, -months)
    while start < day and add_months(start, months) < day:  # a short month cut the end
        start = add_days(start, 1)
    return start


def _starts(entries: list[EntryRecord], months: int, *, surely: bool = False) -> Spans:
    """The merged spans of days on which a window of `months` months could start and hold
    (possibly, or surely) one of the entries."""
    spans = []
    for entry in entries:
        earliest, latest = entry.date.earliest, entry.date.latest
        if surely:
            first, last = _first_start(latest, months), earliest
        else:
            first, last = _first_start(earliest, months), latest
        if first <= last:
            spans.append((first, last))
    return merge_spans(spans)


def _both(first: Spans, second: Spans) -> Spans:
    """The days in both (each merged and in order)."""
    both: Spans = []
    i = j = 0
    while i < len(first) and j < len(second):
        start, end = max(first[i][0], second[j][0]), min(first[i][1], second[j][1])
        if start <= end:
            both.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return both


def _meets(spans: Spans, others: Spans) -> bool:
    """Whether the merged spans share a day with any of `others`."""
    ends = [end for _, end in spans]
    for start, end in others:
        index = bisect.bisect_left(ends, start)  # the first span ending on or after `start`
        if index < len(spans) and spans[index][0] <= end:
            return True
    return False
