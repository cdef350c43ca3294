"""How an explanation words what it rests on: dates, entry references, lists of entries and of
people, and the note on uncertain dates. One wording for every rule."""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections.abc import Callable, Iterable, Sequence

from chronology_app.core.dates import PartialDate
from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.timing import chrono
from chronology_app.core.wording import date_shown


def short_date(date: PartialDate) -> str:
    """A date as explanations say it (core/wording.py; no time of day)."""
    return date_shown(date, time=False)


def entry_when(entry: EntryRecord) -> str:
    """'E0003 (14 February 2019)': how an explanation points at an entry. Brackets in the date
    as written become commas, so no bracket is ever inside another."""
    return f"{entry.ref} ({unbracketed(entry.date_text or short_date(entry.date))})"


def unbracketed(text: str) -> str:
    """'during 2019 (neighbour could not say when)' -> 'during 2019, neighbour could not say
    when'."""
    if not _BRACKETS.intersection(text):
        return text
    text = _BRACKETED.sub(lambda found: ", " + found.group(1).strip(), text)
    return " ".join(text.translate(_NO_BRACKETS).split())


_BRACKETS = frozenset("()[]")
_NO_BRACKETS = str.maketrans(dict.fromkeys("()[]", " "))
_BRACKETED = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")

# Past this many days, a date is a wide span: listed after the exactly and narrowly dated.
NARROW_DAYS = 92


def listing_tier(entry: EntryRecord) -> int:
    """0 for an exactly dated entry, 1 for a narrow span (a week, a month, a season), 2 for a
    wide span or an open-ended date."""
    date = entry.date
    if date.earliest == date.latest and not date.approximate:
        return 0
    if date.earliest != dt.date.min and (date.latest - date.earliest).days <= NARROW_DAYS:
        return 1
    return 2


def listing_order(entry: EntryRecord) -> tuple[int, tuple[dt.date, int, dt.date, str]]:
    """How an explanation lists entries: exactly dated first, then narrow spans, then wide
    spans and open-ended dates ("before 2019"); in the rules' order within each. So the
    evidence a reader can check leads, and "before X" does not come first only because its
    earliest possible day is the earliest of all."""
    return listing_tier(entry), entry.rule_order


# An explanation names at most this many entries; the flag's evidence still lists them all.
LISTED = 12


def list_entries(entries: Iterable[EntryRecord]) -> str:
    unique = set(entries)
    # Most entries are exactly dated: then the rules' order (read in C) is the listing order.
    mixed = any(e.date.earliest != e.date.latest or e.date.approximate for e in unique)
    if len(unique) > LISTED:  # only the first few are named: no need to sort them all
        first = heapq.nsmallest(LISTED - 1, unique, key=listing_order if mixed else chrono)
        return listed([entry_when(entry) for entry in first], len(unique), "more")
    ordered = sorted(unique, key=chrono)
    if mixed:
        ordered.sort(key=listing_tier)  # stable: the rules' order within each tier
    return join_words([entry_when(entry) for entry in ordered])


def listed(shown: Sequence[str], total: int, rest: str) -> str:
    """'A, B and C'; when `total` is more than those shown, 'A, B, C and 9 more'."""
    if total > len(shown):
        return ", ".join(shown) + f" and {total - len(shown)} {rest}"
    return join_words(shown)


def join_words(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def uncertain(entries: Iterable[EntryRecord]) -> list[EntryRecord]:
    return sorted({e for e in entries if not e.date.is_exact}, key=chrono)


def uncertainty_note(entries: Iterable[EntryRecord], what: str) -> str:
    """The sentence an explanation adds when uncertain dates decide the result."""
    vague = uncertain(entries)
    if not vague:
        return ""
    return (
        f" Some dates are uncertain: {list_entries(vague)}. The flag is raised because "
        f"{what}, though it is not certain."
    )


Namer = Callable[[str], str]


def in_cases(references: list[str]) -> str:
    """Where history elsewhere is: "case A, B", or, for a case the user may not see on a
    team server, only "another case in the authority (contact team …)" (core/authority.py)."""
    named = [ref for ref in references if not ref.startswith("another case")]
    parts = ([f"case {', '.join(named)}"] if named else []) + [
        ref for ref in references if ref.startswith("another case")
    ]
    return " and ".join(parts)
