"""The family diagram in genogram notation, laid out as a document drawing.

- A square for a male, a circle for a female, a diamond when the sex is not known; a cross
  through the symbol for a person with a `date_of_death`. Name and age under the symbol.
- Partners side by side joined by a line between their symbols (below the names when they
  cannot sit side by side); a slash across the line when the couple's latest recorded state is
  separated (the latest separation, reconciliation or start entry on that relationship).
- Children hang from their parents' line (or from a single known parent) on one sibship line,
  in birth order, a generation below. Partner chains (an ex-partner, the parent, the current
  partner) are kept in a row, so an ordinary family of two partnerships draws without crossings.
- Siblings, relatives and other links without parents in the diagram: a dashed bracket above.
- Professionals are not drawn; nor, in a family-facing report, is anyone whose identity is
  withheld, nor any line to them (their relationships are never stated).

Coordinates are points, origin top left, y downwards.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from chronology_app.core.records import RelationshipRecord
from chronology_app.core.reports.audience import AudienceView
from chronology_app.core.reports.document import Drawing, Label, Line, Shape, Symbol, Tone
from chronology_app.core.reports.genogram_rows import (
    assign_levels,
    generations,
    levels_of,
    ordered_generations,
)

CELL_W, SIZE, GAP_X, ROW_GAP, STEP = 112.0, 24.0, 18.0, 40.0, 7.0
MOST_IN_A_ROW = 8  # a larger generation wraps onto more rows
LABELS_H = 22.0  # the name and age lines under a symbol
KINDS = {"male": "square", "female": "circle"}
STATE_KINDS = ("separation", "reconciliation", "relationship_start")
NOTE_CHAR_W = 3.9  # points: the widest average letter of the 7-point notes (DejaVu Sans)
LEGEND = (  # the key: what, its words, the room it takes across
    ("square", "male", 42.0),
    ("circle", "female", 52.0),
    ("diamond", "not known", 67.0),
    ("died", "died", 40.0),
    ("partners", "partners", 70.0),
    ("separated", "separated", 76.0),
    ("other", "sibling, relative or other", 120.0),
)


def separated(view: AudienceView) -> set[str]:
    """Relationships whose latest recorded state (in the entries this audience sees) is a
    separation."""
    latest: dict[str, str] = {}
    for entry in view.case.entries:  # in chronological order
        if entry.relationship and entry.kind in STATE_KINDS:
            latest[entry.relationship] = entry.kind
    return {rid for rid, kind in latest.items() if kind == "separation"}


@dataclass(frozen=True)
class FamilyDiagram:
    """The drawing, and where each person's symbol is (its centre), for a screen to find who
    was clicked."""

    drawing: Drawing
    places: Mapping[str, tuple[float, float]]
    cell_width: float  # each person's column, their name included


def genogram(view: AudienceView, ages: Mapping[str, str], width: float) -> Drawing | None:
    """The family (not professionals) in genogram notation; `ages` gives each person's age as
    the report prints it."""
    diagram = family_diagram(view, ages, width)
    return diagram.drawing if diagram is not None else None


def family_diagram(
    view: AudienceView,
    ages: Mapping[str, str],
    width: float,
    listed: str = "in the table above",
    key: bool = True,
) -> FamilyDiagram | None:
    """The genogram laid out `width` points wide (the report's and the app's one layout);
    `listed` says where the people not drawn are listed; without `key`, no key or notes under
    it (a screen too short for them)."""
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
    layers = ordered_generations(people, links, generations(people, links))
    per_row = max(
        int((width + GAP_X) // (CELL_W + GAP_X)), min(MOST_IN_A_ROW, max(map(len, layers)))
    )
    cell_w = min(CELL_W, (width - (per_row - 1) * GAP_X) / per_row)
    rows = [layer[i : i + per_row] for layer in layers for i in range(0, len(layer), per_row)]
    where = {pid: (r, c) for r, row in enumerate(rows) for c, pid in enumerate(row)}
    plan = _Plan(view, rows, where, cell_w, width)
    drawing = plan.draw(links, ages, listed if key else None)
    places = {pid: (plan.cx[pid], plan.top[r] + SIZE / 2) for pid, (r, _) in where.items()}
    return FamilyDiagram(drawing, places, cell_w)


class _Plan:
    """Where everything goes, and the shapes drawn there."""

    def __init__(
        self,
        view: AudienceView,
        rows: list[list[str]],
        where: dict[str, tuple[int, int]],
        cell_w: float,
        width: float,
    ) -> None:
        self.view, self.rows, self.where, self.cell_w, self.width = view, rows, where, cell_w, width
        self.shapes: list[Shape] = []
        self.cx: dict[str, float] = {}

    def centre_x(self, pid: str) -> float:
        return self.cx[pid]

    def place(self, parent_links: Sequence[RelationshipRecord]) -> None:
        """x of each person: the first row centred; each later row's children centred under
        the parents they hang from, in order, pushed apart to a cell each and kept on the
        page (a row that cannot be kept so falls back to even spacing)."""
        parents: dict[str, list[str]] = defaultdict(list)
        for link in parent_links:
            parents[link.persons[1]].append(link.persons[0])
        step = self.cell_w + GAP_X
        for row in self.rows:
            wanted: list[float | None] = []
            for pid in row:
                above = [self.cx[p] for p in parents[pid] if p in self.cx]
                wanted.append(sum(above) / len(above) if above else None)
            xs = self._spread(wanted, step)
            self.cx.update(zip(row, xs, strict=True))

    def _spread(self, wanted: list[float | None], step: float) -> list[float]:
        even_start = (self.width - (len(wanted) * step - GAP_X)) / 2 + self.cell_w / 2
        even = [even_start + i * step for i in range(len(wanted))]
        if all(w is None for w in wanted):
            return even
        # Siblings share a wish: spread them round it.
        xs: list[float] = []
        i = 0
        while i < len(wanted):
            j = i
            while j + 1 < len(wanted) and wanted[j + 1] == wanted[i] and wanted[i] is not None:
                j += 1
            group = j - i + 1
            centre = wanted[i]
            for k in range(group):
                base = centre if centre is not None else (xs[-1] + step if xs else even[i])
                xs.append(base + (k - (group - 1) / 2) * step if centre is not None else base)
            i = j + 1
        for k in range(1, len(xs)):
            xs[k] = max(xs[k], xs[k - 1] + step)
        low, high = self.cell_w / 2, self.width - self.cell_w / 2
        if xs[-1] - xs[0] > high - low:
            return even
        shift = max(0.0, low - xs[0]) - max(0.0, xs[-1] - high)
        return [x + shift for x in xs]

    def draw(
        self, links: Sequence[RelationshipRecord], ages: Mapping[str, str], listed: str | None
    ) -> Drawing:
        partner_links = [link for link in links if link.kind == "intimate_partner"]
        parent_links = [link for link in links if link.kind == "parent_child"]
        self.place(parent_links)
        parents: dict[str, set[str]] = defaultdict(set)
        for link in parent_links:
            parents[link.persons[1]].add(link.persons[0])
        # Siblings who share a parent in the diagram are shown by their parents' line.
        others = [
            link
            for link in links
            if link.kind not in ("intimate_partner", "parent_child")
            and not parents[link.persons[0]] & parents[link.persons[1]]
        ]
        above: dict[int, list[tuple[int, int, RelationshipRecord]]] = defaultdict(list)
        for link in others:
            (ra, ca), (rb, cb) = (self.where[p] for p in link.persons)
            if ra == rb:
                above[ra].append((min(ca, cb), max(ca, cb), link))
        below: dict[int, list[tuple[int, int, RelationshipRecord]]] = defaultdict(list)
        for link in partner_links:
            (ra, ca), (rb, cb) = (self.where[p] for p in link.persons)
            if ra == rb and abs(ca - cb) > 1:
                below[ra].append((min(ca, cb), max(ca, cb), link))
        above_levels = {r: assign_levels([(a, b) for a, b, _ in s]) for r, s in above.items()}
        below_levels = {r: assign_levels([(a, b) for a, b, _ in s]) for r, s in below.items()}
        self.top: dict[int, float] = {}
        y = 6.0
        for r in range(len(self.rows)):
            y += (max(above_levels[r]) + 1) * STEP + 4 if r in above_levels else 0
            self.top[r] = y
            y += SIZE + LABELS_H
            y += (max(below_levels[r]) + 1) * STEP + 2 if r in below_levels else 0
            y += ROW_GAP
        height = y - ROW_GAP + 6
        split = separated(self.view)
        # Where children hang from: a couple's line, or a parent alone.
        hang: dict[frozenset[str], tuple[float, float]] = {}
        for link in partner_links:
            point = self._partners(link, below, below_levels, link.id in split)
            if point is not None:
                hang[frozenset(link.persons)] = point
        self._children(parent_links, hang)
        self._brackets(above, above_levels)
        # Other links between generations are listed in the report's table, not drawn: a line
        # across the generations would cross the family's own lines.
        for pid in self.where:
            self._person(pid, ages)
        if listed is None:
            return Drawing(self.width, height, tuple(self.shapes))
        return self._legend(height, listed)

    def _partners(
        self,
        link: RelationshipRecord,
        below: Mapping[int, list[tuple[int, int, RelationshipRecord]]],
        levels: Mapping[int, list[int]],
        split: bool,
    ) -> tuple[float, float] | None:
        a, b = sorted(link.persons, key=lambda p: self.where[p][1])
        (ra, ca), (rb, cb) = self.where[a], self.where[b]
        if ra != rb:  # wrapped onto another row: a plain line between them
            start = (self.centre_x(a), self.top[ra] + SIZE + LABELS_H)
            self.shapes.append(Line((start, (self.centre_x(b), self.top[rb])), Tone.PARTNER, 1.4))
            return None
        xa, xb = self.centre_x(a), self.centre_x(b)
        if cb - ca == 1:  # side by side: a line between the symbols
            y = self.top[ra] + SIZE / 2
            self.shapes.append(Line(((xa + SIZE / 2, y), (xb - SIZE / 2, y)), Tone.PARTNER, 1.4))
        else:  # under the names, round the people between them
            number = next(i for i, span in enumerate(below[ra]) if span[2] is link)
            y = self.top[ra] + SIZE + LABELS_H + (levels[ra][number] + 1) * STEP
            bottom = self.top[ra] + SIZE + LABELS_H - 2
            self.shapes.append(
                Line(((xa, bottom), (xa, y), (xb, y), (xb, bottom)), Tone.PARTNER, 1.4)
            )
        middle = (xa + xb) / 2
        if split:  # a slash across the line: separated
            self.shapes.append(Line(((middle - 3, y + 5), (middle + 3, y - 5)), Tone.PARTNER, 1.4))
        return middle + (6 if split else 0), y

    def _children(
        self,
        parent_links: Sequence[RelationshipRecord],
        hang: dict[frozenset[str], tuple[float, float]],
    ) -> None:
        parents: dict[str, set[str]] = defaultdict(set)
        for link in parent_links:
            parents[link.persons[1]].add(link.persons[0])
        families: dict[tuple[frozenset[str], int], list[str]] = defaultdict(list)
        for child, known in parents.items():
            couple = frozenset(known)
            if len(known) == 2 and couple in hang:
                families[(couple, self.where[child][0])].append(child)
            else:
                for parent in known:
                    families[(frozenset({parent}), self.where[child][0])].append(child)
        # Each family's sibship line at its own height where their spans would overlap.
        plans: list[tuple[int, float, float, float, list[float]]] = []  # row, x, y, lo, hi...
        for (couple, row), children in families.items():
            if len(couple) == 2:
                x, y = hang[couple]
            else:
                (parent,) = couple
                x, y = self.centre_x(parent), self.top[self.where[parent][0]] + SIZE + LABELS_H - 2
            top = self.top[row]
            xs = sorted(self.centre_x(child) for child in children)
            if top <= y:  # a child drawn above its parent: bad data, a plain line
                for cx in xs:
                    self.shapes.append(Line(((x, y), (cx, top)), Tone.INK, 0.8))
                continue
            plans.append((row, x, y, min(x, xs[0]), [max(x, xs[-1]), *xs]))
        by_row: dict[int, list[int]] = defaultdict(list)
        for index, plan in enumerate(plans):
            by_row[plan[0]].append(index)
        for row, indexes in by_row.items():
            spans = [(plans[i][3], plans[i][4][0]) for i in indexes]
            for index, level in zip(indexes, levels_of(spans), strict=True):
                _, x, y, lo, (hi, *xs) = plans[index]
                sibship = self.top[row] - 8 - level * 6
                self.shapes.append(Line(((x, y), (x, sibship)), Tone.INK, 0.8))
                self.shapes.append(Line(((lo, sibship), (hi, sibship))))
                for cx in xs:
                    self.shapes.append(Line(((cx, sibship), (cx, self.top[row])), Tone.INK, 0.8))

    def _brackets(
        self,
        above: Mapping[int, list[tuple[int, int, RelationshipRecord]]],
        levels: Mapping[int, list[int]],
    ) -> None:
        for r, spans in above.items():
            for number, (lo, hi, _link) in enumerate(spans):
                xa, xb = self.centre_x(self.rows[r][lo]) - 4, self.centre_x(self.rows[r][hi]) + 4
                peak = self.top[r] - (levels[r][number] + 1) * STEP
                points = ((xa, self.top[r]), (xa, peak), (xb, peak), (xb, self.top[r]))
                self.shapes.append(Line(points, Tone.MUTED, 0.8, True))

    def _person(self, pid: str, ages: Mapping[str, str]) -> None:
        person = self.view.case.person_by_id[pid]
        x, top = self.centre_x(pid), self.top[self.where[pid][0]]
        restricted = person.restricted and not self.view.withholds
        self.shapes.append(
            Symbol(
                x,
                top + SIZE / 2,
                SIZE,
                KINDS.get(person.sex, "diamond"),
                fill=Tone.FAINT if person.is_child else Tone.PAPER,
                stroke=Tone.DANGER if restricted else Tone.INK,
                crossed=person.date_of_death is not None,
            )
        )
        width = self.cell_w - 4
        name = self.view.name(pid)
        self.shapes.append(
            Label(x, top + SIZE + 9, name, 7.5, "middle", bold=True, max_width=width)
        )
        age = "died" if person.date_of_death is not None else f"age {ages.get(pid, 'not known')}"
        if restricted:  # marked in words too: a red outline alone does not print in black
            age = f"restricted · {age}"
        tone = Tone.DANGER if restricted else Tone.MUTED
        self.shapes.append(Label(x, top + SIZE + 17.5, age, 6.5, "middle", tone, max_width=width))

    def _legend(self, height: float, listed: str) -> Drawing:
        """The key (onto more rows in a narrow drawing), then what is not drawn, a sentence a
        line."""
        x, y = 6.0, height + 8
        for key, text, room in LEGEND:
            if x + room > self.width and x > 6:
                x, y = 6.0, y + 12
            if key in ("square", "circle", "diamond", "died"):
                kind = "square" if key == "died" else key
                self.shapes.append(Symbol(x, y, 8, kind, crossed=key == "died"))
                self.shapes.append(Label(x + 8, y + 2.5, text, 7, "start", Tone.MUTED))
            else:
                tone, weight = (Tone.MUTED, 0.8) if key == "other" else (Tone.PARTNER, 1.4)
                self.shapes.append(Line(((x, y), (x + 18, y)), tone, weight, key == "other"))
                if key == "separated":
                    self.shapes.append(Line(((x + 6, y + 5), (x + 12, y - 5)), tone, weight))
                self.shapes.append(Label(x + 22, y + 2.5, text, 7, "start", Tone.MUTED))
            x += room
        notes = [
            "Professionals, and links other than partners and parents between generations, are "
            f"listed {listed}, not drawn."
        ]
        if self.view.withholds:
            notes.append("People whose identity is withheld are not drawn.")
        elif any(self.view.case.person_by_id[p].restricted for p in self.where):
            notes.append('Red outline and "restricted": identity restricted.')
        room = max(24, int(self.width / NOTE_CHAR_W))  # no font metrics here: wide letters
        for line in (part for note in notes for part in textwrap.wrap(note, room)):
            y += 10
            self.shapes.append(Label(0, y + 4, line, 7, "start", Tone.MUTED, max_width=self.width))
        return Drawing(self.width, y + 9, tuple(self.shapes))
