"""How a flag words what it rests on in another case (spec: rules.md, Cross-case matching).

It names the other case, the name the person is recorded under there and the entries it rests
on, by their number and date in that case, and never that family's victims: a practitioner can
ask for the entries without the flag telling them about another family.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from chronology_app.core.records import EntryRecord
from chronology_app.core.rules.facts import ExternalEntry, Facts, join_words, list_entries


def recorded_elsewhere(
    facts: Facts,
    person: str,
    found: Iterable[ExternalEntry],
    what: str = "a domestic-abuse history",
) -> str:
    """'Ben Test is confirmed as the same person as Benjamin Tester in case LS-2019-0042,
    whose entries record a domestic-abuse history: E0004 (3 March 2019) and E0009 (2019).'
    (one clause per case, in the order of the case references). Empty when nothing is found."""
    by_case: dict[tuple[str, str], list[EntryRecord]] = defaultdict(list)
    for item in found:
        by_case[(item.case_reference, item.recorded_as)].append(item.entry)
    if not by_case:
        return ""
    clauses = [
        # A case the user may not see (a team server): only that it exists, and whom to ask.
        f"as someone in {reference}, whose records show {what}"
        if hidden(reference)
        else f"as {name or 'a person'} in case {reference}, whose entries record {what}: "
        f"{list_entries(entries)}"
        for (reference, name), entries in sorted(by_case.items())
    ]
    joined = clauses[0] if len(clauses) == 1 else "; ".join(clauses[:-1]) + "; and " + clauses[-1]
    return f" {facts.name(person)} is confirmed as the same person {joined}."


def hidden(reference: str) -> bool:
    """A case on a team server the user may not see is named only as "another case in the
    authority (contact team …)" (core/authority.py)."""
    return reference.startswith("another case")


def cases_named(found: Iterable[ExternalEntry]) -> str:
    """'case LS-2019-0042', 'cases LS-2019-0042 and WF-2020-0007', or 'another case in the
    authority (contact team south)'."""
    references = sorted({item.case_reference for item in found})
    named = [ref for ref in references if not hidden(ref)]
    parts = [("case " if len(named) == 1 else "cases ") + join_words(named)] if named else []
    return join_words(parts + [ref for ref in references if hidden(ref)])
