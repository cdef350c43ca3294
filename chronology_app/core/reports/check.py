"""The check before anything family-facing is produced.

- **Stops** (errors): shared text that mentions a restricted person's name, alias, or any form
  of them `names.py` recognises (a part only restricted people have, a full name, an e-mail
  address or handle built from the name). One line each, e.g.
  `E0012 impact: "Blackwood" (a restricted person's name)`. The report is not produced.
- **Warnings to review**: a name part a restricted person shares with someone who is not
  restricted, on its own ("Smith" in the Smith family); a name part that is also an everyday
  word, in lower case; and shared entries whose text closely resembles a restricted entry (an
  "impact" that restates a restricted police caution), with the words that matched. Found by
  runs of three content words in common (at least two such runs; an index, so the check stays
  linear), then scored with rapidfuzz.

A practitioner who has read a warned entry can sign it off ("checked, safe to share"): the
service records that in the audit trail with the entry's fingerprint, and a later edit of the
entry changes the fingerprint, which clears the sign-off.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from chronology_app.core.model.vocabulary import reading
from chronology_app.core.records import CaseData, EntryRecord
from chronology_app.core.reports.names import NameMatcher

# What a shared entry prints, and the words its findings name.
ENTRY_FIELDS = (
    "summary",
    "detail",
    "impact",
    "action",
    "date_text",
    "source_agency",
    "source_reference",
)
FIELD_WORDS = {"date_text": "date", "source_agency": "source", "source_reference": "reference"}
RESEMBLANCE = 80  # rapidfuzz token-set ratio at or above which a warning is given
SHINGLE = 3  # words in a row that two texts must share to be compared at all
MIN_SHINGLES = 2  # ... and how many such runs (four words in a row make two)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_STOP = frozenset(
    _words(
        "a an and the of to in on at for with by from was were is are be been has had have he "
        "she they it his her their them this that as not no but or"
    )
)


@dataclass(frozen=True, slots=True)
class Finding:
    where: str  # "E0012" or "case" or a person's place
    field: str  # "impact", "summary", ...
    words: str  # what matched, as written
    why: str
    stops: bool  # True: an error that stops the report; False: a warning to review
    entry_id: str | None = None
    signed_off: bool = False

    def line(self) -> str:
        return f'{self.where} {self.field}: "{self.words}" ({self.why})'


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.stops)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Warnings not yet signed off."""
        return tuple(f for f in self.findings if not f.stops and not f.signed_off)

    @property
    def passed(self) -> bool:
        return not self.errors


def entry_fingerprint(entry: EntryRecord) -> str:
    """What a sign-off is for: the entry's printed text. Any edit of it changes this."""
    content = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    content["id"] = entry.id
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def _case_texts(case: CaseData) -> Iterator[tuple[str, str, str, str | None]]:
    """(where, field, text, entry id) of everything a family-facing report prints."""
    record = case.case
    for name in ("title", "reference", "local_authority", "worker", "team", "protective_marking"):
        value = getattr(record, name)
        if value:
            yield "case", reading(name), value, None
    for person in case.persons:
        if person.restricted:
            continue
        yield f"person {person.id}", "name", person.name, None
        for alias in person.aliases:
            yield f"person {person.id}", "alias", alias, None
    for entry in case.entries:
        if entry.restricted:
            continue
        for name in ENTRY_FIELDS:
            value = getattr(entry, name)
            if value:
                yield entry.ref, FIELD_WORDS.get(name, name), value, entry.id


def check_shared(
    case: CaseData, signed_off: Mapping[str, str] | None = None, matcher: NameMatcher | None = None
) -> CheckResult:
    """Check what a family-facing report of `case` would print. `signed_off` maps an entry id
    to the fingerprint it was signed off with."""
    signed = signed_off or {}
    if matcher is None:
        restricted = [p for p in case.persons if p.restricted]
        matcher = NameMatcher(restricted, [p for p in case.persons if not p.restricted])
    findings: list[Finding] = []
    fingerprints: dict[str, str] = {}

    def is_signed(entry_id: str | None) -> bool:
        if entry_id is None or entry_id not in signed:
            return False
        if entry_id not in fingerprints:
            fingerprints[entry_id] = entry_fingerprint(case.entry_by_id[entry_id])
        return signed[entry_id] == fingerprints[entry_id]

    for where, field, text, entry_id in _case_texts(case):
        for mention in matcher.mentions(text):
            if where.startswith("person ") and not mention.certain:
                continue  # John Smith's own name shares a part with Mary Smith's: expected
            findings.append(
                Finding(
                    where,
                    field,
                    mention.text,
                    mention.why,
                    mention.certain,
                    entry_id,
                    signed_off=not mention.certain and is_signed(entry_id),
                )
            )
    for finding in _resemblances(case):
        findings.append(
            Finding(
                finding.where,
                finding.field,
                finding.words,
                finding.why,
                False,
                finding.entry_id,
                signed_off=is_signed(finding.entry_id),
            )
        )
    return CheckResult(tuple(findings))


def _content_words(text: str) -> list[str]:
    return [w for w in (m.group().casefold() for m in _WORD.finditer(text)) if w not in _STOP]


def _resemblances(case: CaseData) -> Iterator[Finding]:
    """Shared entry texts that closely resemble a restricted entry's text."""
    index: dict[tuple[str, ...], set[int]] = {}
    restricted: list[tuple[EntryRecord, str, list[str]]] = []
    for entry in case.entries:
        if not entry.restricted:
            continue
        text = " ".join(v for name in ENTRY_FIELDS[:4] if (v := getattr(entry, name)))
        words = _content_words(text)
        number = len(restricted)
        restricted.append((entry, text.casefold(), words))
        for i in range(len(words) - SHINGLE + 1):
            index.setdefault(tuple(words[i : i + SHINGLE]), set()).add(number)
    if not index:
        return
    # The same wording recurs in a chronology: each distinct text is compared once.
    memo: dict[str, list[tuple[int, float, str]]] = {}

    def compare(text: str) -> list[tuple[int, float, str]]:
        words = _content_words(text)
        hits: dict[int, int] = {}
        for i in range(len(words) - SHINGLE + 1):
            for number in index.get(tuple(words[i : i + SHINGLE]), ()):
                hits[number] = hits.get(number, 0) + 1
        candidates = [number for number, count in hits.items() if count >= MIN_SHINGLES]
        found = []
        folded, mine = text.casefold(), set(words)
        for number in sorted(candidates):
            _, other_text, other_words = restricted[number]
            score = fuzz.token_set_ratio(folded, other_text, score_cutoff=RESEMBLANCE)
            if score:
                common = " ".join(dict.fromkeys(w for w in other_words if w in mine))
                found.append((number, score, common))
        return found

    for entry in case.entries:
        if entry.restricted:
            continue
        for name in ENTRY_FIELDS[:4]:
            text = getattr(entry, name)
            if not text:
                continue
            if text not in memo:
                memo[text] = compare(text)
            for number, score, common in memo[text]:
                yield Finding(
                    entry.ref,
                    name,
                    common,
                    f"closely resembles restricted entry {restricted[number][0].ref} "
                    f"({score:.0f}% alike)",
                    False,
                    entry.id,
                )
