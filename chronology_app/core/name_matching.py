"""Whether two names may be one person's: the same name, an alias, or a close spelling variant
(Stephen / Steven, McAllister / Mac Allister, a dropped accent, forename and surname swapped).

Each name gives a few *keys* (its normalised form with the words sorted, the sounds of its first
and last words, and the start of them). Keys are worked out in Python when a person is saved and
stored beside the person (`person_name_key`), so a database can find candidates by an indexed
equality join instead of comparing every person with every other; each candidate pair is then
checked here, and the reason it may be the same person is said in words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import jellyfish
from rapidfuzz import fuzz

# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"}
)
# Prefixes written joined or apart ("Mac Allister", "McAllister", "O'Brien", "O Brien").
_JOINED_PREFIXES = ("mac", "mc", "o")
# How close two spellings must be (rapidfuzz's ratio, 0-100) to be suggested on spelling alone,
# and when they sound alike.
CLOSE_SPELLING = 88
SOUNDS_ALIKE_SPELLING = 70


# Names are worked out once each (a supervisor's suggestions compare each name with many).
_CACHED = 65_536


@lru_cache(maxsize=_CACHED)
def normalise_name(name: str) -> str:
    """Case, accents, punctuation and spacing do not tell two names apart."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_UNDECOMPOSED))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", plain).split())


@lru_cache(maxsize=_CACHED)
def _words(name: str) -> tuple[str, ...]:
    """The name's words with Mc/Mac and O' joined to what follows, and Mac written Mc."""
    words = normalise_name(name).split()
    joined: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word in _JOINED_PREFIXES and index + 1 < len(words):
            word += words[index + 1]
            index += 1
        if word.startswith("mac") and len(word) > 5:
            word = "mc" + word[3:]
        joined.append(word)
        index += 1
    return tuple(joined)


def canonical(name: str) -> str:
    """The name's words, Mc/Mac and O' joined, in alphabetical order (so a swapped forename
    and surname give the same form)."""
    return " ".join(sorted(_words(name)))


@lru_cache(maxsize=_CACHED)
def _sounds(word: str) -> str:
    return jellyfish.metaphone(word) or word


def name_keys(names: Iterable[str]) -> set[str]:
    """The keys under which a person with these names (name and aliases) is filed."""
    keys: set[str] = set()
    for name in names:
        words = _words(name)
        if not words:
            continue
        keys.add("n:" + " ".join(sorted(words)))
        if len(words) >= 2:
            first, last = words[0], words[-1]
            keys.add("p:" + "|".join(sorted((_sounds(first), _sounds(last)))))
            keys.add("s:" + "|".join(sorted((first[:1] + last[:3], last[:1] + first[:3]))))
    return keys


class NameMatch(NamedTuple):
    """Why two names may be one person's, in words (a tuple: a supervisor's list makes
    100,000)."""

    why: str
    exact: bool  # the same name once case, accents, punctuation and spacing are set aside
    name: str  # the first person's name that matched, normalised


def compare_names(first: Iterable[str], second: Iterable[str]) -> NameMatch | None:
    """The closest way any of the first person's names (name and aliases) matches any of the
    second's, or None when none is close enough to suggest."""
    return compare_forms(forms_of(first), forms_of(second))


@dataclass(frozen=True, slots=True)
class NameForms:
    """What the comparison reads of one name, worked out once a name (forms_of)."""

    name: str  # as written
    plain: str
    folded: tuple[str, ...]
    words: tuple[str, ...]
    sorted_words: tuple[str, ...]
    joined: str
    sound: tuple[str, ...]


def forms_of(names: Iterable[str]) -> tuple[NameForms, ...]:
    """A person's names (name and aliases) as the comparison reads them."""
    return tuple(map(_forms, names))


def compare_forms(first: Sequence[NameForms], second: Sequence[NameForms]) -> NameMatch | None:
    """`compare_names` for names already worked out (forms_of)."""
    if len(first) == 1 and len(second) == 1:  # most persons have no alias
        found = compare_one(first[0], second[0])
        return found[1] if found is not None else None
    best: tuple[int, NameMatch] | None = None
    for a in first:
        for b in second:
            found = compare_one(a, b)
            if found is not None and (best is None or found[0] > best[0]):
                best = found
    return best[1] if best else None


@lru_cache(maxsize=_CACHED)
def _forms(name: str) -> NameForms:
    words = _words(name)
    return NameForms(
        name,
        normalise_name(name),
        tuple(name.casefold().split()),
        words,
        tuple(sorted(words)),
        " ".join(words),
        _sound_key(words),
    )


def compare_one(one: NameForms, two: NameForms) -> tuple[int, NameMatch] | None:
    """How close one name is to another (a rank, higher is closer, and why), or None."""
    plain_a = one.plain
    if not plain_a or not two.plain:
        return None
    a, b = one.name, two.name
    if plain_a == two.plain:
        if one.folded == two.folded:
            return 5, _match(NameMatch, (f'the same name ("{a}")', True, plain_a))
        why = f"the same name but for accents or punctuation ({a} / {b})"
        return 5, _match(NameMatch, (why, True, plain_a))
    if one.words == two.words:
        why = f"the same name written apart or joined ({a} / {b})"
        return 4, _match(NameMatch, (why, False, plain_a))
    if one.sorted_words == two.sorted_words:
        why = f"forename and surname swapped ({a} / {b})"
        return 4, _match(NameMatch, (why, False, plain_a))
    ratio = fuzz.ratio(one.joined, two.joined)
    if one.sound == two.sound and ratio >= SOUNDS_ALIKE_SPELLING:
        return 3, _match(NameMatch, (f"names that sound alike ({a} / {b})", False, plain_a))
    if ratio >= CLOSE_SPELLING or fuzz.token_sort_ratio(one.joined, two.joined) >= CLOSE_SPELLING:
        return 2, _match(NameMatch, (f"a close spelling ({a} / {b})", False, plain_a))
    return None


# NameMatch(why, exact, name) made straight (a third of the time: a supervisor's list makes
# 100,000)
_match = tuple.__new__


def _sound_key(words: Sequence[str]) -> tuple[str, ...]:
    if len(words) < 2:
        return tuple(_sounds(word) for word in words)
    return tuple(sorted((_sounds(words[0]), _sounds(words[-1]))))
