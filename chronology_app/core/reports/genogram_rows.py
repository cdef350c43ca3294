"""The family diagram's rows (`genogram.py` draws them): which generation each person is in,
their order in it, and the heights of brackets and sibship lines so that none overlap."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from chronology_app.core.records import PersonRecord, RelationshipRecord


def generations(
    people: Sequence[PersonRecord], links: Sequence[RelationshipRecord]
) -> dict[str, int]:
    """Parents above children, partners and siblings side by side (cycles in bad data are cut
    off after a bounded number of passes)."""
    level = {p.id: 1 if p.is_child else 0 for p in people}
    for _ in range(len(people) + 1):
        changed = False
        for link in links:
            a, b = link.persons
            if link.kind == "parent_child":
                if level[b] < level[a] + 1:
                    level[b], changed = level[a] + 1, True
            elif link.kind in ("intimate_partner", "sibling") and level[a] != level[b]:
                level[a] = level[b] = max(level[a], level[b])
                changed = True
        if not changed:
            break
    ranks = {value: rank for rank, value in enumerate(sorted(set(level.values())))}
    return {pid: ranks[value] for pid, value in level.items()}


def ordered_generations(
    people: Sequence[PersonRecord], links: Sequence[RelationshipRecord], level: dict[str, int]
) -> list[list[str]]:
    """Each generation's order: partner chains together, children under their parents in birth
    order."""
    order = {p.id: i for i, p in enumerate(people)}
    born = {
        p.id: p.date_of_birth.earliest.toordinal() if p.date_of_birth else 10**7 for p in people
    }
    partners: dict[str, list[str]] = defaultdict(list)
    parents: dict[str, list[str]] = defaultdict(list)
    for link in links:
        a, b = link.persons
        if link.kind == "intimate_partner" and level[a] == level[b]:
            partners[a].append(b)
            partners[b].append(a)
        elif link.kind == "parent_child":
            parents[b].append(a)
    layers: list[list[str]] = []
    column: dict[str, float] = {}
    for generation in range(max(level.values()) + 1):
        members = [p.id for p in people if level[p.id] == generation]

        def key(pid: str) -> tuple[float, int, int]:
            above = [column[p] for p in parents[pid] if p in column]
            return (sum(above) / len(above) if above else float("inf"), born[pid], order[pid])

        groups: list[list[str]] = []
        seen: set[str] = set()
        for pid in sorted(members, key=lambda p: (len(partners[p]) != 1, key(p))):
            if pid in seen:
                continue
            group, stack = [], [pid]
            while stack:  # walk the chain of partners from one end
                current = stack.pop()
                if current in seen:
                    continue
                seen.add(current)
                group.append(current)
                stack.extend(reversed([p for p in partners[current] if p not in seen]))
            groups.append(group)
        groups.sort(key=lambda group: min(key(p) for p in group))
        layer = [pid for group in groups for pid in group]
        column.update({pid: float(i) for i, pid in enumerate(layer)})
        layers.append(layer)
    return layers


def assign_levels(spans: Sequence[tuple[int, int]]) -> list[int]:
    """A height for each bracket over (or under) a row, so that no two overlap."""
    taken: list[list[tuple[int, int]]] = []
    levels = [0] * len(spans)
    for index in sorted(range(len(spans)), key=lambda i: spans[i][1] - spans[i][0]):
        lo, hi = spans[index]
        level = 0
        while level < len(taken) and any(not (hi < a or b < lo) for a, b in taken[level]):
            level += 1
        if level == len(taken):
            taken.append([])
        taken[level].append((lo, hi))
        levels[index] = level
    return levels


def levels_of(spans: Sequence[tuple[float, float]]) -> list[int]:
    """A level for each horizontal span, so that spans on one level neither overlap nor
    touch."""
    taken: list[list[tuple[float, float]]] = []
    levels = []
    for lo, hi in spans:
        level = 0
        while level < len(taken) and any(not (hi + 2 < a or b + 2 < lo) for a, b in taken[level]):
            level += 1
        if level == len(taken):
            taken.append([])
        taken[level].append((lo, hi))
        levels.append(level)
    return levels
