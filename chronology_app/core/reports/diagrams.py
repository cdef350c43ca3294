"""The timeline, laid out as a document drawing (the family diagram is `genogram.py`).

It is drawn from an `AudienceView`, so a family-facing drawing holds only shared
entries and masked names. Coordinates are points, origin top left, y downwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from chronology_app.core.model.vocabulary import RELATIONSHIP_ENTRY_KINDS, kinds_in
from chronology_app.core.records import EntryRecord, RelationshipRecord
from chronology_app.core.reports.audience import AudienceView
from chronology_app.core.reports.document import Box, Drawing, Label, Line, Shape, Tone
from chronology_app.core.rules.facts import ABUSE_TAGS, DA_KINDS

RESPONSE_KINDS = kinds_in("da_response")


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
