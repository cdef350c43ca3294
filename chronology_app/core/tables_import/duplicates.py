"""Rows that may record an event already in the case (the same incident from another agency).

A row and an existing entry are offered as a possible pair when their dates could overlap and
either their text is closely alike (rapidfuzz's token-set ratio, which ignores word order and
words only one of them has, averaged with the token-sort ratio, in which they count) or, for
dates no wider than a few days, the row names a person the entry names and the text is at
least loosely alike. Each pair says why it matched. The user
decides: a separate event, the same event (`same_event_as`), or leave the row out.

Existing entries are sorted by their earliest day, so each row compares only with entries that
could overlap it; entries spanning more than `WIDE_DAYS` (a year, a season) are few and are
compared with every row.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, utils

from chronology_app.core.dates import format_day, parse_expression

TEXT_ALIKE = 85  # percent: closely similar wording
LOOSELY_ALIKE = 55  # percent: with the same person named on the same day or days
NARROW_DAYS = 3
WIDE_DAYS = 31
MAX_PAIRS_PER_ROW = 3


@dataclass(frozen=True)
class PossibleDuplicate:
    row: int
    entry: str  # the existing entry's id
    why: str
    score: float

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "entry": self.entry, "why": self.why}


@dataclass(frozen=True)
class _Known:
    id: str
    earliest: datetime.date
    latest: datetime.date
    text: str
    persons: frozenset[str]
    agency: str


def _prepared(entry: Mapping[str, Any]) -> _Known:
    date = parse_expression(entry["date"])
    text = utils.default_process(str(entry.get("summary", "")))
    persons = frozenset(
        link.get("person") for link in entry.get("persons") or () if isinstance(link, dict)
    )
    agency = str((entry.get("source") or {}).get("agency", ""))
    return _Known(entry["id"], date.earliest, date.latest, text, persons, agency)  # type: ignore[arg-type]


def _overlap(first: datetime.date, last: datetime.date) -> str:
    if first == last:
        return f"both on {format_day(first)}"
    return f"dates overlap ({format_day(first)} to {format_day(last)})"


def _alike(first: str, second: str, cutoff: float) -> float:
    """How alike two texts are, 0-100: the mean of rapidfuzz's token-set ratio (word order and
    extra words do not matter) and token-sort ratio (extra words do), so that a short text
    contained in a long one ("Visit" in "Home visit by police") is not taken as the same."""
    sort = fuzz.token_sort_ratio(first, second, processor=None, score_cutoff=2 * cutoff - 100)
    if not sort:
        return 0.0
    score = (sort + fuzz.token_set_ratio(first, second, processor=None)) / 2
    return score if score >= cutoff else 0.0


class DuplicateFinder:
    def __init__(self, existing: Iterable[Mapping[str, Any]]) -> None:
        known = [_prepared(entry) for entry in existing]
        narrow = sorted(
            (k for k in known if (k.latest - k.earliest).days <= WIDE_DAYS),
            key=lambda k: k.earliest,
        )
        self._narrow = narrow
        self._starts = [k.earliest for k in narrow]
        self._wide = [k for k in known if (k.latest - k.earliest).days > WIDE_DAYS]

    def _candidates(self, earliest: datetime.date, latest: datetime.date) -> Iterable[_Known]:
        low = bisect.bisect_left(self._starts, earliest - datetime.timedelta(days=WIDE_DAYS))
        high = bisect.bisect_right(self._starts, latest)
        for known in self._narrow[low:high]:
            if known.latest >= earliest:
                yield known
        for known in self._wide:
            if known.earliest <= latest and known.latest >= earliest:
                yield known

    def find(
        self, row: int, entry: Mapping[str, Any], persons: Sequence[str] = ()
    ) -> list[PossibleDuplicate]:
        date = parse_expression(entry["date"])
        text = utils.default_process(str(entry.get("summary", "")))
        named = set(persons)
        narrow_row = (date.latest - date.earliest).days < NARROW_DAYS
        found = []
        for known in self._candidates(date.earliest, date.latest):
            first, last = max(date.earliest, known.earliest), min(date.latest, known.latest)
            shared = named & known.persons
            narrow = narrow_row and (known.latest - known.earliest).days < NARROW_DAYS
            cutoff = LOOSELY_ALIKE if shared and narrow else TEXT_ALIKE
            score = _alike(text, known.text, cutoff)
            if not score:
                continue
            why = f"{_overlap(first, last)}; the text is {score:.0f}% alike"
            if shared and narrow:
                why += f"; both name {', '.join(sorted(shared))}"
            if known.agency:
                why += f"; already recorded by {known.agency}"
            found.append(PossibleDuplicate(row, known.id, why, score))
        found.sort(key=lambda pair: -pair.score)
        return found[:MAX_PAIRS_PER_ROW]
