"""The family diagram and the timeline, laid out as document drawings.

Both are drawn from an `AudienceView`, so a conference report's drawings hold only shared
entries and masked names. Coordinates are points, origin top left, y downwards.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

from chronology_app.core.model.vocabulary import RELATIONSHIP_ENTRY_KINDS
from chronology_app.core.records import EntryRecord, PersonRecord, RelationshipRecord
from chronology_app.core.reports.audience import AudienceView
from chronology_app.core.reports.document import Box, Drawing, Label, Line, Shape, Tone
from chronology_app.core.rules.facts import ABUSE_TAGS, DA_KINDS

BOX_W, BOX_H, GAP_X, ROW_GAP, STEP = 118.0, 32.0, 18.0, 44.0, 9.0
MOST_IN_A_ROW = 8  # a larger generation wraps onto more rows
LINK_WORDS = {
    "intimate_partner": "partners",
    "sibling": "siblings",
    "relative": "relatives",
    "other": "connected",
}
RESPONSE_KINDS = frozenset(
    {"risk_assessment", "marac_referral", "marac_meeting", "dvds", "safety_plan", "conference"}
)


# --- the family diagram ------------------------------------------------------------------------


def _generations(
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


def _layers(
    people: Sequence[PersonRecord], links: Sequence[RelationshipRecord], level: dict[str, int]
) -> list[list[str]]:
    """Each generation's order: partners next to each other, children under their parents."""
    order = {p.id: i for i, p in enumerate(people)}
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

        def key(pid: str) -> tuple[float, int]:
            above = [column[p] for p in parents[pid] if p in column]
            return (sum(above) / len(above) if above else float("inf"), order[pid])

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


def _assign_levels(spans: list[tuple[int, int, RelationshipRecord]]) -> list[int]:
    """A height for each bracket over a row, so that no two overlap."""
    taken: list[list[tuple[int, int]]] = []
    levels = [0] * len(spans)
    for index in sorted(range(len(spans)), key=lambda i: spans[i][1] - spans[i][0]):
        lo, hi, _ = spans[index]
        level = 0
        while level < len(taken) and any(not (hi < a or b < lo) for a, b in taken[level]):
            level += 1
        if level == len(taken):
            taken.append([])
        taken[level].append((lo, hi))
        levels[index] = level
    return levels


def family_diagram(view: AudienceView, ages: Mapping[str, str], width: float) -> Drawing | None:
    """Boxes for the family (not professionals), generations top to bottom; `ages` gives each
    person's age as the report prints it."""
    people = [
        p for p in view.case.persons if "professional" not in p.roles and not view.is_withheld(p.id)
    ]
    if not people:
        return None
    ids = {p.id for p in people}
    links = [
        r
        for r in view.case.relationships
        if r.persons[0] in ids and r.persons[1] in ids and r.persons[0] != r.persons[1]
    ]
    level = _generations(people, links)
    layers = _layers(people, links, level)
    # Full-width boxes while a generation fits; narrower ones (up to 8 a row) for big families.
    per_row = max(
        int((width + GAP_X) // (BOX_W + GAP_X)), min(MOST_IN_A_ROW, max(map(len, layers)))
    )
    box_w = min(BOX_W, (width - (per_row - 1) * GAP_X) / per_row)
    rows = [layer[i : i + per_row] for layer in layers for i in range(0, len(layer), per_row)]
    where = {pid: (r, c) for r, row in enumerate(rows) for c, pid in enumerate(row)}
    spans: dict[int, list[tuple[int, int, RelationshipRecord]]] = defaultdict(list)
    across: list[RelationshipRecord] = []
    for link in links:
        (ra, ca), (rb, cb) = where[link.persons[0]], where[link.persons[1]]
        if ra == rb:
            spans[ra].append((min(ca, cb), max(ca, cb), link))
        else:
            across.append(link)
    heights = {r: _assign_levels(spans[r]) for r in spans}

    shapes: list[Shape] = []
    top: dict[int, float] = {}
    y = 6.0
    for r in range(len(rows)):
        y += (max(heights[r]) + 1) * STEP + 8 if heights.get(r) else 0
        top[r] = y
        y += BOX_H + ROW_GAP
    height = y - ROW_GAP + 8

    def box_x(r: int, c: int) -> float:
        used = len(rows[r]) * box_w + (len(rows[r]) - 1) * GAP_X
        return (width - used) / 2 + c * (box_w + GAP_X)

    # Bracket ends on each box top are spread out so that lines never share a stretch.
    ends: dict[str, list[tuple[int, int]]] = defaultdict(list)  # pid -> (other column, link no.)
    for r, row_spans in spans.items():
        for number, (lo, hi, _) in enumerate(row_spans):
            ends[rows[r][lo]].append((hi, number))
            ends[rows[r][hi]].append((lo, number))

    def attach(pid: str, number: int) -> float:
        """Brackets to the left end on the box's left part, those to the right on its right
        part, leaving the middle to the lines from parents and to children."""
        r, c = where[pid]
        left = sorted((other, n) for other, n in ends[pid] if other < c)
        right = sorted((other, n) for other, n in ends[pid] if other > c)
        side, start = (left, 0.08) if any(n == number for _, n in left) else (right, 0.62)
        slot = [n for _, n in side].index(number)
        return box_x(r, c) + box_w * (start + 0.3 * (slot + 1) / (len(side) + 1))

    for r, row_spans in spans.items():
        for number, (lo, hi, link) in enumerate(row_spans):
            x1, x2 = attach(rows[r][lo], number), attach(rows[r][hi], number)
            peak = top[r] - (heights[r][number] + 1) * STEP
            tone, thick, dashed = _link_style(link)
            shapes.append(
                Line(((x1, top[r]), (x1, peak), (x2, peak), (x2, top[r])), tone, thick, dashed)
            )
            shapes.append(
                Label(
                    (x1 + x2) / 2,
                    peak - 1.5,
                    LINK_WORDS.get(link.kind, ""),
                    5.5,
                    "middle",
                    Tone.MUTED,
                )
            )
    for link in across:
        (ra, ca), (rb, cb) = where[link.persons[0]], where[link.persons[1]]
        if ra > rb:
            (ra, ca), (rb, cb) = (rb, cb), (ra, ca)
        start = (box_x(ra, ca) + box_w / 2, top[ra] + BOX_H)
        end = (box_x(rb, cb) + box_w / 2, top[rb])
        points: tuple[tuple[float, float], ...] = (start, end)
        if rb - ra > 1:  # round the rows in between on their left, not through their boxes
            aside = max(2.0, min(box_x(r, 0) for r in range(ra + 1, rb)) - 8)
            below, above = top[ra] + BOX_H + 10, top[rb] - 6
            points = (
                start,
                (start[0], below),
                (aside, below),
                (aside, above),
                (end[0], above),
                end,
            )
        tone, thick, dashed = _link_style(link)
        shapes.append(Line(points, tone, thick, dashed))
    for pid, (r, c) in where.items():
        person = view.case.person_by_id[pid]
        age = f"age {ages.get(pid, 'not known')}"
        roles = ", ".join(person.roles) or "no role recorded"
        shapes.append(
            Box(
                box_x(r, c),
                top[r],
                box_w,
                BOX_H,
                (view.name(pid), f"{age} · {roles}"),
                fill=Tone.FAINT if person.is_child else Tone.PAPER,
                stroke=Tone.DANGER if person.restricted else Tone.INK,
            )
        )
    legend_y = height + 6
    samples = [
        ("partners", Tone.PARTNER, 1.8, False),
        ("parent and child", Tone.INK, 0.8, False),
        ("sibling, relative or other", Tone.MUTED, 0.8, True),
    ]
    x = 0.0
    for text, tone, thick, dashed in samples:
        shapes.append(Line(((x, legend_y), (x + 22, legend_y)), tone, thick, dashed))
        shapes.append(Label(x + 26, legend_y + 2.5, text, 7, "start", Tone.MUTED))
        x += 32 + 5 * len(text) + 14
    note = "Professionals are listed in the table above, not drawn."
    if view.withholds:
        note += " People whose identity is withheld are not drawn."
    elif any(p.restricted for p in people):
        note += " Red boxes: identity restricted."
    shapes.append(Label(width, legend_y + 2.5, note, 7, "end", Tone.MUTED))
    return Drawing(width, legend_y + 8, tuple(shapes))


def _link_style(link: RelationshipRecord) -> tuple[Tone, float, bool]:
    if link.kind == "intimate_partner":
        return Tone.PARTNER, 1.8, False
    if link.kind == "parent_child":
        return Tone.INK, 0.8, False
    return Tone.MUTED, 0.8, True


# --- the timeline ------------------------------------------------------------------------------

LABEL_W, LANE_H, AXIS_H = 170.0, 20.0, 16.0


def _finite(day: dt.date) -> bool:
    return day not in (dt.date.min, dt.date.max)


def _middle(entry: EntryRecord) -> dt.date:
    return _middle_of(entry.date.earliest, entry.date.latest)


def _periods(
    entries: Sequence[EntryRecord], link: RelationshipRecord, start: dt.date, end: dt.date
) -> list[tuple[dt.date, dt.date, bool]]:
    """(from, to, start recorded) for each time the couple were together, from the entries
    recording starts, reconciliations and separations of the relationship."""
    periods: list[tuple[dt.date, dt.date, bool]] = []
    together: dt.date | None = None
    for entry in entries:
        if entry.relationship != link.id or entry.kind not in RELATIONSHIP_ENTRY_KINDS:
            continue
        if entry.kind == "separation":
            periods.append((together or start, _middle(entry), together is not None))
            together = None
        elif together is None:
            together = _middle(entry)
    if together is not None:
        periods.append((together, end, True))
    return periods


def timeline(view: AudienceView, day: dt.date, width: float) -> Drawing | None:
    entries = view.case.entries
    days = [d for e in entries for d in (e.date.earliest, e.date.latest) if _finite(d)]
    if not days:
        return None
    start, end = dt.date(min(days).year, 1, 1), dt.date(max(days).year, 12, 31)
    span = max(1, (end - start).days)
    plot = width - LABEL_W - 8

    def x(when: dt.date) -> float:
        when = min(max(when, start), end)
        return LABEL_W + (when - start).days / span * plot

    couples = [
        r
        for r in view.case.relationships
        if r.kind == "intimate_partner" and not any(map(view.is_withheld, r.persons))
    ]
    lanes = [f"{view.name(c.persons[0])} & {view.name(c.persons[1])}" for c in couples]
    lanes += ["Domestic-abuse events", "Safeguarding responses", "Other entries"]
    children = [
        p
        for p in view.case.persons
        if p.is_child and p.date_of_birth and not view.is_withheld(p.id)
    ]
    if children:
        lanes.append("Children born")
    shapes: list[Shape] = []
    bottom = AXIS_H + LANE_H * len(lanes)
    years = end.year - start.year + 1
    every = 1 if years <= 16 else 2 if years <= 32 else 5
    for year in range(start.year, end.year + 1):
        if (year - start.year) % every:
            continue
        left = x(dt.date(year, 1, 1))
        shapes.append(Line(((left, AXIS_H - 4), (left, bottom)), Tone.FAINT, 0.5))
        shapes.append(Label(left + 2, AXIS_H - 6, str(year), 6.5, "start", Tone.MUTED))
    for index, text in enumerate(lanes):
        lane_top = AXIS_H + index * LANE_H
        shapes.append(Line(((0, lane_top + LANE_H), (width, lane_top + LANE_H)), Tone.FAINT, 0.4))
        shapes.append(
            Label(0, lane_top + LANE_H / 2 + 2.5, text, 7, "start", Tone.INK, False, LABEL_W - 8)
        )
    for index, couple in enumerate(couples):
        lane_top = AXIS_H + index * LANE_H
        periods = _periods(entries, couple, start, end)
        for first, last, known in periods:
            shapes.append(
                Box(
                    x(first),
                    lane_top + 5,
                    max(2.0, x(last) - x(first)),
                    LANE_H - 10,
                    fill=Tone.PARTNER if known else Tone.FAINT,
                    stroke=Tone.PARTNER,
                    dashed=not known,
                )
            )
        if not periods:
            shapes.append(
                Label(
                    LABEL_W + 4,
                    lane_top + LANE_H / 2 + 2.5,
                    "no start or separation recorded",
                    6.5,
                    "start",
                    Tone.MUTED,
                )
            )
    first_lane = len(couples)
    for entry in entries:
        if entry.kind in DA_KINDS or entry.tags & ABUSE_TAGS:
            lane, tone = first_lane, Tone.DANGER
        elif entry.kind in RESPONSE_KINDS:
            lane, tone = first_lane + 1, Tone.ACCENT
        else:
            lane, tone = first_lane + 2, Tone.MUTED
        lane_top = AXIS_H + lane * LANE_H
        middle = lane_top + LANE_H / 2
        if not entry.date.is_exact and _finite(entry.date.earliest) and _finite(entry.date.latest):
            left, right = x(entry.date.earliest), x(entry.date.latest)
            if right - left > 3:
                shapes.append(Line(((left, middle), (right, middle)), Tone.FAINT, 1.2))
        at = x(_middle(entry))
        shapes.append(Line(((at, lane_top + 4), (at, lane_top + LANE_H - 4)), tone, 0.9))
    if children:
        lane_top = AXIS_H + (len(lanes) - 1) * LANE_H
        births = sorted(
            (x(_middle_of(c.date_of_birth.earliest, c.date_of_birth.latest)), c.id)
            for c in children
            if c.date_of_birth is not None
        )
        named_up_to = -1.0
        for at, child_id in births:
            shapes.append(Line(((at, lane_top + 3), (at, lane_top + 10)), Tone.ACCENT, 1.2))
            first_name = view.name(child_id).split()[0]
            if at - 3.2 * len(first_name) > named_up_to:  # names that would overlap are left off
                shapes.append(Label(at, lane_top + LANE_H - 3, first_name, 6, "middle", Tone.INK))
                named_up_to = at + 3.2 * len(first_name)
    note = (
        "Bars: periods a couple were together, from the entries recording starts, separations "
        "and reconciliations (dashed: start not recorded). Ticks: entries; a grey line shows the "
        "span of an uncertain date."
    )
    shapes.append(Label(0, bottom + 12, note, 6.5, "start", Tone.MUTED, False, width))
    return Drawing(width, bottom + 16, tuple(shapes))


def _middle_of(first: dt.date, last: dt.date) -> dt.date:
    if not _finite(first):
        return last
    if not _finite(last):
        return first
    return first + (last - first) / 2
