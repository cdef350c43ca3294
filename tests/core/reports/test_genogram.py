"""The family diagram in genogram notation: symbols, partnerships, children, and nothing about
a withheld person."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest

from chronology_app.core.reports.audience import audience_view
from chronology_app.core.reports.document import Drawing, Label, Line, Symbol, Tone
from chronology_app.core.reports.genogram import family_diagram, genogram
from tests.core.reports.support import analysis_of


def drawn(document: dict[str, Any], audience: str = "internal") -> Drawing:
    view = audience_view(analysis_of(document), audience)
    drawing = genogram(view, {}, 770.0)
    assert drawing is not None
    return drawing


def symbols(drawing: Drawing) -> dict[str, Symbol]:
    """Each person's symbol, by the name printed under it."""
    shapes = list(drawing.shapes)
    found = {}
    for index, shape in enumerate(shapes):
        if isinstance(shape, Symbol) and shape.size > 10:
            label = shapes[index + 1]
            assert isinstance(label, Label)
            found[label.text] = shape
    return found


def two_partnerships() -> dict[str, Any]:
    """A mother, her ex-partner and their child, her partner now and their two children."""
    person = {"roles": ["parent"]}
    return {
        "format": "chronology-case",
        "version": 1,
        "case": {"reference": "GN-1", "title": "Family G"},
        "persons": [
            {"id": "mum", "name": "Ann Green", "sex": "female", **person},
            {"id": "ex", "name": "Bob Green", "sex": "male", **person},
            {"id": "now", "name": "Cal Reed", "sex": "male", **person},
            {"id": "k1", "name": "Dot Green", "sex": "female", "roles": ["child"],
             "date_of_birth": "2012-01-01"},
            {"id": "k3", "name": "Fay Reed", "roles": ["child"], "date_of_birth": "2019-01-01"},
            {"id": "k2", "name": "Eli Reed", "sex": "male", "roles": ["child"],
             "date_of_birth": "2016-01-01"},
            {"id": "gran", "name": "Gil Green", "sex": "male", "roles": ["relative"],
             "date_of_death": "2020-05-01"},
        ],
        "relationships": [
            {"id": "r1", "kind": "intimate_partner", "persons": ["ex", "mum"]},
            {"id": "r2", "kind": "intimate_partner", "persons": ["mum", "now"]},
            {"id": "c1", "kind": "parent_child", "persons": ["mum", "k1"]},
            {"id": "c2", "kind": "parent_child", "persons": ["ex", "k1"]},
            *(
                {"id": f"c{n}", "kind": "parent_child", "persons": [parent, child]}
                for n, (parent, child) in enumerate(
                    itertools.product(["mum", "now"], ["k2", "k3"]), 3
                )
            ),
            {"id": "g1", "kind": "parent_child", "persons": ["gran", "ex"]},
        ],
        "entries": [
            {"id": "e1", "date": "2014-03-01", "kind": "separation", "summary": "Ann and Bob part.",
             "source": {"agency": "Police"}, "relationship": "r1"},
        ],
    }  # fmt: skip


def test_symbols_by_sex_and_a_cross_for_a_death() -> None:
    found = symbols(drawn(two_partnerships()))
    assert {name: s.kind for name, s in found.items()} == {
        "Ann Green": "circle",
        "Bob Green": "square",
        "Cal Reed": "square",
        "Dot Green": "circle",
        "Eli Reed": "square",
        "Fay Reed": "diamond",
        "Gil Green": "square",
    }
    assert [name for name, s in found.items() if s.crossed] == ["Gil Green"]


def test_children_in_birth_order_under_their_parents() -> None:
    found = symbols(drawn(two_partnerships()))
    xs = {name: s.x for name, s in found.items()}
    assert xs["Dot Green"] < xs["Eli Reed"] < xs["Fay Reed"]
    assert xs["Bob Green"] < xs["Ann Green"] < xs["Cal Reed"]
    assert found["Dot Green"].y > found["Ann Green"].y > found["Gil Green"].y


def _segments(drawing: Drawing) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    return [
        (a, b)
        for shape in drawing.shapes
        if isinstance(shape, Line) and not shape.dashed and shape.tone is not Tone.MUTED
        for a, b in itertools.pairwise(shape.points)
        if max(a[1], b[1]) < drawing.height - 25  # the legend's samples aside
        and (a[0] == b[0] or a[1] == b[1])  # a separation's slash crosses its line on purpose
    ]


def _cross(s: Any, t: Any) -> bool:
    """Proper crossing of two segments (touching at an end or a T-junction is not one)."""
    (p1, p2), (p3, p4) = s, t

    def side(a: Any, b: Any, c: Any) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = side(p3, p4, p1), side(p3, p4, p2)
    d3, d4 = side(p1, p2, p3), side(p1, p2, p4)
    return d1 * d2 < 0 and d3 * d4 < 0


def test_an_ordinary_family_of_two_partnerships_draws_without_crossings() -> None:
    segments = _segments(drawn(two_partnerships()))
    assert len(segments) > 8
    crossings = [(s, t) for s, t in itertools.combinations(segments, 2) if _cross(s, t)]
    assert crossings == []


def test_a_slash_marks_a_couple_whose_latest_state_is_separated() -> None:
    def slashes(document: dict[str, Any]) -> int:
        return sum(
            1
            for shape in drawn(document).shapes
            if isinstance(shape, Line)
            and shape.tone is Tone.PARTNER
            and len(shape.points) == 2
            and shape.points[0][0] != shape.points[1][0]
            and shape.points[0][1] != shape.points[1][1]
            and shape.points[0][1] < drawn(document).height - 25
        )

    document = two_partnerships()
    assert slashes(document) == 1
    again = copy.deepcopy(document)
    again["entries"].append(
        {"id": "e2", "date": "2015-01-01", "kind": "reconciliation", "summary": "Back together.",
         "source": {"agency": "Police"}, "relationship": "r1"}
    )  # fmt: skip
    assert slashes(again) == 0


@pytest.mark.parametrize("audience", ["conference", "court"])
def test_a_withheld_person_and_their_lines_are_not_drawn(
    family_b: dict[str, Any], audience: str
) -> None:
    internal, shared = drawn(family_b), drawn(family_b, audience)
    assert (
        "Kelly Ward" in symbols(internal) and symbols(internal)["Kelly Ward"].stroke is Tone.DANGER
    )
    assert set(symbols(shared)) == set(symbols(internal)) - {"Kelly Ward"}
    partner_lines = [s for s in shared.shapes if isinstance(s, Line) and s.tone is Tone.PARTNER]
    internal_lines = [s for s in internal.shapes if isinstance(s, Line) and s.tone is Tone.PARTNER]
    assert len(partner_lines) == len(internal_lines) - 1  # Dean and Kelly's line is gone
    assert all("Person" not in getattr(s, "text", "") for s in shared.shapes)


def test_a_restricted_person_is_marked_in_words_internally_and_never_family_facing(
    family_b: dict[str, Any],
) -> None:
    def labels(drawing: Drawing) -> list[Label]:
        return [s for s in drawing.shapes if isinstance(s, Label)]

    internal = labels(drawn(family_b))
    marked = [label for label in internal if label.text.startswith("restricted · ")]
    assert [(m.text, m.tone) for m in marked] == [("restricted · age not known", Tone.DANGER)]
    assert any("identity restricted" in label.text for label in internal)
    shared = labels(drawn(family_b, "conference"))
    assert not any("restricted" in label.text for label in shared)


@pytest.mark.parametrize("width", [360.0, 770.0])
def test_the_key_and_notes_stay_inside_a_narrow_drawing_and_places_are_the_symbols(
    family_b: dict[str, Any], width: float
) -> None:
    view = audience_view(analysis_of(family_b), "internal")
    diagram = family_diagram(view, {}, width, listed="in the people list")
    assert diagram is not None
    drawing = diagram.drawing
    assert drawing.width == width
    for shape in drawing.shapes:
        if isinstance(shape, Label) and shape.anchor == "start":
            assert 0 <= shape.x < width and shape.y <= drawing.height
        elif isinstance(shape, Symbol):
            assert shape.x - shape.size / 2 >= 0 and shape.x + shape.size / 2 <= width
    notes = " ".join(
        s.text for s in drawing.shapes if isinstance(s, Label) and s.x == 0 and s.size == 7
    )
    assert "are listed in the people list, not drawn." in notes
    assert 'Red outline and "restricted": identity restricted.' in notes
    found = symbols(drawing)
    by_id = {p.id: p.name for p in view.case.persons}
    assert {by_id[pid]: place for pid, place in diagram.places.items()} == {
        name: (s.x, s.y) for name, s in found.items()
    }
