"""Same-event groups: one event recorded by several agencies (spec: case-file.md `same_event_as`,
rules.md "What a rule must not do").

Entries joined by `same_event_as` are one event for every rule. The analysis pipeline forms the
groups once, before any rule runs, and gives the rules one merged record per group:

- its date is the intersection of the members' date spans, or their union where they do not
  overlap (and the group is then listed in `Groups.disjoint`, for a warning to the user);
- its persons, tags and sources are those of every member;
- it carries the id of the group's first member in chronological order, and every flag that
  names it names every member (`Groups.expand`).

A family-facing analysis drops restricted entries before the groups are formed, so a restricted
member never joins (or reveals) a group.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from chronology_app.core.dates import PartialDate, parse_expression
from chronology_app.core.records import CaseData, EntryPerson, EntryRecord


@dataclass(frozen=True)
class Groups:
    """The same-event groups of a case: each member's id -> every member's id, in order."""

    members: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Groups whose members' dates do not overlap: their union was used; worth a look.
    disjoint: tuple[tuple[str, ...], ...] = ()

    def of(self, entry_id: str) -> tuple[str, ...]:
        """Every entry in `entry_id`'s group (itself alone when it is in none)."""
        return self.members.get(entry_id, (entry_id,))

    def others(self, entry_id: str) -> tuple[str, ...]:
        return tuple(other for other in self.of(entry_id) if other != entry_id)

    def expand(self, entry_ids: Iterable[str]) -> tuple[str, ...]:
        """Entry ids with each group's representative replaced by all its members."""
        return tuple(dict.fromkeys(member for key in entry_ids for member in self.of(key)))

    def __bool__(self) -> bool:
        return bool(self.members)


def _find(parent: dict[str, str], key: str) -> str:
    root = key
    while parent[root] != root:
        root = parent[root]
    while parent[key] != root:  # path compression
        parent[key], key = root, parent[key]
    return root


def find_groups(
    entries: Sequence[EntryRecord], links: Mapping[str, str]
) -> list[list[EntryRecord]]:
    """The groups (two or more members, each in chronological order) that `links` (entry id ->
    the id it records the same event as) forms among `entries`. Links to an entry that is not
    among `entries` (withdrawn, or restricted in a family-facing analysis) are ignored."""
    by_id = {entry.id: entry for entry in entries}
    parent = {entry.id: entry.id for entry in entries}
    for key, other in links.items():
        if key in parent and other in parent and key != other:
            a, b = _find(parent, key), _find(parent, other)
            if a != b:
                parent[b] = a
    grouped: dict[str, list[EntryRecord]] = {}
    for entry in entries:
        grouped.setdefault(_find(parent, entry.id), []).append(by_id[entry.id])
    groups = [members for members in grouped.values() if len(members) > 1]
    return [sorted(members, key=lambda entry: entry.sort_key) for members in groups]


def _span_date(first: dt.date, last: dt.date) -> PartialDate:
    if first == last:
        return parse_expression(first.isoformat())
    return parse_expression(f"{first.isoformat()}/{last.isoformat()}")


def group_date(members: Sequence[EntryRecord]) -> tuple[PartialDate, bool]:
    """The group's date (the intersection of the members' spans) and whether they overlap at
    all (when they do not, the union is used)."""
    dates = [member.date for member in members]
    if all(date == dates[0] for date in dates):
        return dates[0], True
    start = max(date.earliest for date in dates)
    end = min(date.latest for date in dates)
    if start <= end:
        exact = [date for date in dates if date.earliest == start and date.latest == end]
        return (exact[0] if exact else _span_date(start, end)), True
    start = min(date.earliest for date in dates)
    end = max(date.latest for date in dates)
    return _span_date(start, end), False


def merged_record(members: Sequence[EntryRecord]) -> tuple[EntryRecord, bool]:
    """One record standing for the whole group, for the rules."""
    first = members[0]
    date, overlap = group_date(members)
    persons: dict[tuple[str, str], EntryPerson] = {}
    tags: set[str] = set()
    attributes: dict[str, object] = {}
    for member in members:
        for link in member.persons:
            persons.setdefault((link.person, link.role), link)
        tags |= member.tags
        for key, value in member.attributes.items():
            attributes.setdefault(key, value)
    agencies = ", ".join(dict.fromkeys(member.source_agency for member in members))
    merged = dataclasses.replace(
        first,
        date=date,
        persons=tuple(persons.values()),
        tags=frozenset(tags),
        attributes=MappingProxyType(attributes),
        source_agency=agencies,
    )
    return merged, overlap


def apply_groups(case: CaseData) -> tuple[CaseData, Groups]:
    """The case as the rules see it (each group one record) and the groups found."""
    groups = find_groups(case.entries, links_of(case.entries))
    if not groups:
        return case, Groups()
    members: dict[str, tuple[str, ...]] = {}
    disjoint: list[tuple[str, ...]] = []
    replaced: dict[str, EntryRecord | None] = {}
    for group in groups:
        ids = tuple(member.id for member in group)
        merged, overlap = merged_record(group)
        if not overlap:
            disjoint.append(ids)
        for member in group:
            members[member.id] = ids
            replaced[member.id] = None
        replaced[group[0].id] = merged
    entries: list[EntryRecord] = []
    for entry in case.entries:
        if entry.id not in replaced:
            entries.append(entry)
        elif (merged_entry := replaced[entry.id]) is not None:
            entries.append(merged_entry)
    entries.sort(key=lambda entry: entry.sort_key)
    seen = dataclasses.replace(
        case,
        entries=tuple(entries),
        entry_by_id=MappingProxyType({entry.id: entry for entry in entries}),
    )
    return seen, Groups(MappingProxyType(members), tuple(disjoint))


def links_of(entries: Iterable[EntryRecord]) -> dict[str, str]:
    """The `same_event_as` links among entries: entry id -> the id it names."""
    return {entry.id: entry.same_event_as for entry in entries if entry.same_event_as}
