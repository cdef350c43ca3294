"""Finding restricted people's names in free text, in every form, in one pass.

A family-facing report must not print a restricted person's name in any form a reader would
recognise: any capitalisation ("PETTIGREW"), with or without accents in either Unicode normal
form ("Sondergard" for "Søndergård"), curly or straight apostrophes ("O’Rourke"), possessives
and plurals ("the Quartermaines"), titles ("Aunt Vantongeren"), each part of a double-barrelled
or hyphenated surname on its own, and e-mail addresses or handles built from the name
("zeb.quartermaine@…", "zebedee_quartermaine77").

How it works, near-linear whatever the input:

- Text is compared in a normal form: NFKC, transliterated to ASCII with the pinned `anyascii`
  (ø, æ, ß and ł do not decompose, so NFKD alone is not enough), case-folded, apostrophes and
  dashes made one character each, combining marks and zero-width characters dropped. An offset
  map leads each normal-form character back to the original, so a mention is replaced whole.
  Plain ASCII text (most of a chronology) skips the per-character work.
- All restricted name parts of the case go into ONE compiled regular expression: the parts as
  a prefix trie (so the engine tries only the parts that start with the character it is at),
  runs of parts separated by spaces, commas, full stops or hyphens, an optional title before and
  a possessive or plural after. E-mail addresses and handles are found by the same pass and
  searched inside for name parts. One `finditer` per text; no loop over names or entries.
- Each mention is then judged: a part only restricted people have is certain; a part that an
  unrestricted person of the case also has (the family's surname) is certain only next to
  another part of the same restricted person's name (or inside an e-mail or handle with one);
  on its own it is a warning to review. A part that is also an everyday word ("Will", "Rose")
  is certain when capitalised and a warning in lower case. Parts of one or two letters count
  only next to another part of the name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from anyascii import anyascii

from chronology_app.core.records import PersonRecord

CACHE_SIZE = 50_000  # texts whose mentions are kept (a report masks the same strings often)
MIN_PART = 3  # shorter parts ("Jo", "Al") count only next to another part of the name


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TITLES = _words(
    "mr mrs ms miss mx dr prof sir dame lady lord aunt auntie aunty uncle nan nana nanna "
    "gran granny grandma grandad grandpa grandmother grandfather cousin pc dc ds"
)
# Name parts that are also everyday words: in lower case they are a warning, not a stop.
EVERYDAY = frozenset(
    _words(
        "will may rose hope grace faith joy mark bill ray dawn summer june april august amber "
        "ruby violet lily iris holly ivy daisy pearl jack frank sue pat rich young little "
        "long brown green white black king wood hill field stone baker cook smith hunter "
        "mason page bell hall lane rice ward chase drew gene guy jay max miles neil penny "
        "sandy victor grant ash river rowan sky star"
    )
)

_APOSTROPHES = {"`": "'", "ʹ": "'", "ʻ": "'"}
_PART_SPLIT = re.compile(r"[^a-z0-9']+")
_ALNUM = "a-z0-9"
# E-mail addresses, @handles and joined tokens (zeb.quartermaine, zebedee_quartermaine77).
_TOKEN = (
    rf"[{_ALNUM}][{_ALNUM}._%+'-]*@[{_ALNUM}.-]*[{_ALNUM}]"
    rf"|@[{_ALNUM}_.]*[{_ALNUM}]"
    rf"|[{_ALNUM}]+(?:[._][{_ALNUM}]+|_)+"
    rf"|[a-z]+[0-9]+[{_ALNUM}]*"
)
_SUFFIXES = ("'s", "s'", "'", "es", "s")
_RUN_WORD = re.compile(r"[^\s,.-]+")


@dataclass(frozen=True, slots=True)
class Mention:
    """A restricted person's name found in a text: `start:end` in the original text."""

    start: int
    end: int
    text: str  # the words as written
    person: str  # the restricted person's id
    certain: bool  # False: a warning to review (a shared part on its own, an everyday word)
    why: str  # "a restricted person's name", "... alias", "an e-mail or handle built from ..."


# --- the normal form ---------------------------------------------------------------------------

_pieces: dict[str, str] = {}


def _piece(char: str) -> str:
    piece = _pieces.get(char)
    if piece is None:
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):  # combining marks, zero-width
            piece = ""
        else:
            folded = unicodedata.normalize("NFKC", char)
            piece = (folded if folded.isascii() else anyascii(folded)).lower()
            piece = "".join(_APOSTROPHES.get(c, c) for c in piece)
        _pieces[char] = piece
    return piece


class _Pieces(dict[int, str]):
    """A `str.translate` table that works each character's piece out on first use."""

    def __missing__(self, code: int) -> str:
        piece = _piece(chr(code))
        self[code] = piece
        return piece


_TABLE = _Pieces()


def normal_text(text: str) -> str:
    """The normal form alone (no offsets), in one C-level pass: for the quick test."""
    if text.isascii():
        return text.lower().replace("`", "'")
    return text.translate(_TABLE)


def normal_form(text: str) -> tuple[str, list[int] | None]:
    """The text as names are compared, and where each of its characters came from (None: the
    same place, for ASCII text)."""
    if text.isascii():
        return text.lower().replace("`", "'"), None
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = _pieces.get(char)
        if piece is None:
            piece = _piece(char)
        if piece:
            pieces.append(piece)
            origin.extend([index] * len(piece))
    return "".join(pieces), origin


def name_parts(name: str) -> list[str]:
    """The parts of a name in normal form, each apostrophe variant too ("o'rourke", "orourke",
    "rourke")."""
    parts: list[str] = []
    for piece in _PART_SPLIT.split(normal_form(name)[0]):
        part = piece.strip("'")
        if not part:
            continue
        parts.append(part)
        if "'" in part:
            parts.append(part.replace("'", ""))
            parts.extend(p for p in part.split("'") if len(p) >= MIN_PART)
    return parts


# --- one expression for every name -------------------------------------------------------------


def trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of `words`, as a prefix trie (longest first at each
    branch). Common prefixes are written once, so deep tries stay shallow to compile."""
    unique = sorted(set(words))
    if not unique:
        return "(?!)"
    return _trie(unique)


def _trie(words: list[str]) -> str:
    # `words` sorted, distinct, non-empty strings except possibly "".
    prefix = _common_prefix(words)
    rest = [w[len(prefix) :] for w in words]
    optional = "" in rest
    branches: dict[str, list[str]] = {}
    for word in rest:
        if word:
            branches.setdefault(word[0], []).append(word)
    alternatives = []
    for group in branches.values():
        alternatives.append(re.escape(group[0]) if len(group) == 1 else _trie(group))
    body = ""
    if alternatives:
        body = "(?:" + "|".join(alternatives) + ")" + ("?" if optional else "")
    return re.escape(prefix) + body


def _common_prefix(words: list[str]) -> str:
    first, last = words[0], words[-1]  # sorted: their common prefix is everyone's
    size = 0
    while size < len(first) and size < len(last) and first[size] == last[size]:
        size += 1
    return first[:size]


@dataclass(frozen=True, slots=True)
class _Part:
    persons: frozenset[int]  # indexes of restricted persons with this part
    aliases: frozenset[int]  # of those, whose part comes from an alias only
    shared: bool  # an unrestricted person of the case has it too
    weak: bool  # too short to count on its own
    everyday: bool


class NameMatcher:
    """Restricted people's names in free text; built once per case and report."""

    def __init__(
        self, restricted: Sequence[PersonRecord], others: Sequence[PersonRecord] = ()
    ) -> None:
        self.persons = tuple(restricted)
        unrestricted = {
            part for p in others for name in (p.name, *p.aliases) for part in name_parts(name)
        }
        owners: dict[str, set[int]] = {}
        from_name: dict[str, set[int]] = {}
        for index, person in enumerate(self.persons):
            for number, name in enumerate((person.name, *person.aliases)):
                for part in set(name_parts(name)):
                    owners.setdefault(part, set()).add(index)
                    if number == 0:
                        from_name.setdefault(part, set()).add(index)
        self._parts = {
            part: _Part(
                frozenset(who),
                frozenset(who - from_name.get(part, set())),
                part in unrestricted,
                len(part) < MIN_PART,
                part in EVERYDAY,
            )
            for part, who in owners.items()
        }
        self._pattern: re.Pattern[str] | None = None
        self._inner: re.Pattern[str] | None = None
        self._theirs: re.Pattern[str] | None = None  # parts only unrestricted people have
        self._any: re.Pattern[str] | None = None  # any part anywhere: most texts have none
        self._cache: dict[str, list[Mention]] = {}
        if self._parts:
            parts = trie_pattern(self._parts)
            one = rf"(?:{parts})(?:es|s)?(?![{_ALNUM}])"
            titles = trie_pattern(TITLES)
            run = rf"(?:(?:{titles})\.?\s{{1,3}})?{one}(?:[\s,.-]{{1,4}}{one})*"
            # A token starts only where no token character comes before it: otherwise each
            # "a" of "a-a-a-…" would scan the rest again, quadratic in the text's length.
            self._pattern = re.compile(
                rf"(?<![{_ALNUM}._%+'@-])(?P<token>{_TOKEN})|(?<![{_ALNUM}])(?P<run>{run})"
            )
            self._any = re.compile(parts)
            strong = [p for p in self._parts if len(p) >= MIN_PART]
            self._inner = re.compile(trie_pattern(strong)) if strong else None
            theirs = [p for p in unrestricted - set(self._parts) if len(p) >= MIN_PART]
            self._theirs = re.compile(trie_pattern(theirs)) if theirs else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def mentions(self, text: str | None) -> list[Mention]:
        """Every mention of a restricted person's name in `text`, certain or to review."""
        if not text or self._pattern is None:
            return []
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        found = self._find(text)
        if len(self._cache) > CACHE_SIZE:
            self._cache.clear()
        self._cache[text] = found
        return found

    def _find(self, text: str) -> list[Mention]:
        assert self._pattern is not None and self._any is not None
        if self._any.search(normal_text(text)) is None:  # no part of any name, in any form
            return []
        norm, origin = normal_form(text)
        found: list[Mention] = []
        for match in self._pattern.finditer(norm):
            if match.group("token") is not None:
                spans = [(match.start(), match.end(), self._judge_token(match.group()))]
            else:
                spans = [
                    (a, b, self._judge_run(norm[a:b], text, origin, a, b))
                    for a, b in self._segments(match.group(), match.start())
                ]
            for first, last, judged in spans:
                if judged is None:
                    continue
                person, certain, why = judged
                start, end = _original_span(text, origin, first, last)
                found.append(Mention(start, end, text[start:end], self._id(person), certain, why))
        return found

    def _segments(self, run: str, offset: int) -> list[tuple[int, int]]:
        """A run of name parts cut where it passes from one person's name to another's
        ("Siobhan, Greta" is two mentions; "Smith, Mary" is one)."""
        words = [(m.start(), m.end(), m.group().strip("'")) for m in _RUN_WORD.finditer(run)]
        title_start: int | None = None
        if len(words) > 1 and words[0][2] in TITLES:
            title_start = words[0][0]
            words = words[1:]
        segments: list[tuple[int, int]] = []
        current: frozenset[int] | None = None
        begin = end = 0
        for start, stop, word in words:
            part = self._lookup(word)
            persons = part.persons if part is not None else frozenset()
            if current is not None and current & persons:
                current, end = current & persons, stop
                continue
            if current is not None:
                segments.append((begin, end))
            current, begin, end = persons, start, stop
        if current is not None:
            segments.append((begin, end))
        if title_start is not None and segments:
            segments[0] = (title_start, segments[0][1])
        return [(offset + a, offset + b) for a, b in segments]

    def _id(self, index: int) -> str:
        return self.persons[index].id

    def mask(self, text: str, labels: dict[str, str]) -> str:
        """`text` with every certain mention replaced whole by its person's label."""
        if not text or self._pattern is None:
            return text
        pieces: list[str] = []
        last = 0
        for mention in self.mentions(text):
            if not mention.certain:
                continue
            pieces.append(text[last : mention.start])
            pieces.append(labels[mention.person])
            last = mention.end
        if not pieces:
            return text
        pieces.append(text[last:])
        return "".join(pieces)

    # --- judging a match -----------------------------------------------------------------------

    def _lookup(self, word: str) -> _Part | None:
        part = self._parts.get(word)
        if part is not None:
            return part
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and (part := self._parts.get(word[: -len(suffix)])):
                return part
        return None

    def _judge_run(
        self, run: str, text: str, origin: list[int] | None, start: int, end: int
    ) -> tuple[int, bool, str] | None:
        words = [w.strip("'") for w in re.split(r"[\s,.-]+", run) if w.strip("'")]
        if len(words) > 1 and words[0] in TITLES:
            words = words[1:]
        parts = [part for word in words if (part := self._lookup(word)) is not None]
        if not parts:
            return None
        counts: dict[int, int] = {}
        for part in parts:
            for person in part.persons:
                counts[person] = counts.get(person, 0) + 1
        best = max(counts, key=lambda p: (counts[p], -p))
        named = any(best in p.persons and best not in p.aliases for p in parts)
        why = "a restricted person's name" if named else "a restricted person's alias"
        if counts[best] >= 2:
            return best, True, why
        part = next(p for p in parts if best in p.persons)
        if part.weak:
            return None
        if part.shared:
            return best, False, why + ", also the name of someone not restricted"
        if part.everyday and not _capitalised(text, origin, start, end):
            return best, False, why + ", also an everyday word"
        return best, True, why

    def _judge_token(self, token: str) -> tuple[int, bool, str] | None:
        if self._inner is None:
            return None
        parts = [self._parts[m.group()] for m in self._inner.finditer(token)]
        if not parts:
            return None
        counts: dict[int, int] = {}
        for part in parts:
            for person in part.persons:
                counts[person] = counts.get(person, 0) + 1
        best = max(counts, key=lambda p: (counts[p], -p))
        why = "an e-mail address or handle built from a restricted person's name"
        if counts[best] >= 2 or any(not p.shared and best in p.persons for p in parts):
            return best, True, why
        if self._theirs is not None and self._theirs.search(token):
            return None  # john.smith@…: built from the unrestricted John Smith's name
        return best, False, why + ", with a part someone not restricted also has"


def _capitalised(text: str, origin: list[int] | None, start: int, end: int) -> bool:
    first, _ = _original_span(text, origin, start, end)
    return text[first].isupper()


def _original_span(text: str, origin: list[int] | None, start: int, end: int) -> tuple[int, int]:
    if origin is None:
        return start, end
    first = origin[start]
    last = origin[end - 1] + 1
    # Combining marks and zero-width characters after the mention belong to it.
    while last < len(text) and not _piece(text[last]):
        last += 1
    return first, last
