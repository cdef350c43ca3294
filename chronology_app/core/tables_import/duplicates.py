"""Rows that may record an event already in the case (the same incident from another agency).

A row and an existing entry are offered as a possible pair when their dates could overlap and
either their text is closely alike or, for dates no wider than a few days, the row names a
person the entry names and the text is at least loosely alike. How alike two texts are is the
mean of rapidfuzz's token-set ratio (word order, and words only one of them has, do not count)
and its token-sort ratio (extra words do count), so that "Visit" is not taken as the same as
"Home visit by police". Each pair says why it matched. The user decides: a separate event, the
same event (`same_event_as`), or leave the row out.

For speed with thousands of rows against thousands of entries, the entries are put in a bucket
for every month they could fall in; a row is compared only with the entries of its months that
really overlap it, and the texts are compared in one rapidfuzz call per row. A row or an entry
whose date spans more than two years ("before 2015", "after 2019") is too vague to be called
the same event as anything.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process, utils

from chronology_app.core.dates import format_day, parse_expression

TEXT_ALIKE = 85  # percent: closely similar wording
LOOSELY_ALIKE = 55  # percent: with the same person named on the same day or days
NARROW_DAYS = 3
MAX_BUCKETS = 24  # months; an entry or row spanning more is compared with everything
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
    text: str  # lower case, punctuation removed
    sorted_text: str  # its words in order, for the token-sort ratio
    persons: frozenset[str]
    agency: str
    narrow: bool  # no wider than NARROW_DAYS


def _words(text: str) -> tuple[str, str]:
    processed = utils.default_process(text)
    return processed, " ".join(sorted(processed.split()))


def _prepared(entry: Mapping[str, Any]) -> _Known:
    date = parse_expression(entry["date"])
    text, sorted_text = _words(str(entry.get("summary", "")))
    persons = frozenset(
        str(link.get("person")) for link in entry.get("persons") or () if isinstance(link, dict)
    )
    agency = str((entry.get("source") or {}).get("agency", ""))
    narrow = (date.latest - date.earliest).days < NARROW_DAYS
    return _Known(
        entry["id"], date.earliest, date.latest, text, sorted_text, persons, agency, narrow
    )


def _month(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _overlap(first: datetime.date, last: datetime.date) -> str:
    if first == last:
        return f"both on {format_day(first)}"
    return f"dates overlap ({format_day(first)} to {format_day(last)})"


class DuplicateFinder:
    def __init__(
        self, existing: Iterable[Mapping[str, Any]], names: Mapping[str, str] | None = None
    ) -> None:
        self._names = dict(names or {})  # person id -> name, for saying why
        self._buckets: dict[int, list[_Known]] = {}
        for entry in existing:
            known = _prepared(entry)
            first, last = _month(known.earliest), _month(known.latest)
            if last - first >= MAX_BUCKETS:
                continue  # too vague to be called the same event as anything
            for month in range(first, last + 1):
                self._buckets.setdefault(month, []).append(known)

    def _candidates(self, earliest: datetime.date, latest: datetime.date) -> list[_Known]:
        first, last = _month(earliest), _month(latest)
        if last - first >= MAX_BUCKETS:
            return []  # "before 2015", "after 2019": too vague to say it is the same event
        pool: Iterable[_Known]
        if first == last:
            pool = self._buckets.get(first, ())
        else:
            pool = {
                k.id: k for m in range(first, last + 1) for k in self._buckets.get(m, ())
            }.values()
        return [k for k in pool if k.earliest <= latest and k.latest >= earliest]

    def find(
        self, row: int, entry: Mapping[str, Any], persons: Sequence[str] = ()
    ) -> list[PossibleDuplicate]:
        date = parse_expression(entry["date"])
        candidates = self._candidates(date.earliest, date.latest)
        if not candidates:
            return []
        text, sorted_text = _words(str(entry.get("summary", "")))
        named = set(persons)
        narrow_row = (date.latest - date.earliest).days < NARROW_DAYS
        loose = (
            {
                index
                for index, known in enumerate(candidates)
                if known.narrow and named & known.persons
            }
            if narrow_row and named
            else set()
        )
        # The token-sort ratio must reach 2 x cutoff - 100 for the mean to reach the cutoff.
        close = {
            index: score
            for _choice, score, index in process.extract(
                sorted_text,
                [known.sorted_text for known in candidates],
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=2 * TEXT_ALIKE - 100,
                limit=None,
            )
        }
        for index in loose - close.keys():
            close[index] = fuzz.ratio(sorted_text, candidates[index].sorted_text)
        found = []
        for index, sort_score in close.items():
            known = candidates[index]
            cutoff = LOOSELY_ALIKE if index in loose else TEXT_ALIKE
            score = (sort_score + fuzz.token_set_ratio(text, known.text, processor=None)) / 2
            if score < cutoff:
                continue
            first, last = max(date.earliest, known.earliest), min(date.latest, known.latest)
            why = f"{_overlap(first, last)}; the text is {score:.0f}% alike"
            if index in loose:
                shared = sorted(self._names.get(p, p) for p in named & known.persons)
                why += f"; both name {', '.join(shared)}"
            if known.agency:
                why += f"; already recorded by {known.agency}"
            found.append(PossibleDuplicate(row, known.id, why, score))
        found.sort(key=lambda pair: -pair.score)
        return found[:MAX_PAIRS_PER_ROW]
