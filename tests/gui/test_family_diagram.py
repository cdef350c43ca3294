"""The family diagram in the people view: the reports' genogram drawn on screen, restricted
people marked (never left out), a click selects the person, and it follows every change."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage

from chronology_app.core.reports.document import Label, Line, Tone
from chronology_app.gui.main_window import MainWindow
from chronology_app.gui.report_layout import TONES
from chronology_app.gui.views.genogram_view import GenogramView
from chronology_app.gui.widgets.lock_screen import LockScreen

REF = "BD-2020-0193"
FAMILY = {"p-sara", "p-leo", "p-mia", "p-dean", "p-kelly"}  # the health visitor is listed only


def shown(window: MainWindow, qtbot: Any) -> GenogramView:
    window.resize(1366, 768)
    window.case_view.tabs.setCurrentWidget(window.people)
    window.show()
    qtbot.waitExposed(window)
    window.case_view.splitter.setSizes([200, 560])  # room to read it
    qtbot.waitUntil(lambda: window.people.diagram.height() > 300)
    return window.people.diagram


def slashes(view: GenogramView) -> int:
    """Separated couples, and the key's own example."""
    diagram = view.diagram()
    assert diagram is not None
    return sum(
        1
        for s in diagram.drawing.shapes
        if isinstance(s, Line) and s.tone is Tone.PARTNER and len(s.points) == 2
        and s.points[1][0] - s.points[0][0] == 6 and s.points[1][1] - s.points[0][1] == -10
    )  # fmt: skip


def on_screen(view: GenogramView, person_id: str) -> QPoint:
    diagram = view.diagram()
    assert diagram is not None
    scale, origin = view.scale_and_origin(diagram)
    x, y = diagram.places[person_id]
    return QPoint(round(origin.x() + x * scale), round(origin.y() + y * scale))


def test_the_family_is_drawn_with_the_restricted_partner_marked_not_left_out(
    window: MainWindow, qtbot: Any
) -> None:
    view = shown(window, qtbot)
    assert view.accessibleName() == "Family diagram"
    diagram = view.diagram()
    assert diagram is not None and set(diagram.places) == FAMILY
    labels = [s.text for s in diagram.drawing.shapes if isinstance(s, Label)]
    assert "Kelly Ward" in labels and "restricted · age not known" in labels
    assert not any("Okafor" in text for text in labels)
    assert slashes(view) == 1  # Sara and Dean reconciled: no slash on their line
    # Painted: Kelly Ward's outline is in the restricted colour where her symbol is.
    image: QImage = view.grab().toImage()
    centre = on_screen(view, "p-kelly")
    scale, _ = view.scale_and_origin(diagram)
    reach = round(12 * scale) + 2
    danger = QColor(TONES[Tone.DANGER])
    colours = {
        image.pixelColor(centre.x() + dx, centre.y()).name() for dx in range(-reach, reach + 1)
    }
    assert any(abs(QColor(c).red() - danger.red()) < 40 and QColor(c).green() < 90 for c in colours)


def test_a_click_in_the_diagram_selects_the_person_in_the_list_and_back(
    window: MainWindow, qtbot: Any
) -> None:
    view = shown(window, qtbot)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=on_screen(view, "p-mia"))
    assert window.people.selected_person() == "p-mia" and view.selected == "p-mia"
    row = [p.id for p in window.people.model.records()].index("p-dean")
    window.people.table.selectRow(row)
    assert view.selected == "p-dean"
    assert view.person_at(QPointF(1, 1)) is None  # a click on paper selects nobody


def test_the_diagram_follows_people_relationships_and_separations(
    window: MainWindow, qtbot: Any
) -> None:
    view = shown(window, qtbot)
    service = window.service
    window.ops.change(
        lambda: service.add_person(
            REF,
            {"id": "p-ray", "name": "Ray Bell", "sex": "male", "roles": ["relative"],
             "date_of_death": "2019-03-02"},
        )
    )  # fmt: skip
    window.ops.change(
        lambda: service.add_relationship(
            REF, {"id": "r-ray-sara", "kind": "parent_child", "persons": ["p-ray", "p-sara"]}
        )
    )
    diagram = view.diagram()
    assert diagram is not None and set(diagram.places) == FAMILY | {"p-ray"}
    assert diagram.places["p-ray"][1] < diagram.places["p-sara"][1]  # a generation above
    assert "died" in [s.text for s in diagram.drawing.shapes if isinstance(s, Label)]
    window.ops.change(
        lambda: service.add_entry(
            REF,
            {"date": "2022-05-01", "kind": "separation", "summary": "Sara ends it with Dean.",
             "source": {"agency": "Police"}, "relationship": "r-sara-dean"},
        )
    )  # fmt: skip
    assert slashes(view) == 2
    window.actions_.undo.trigger()  # the separation taken back: the slash goes with it
    window.ops.wait()
    assert slashes(view) == 1


def test_the_diagram_opens_larger_in_a_window_that_follows_the_case(
    window: MainWindow, qtbot: Any
) -> None:
    view = shown(window, qtbot)
    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))
    larger = window.people.window_
    assert larger is not None and larger.isVisible()
    assert larger.windowTitle().startswith(f"Family diagram: {REF}")
    qtbot.mouseClick(
        larger.diagram, Qt.MouseButton.LeftButton, pos=on_screen(larger.diagram, "p-leo")
    )
    assert window.people.selected_person() == "p-leo" and view.selected == "p-leo"
    window.ops.change(
        lambda: window.service.add_person(REF, {"id": "p-new", "name": "Nia Hart",
                                                "sex": "female", "roles": ["relative"]})
    )  # fmt: skip
    diagram = larger.diagram.diagram()
    assert diagram is not None and "p-new" in diagram.places
    window.lock()  # covered like any open dialog, its title naming no one
    assert [c.isVisible() for c in larger.findChildren(LockScreen)] == [True]
    assert larger.windowTitle() == f"Family diagram: {REF}"
    window.case_view.clear()  # the case closed: the window goes with it
    assert not larger.isVisible()


def test_a_case_with_nobody_to_draw_says_so(qtbot: Any, family_b: dict[str, Any]) -> None:
    from chronology_app.gui.views import genogram_view
    from tests.core.reports.support import analysis_of

    view = GenogramView()
    qtbot.addWidget(view)
    view.resize(400, 200)
    assert view.diagram() is None and view.person_at(QPointF(100, 100)) is None
    view.grab()  # no case: a blank page
    only_professionals = {
        **family_b,
        "persons": [p for p in family_b["persons"] if p["roles"] == ["professional"]],
        "relationships": [],
        "entries": [{**e, "persons": []} for e in family_b["entries"][:1]],
    }
    view.set_case(analysis_of(only_professionals).case)
    drawn: list[str] = []
    original = genogram_view.QPainter.drawText
    try:
        genogram_view.QPainter.drawText = (  # type: ignore[method-assign]
            lambda painter, rect, flags, text: drawn.append(text)
        )
        view.grab()
    finally:
        genogram_view.QPainter.drawText = original  # type: ignore[method-assign]
    assert view.diagram() is None and drawn == [genogram_view.EMPTY]


def test_the_tooltip_says_who_a_person_is_and_that_they_are_restricted(
    window: MainWindow, qtbot: Any
) -> None:
    from chronology_app.gui.views.genogram_view import describe

    assert window.case is not None
    kelly = window.case.person_by_id["p-kelly"]
    assert describe(kelly).split("\n") == [
        "Kelly Ward",
        "other",
        "identity restricted: left out of family-facing reports",
    ]


def test_a_pane_too_short_for_the_key_leaves_it_to_the_larger_window(
    window: MainWindow, qtbot: Any
) -> None:
    def keyed(view: GenogramView) -> bool:
        diagram = view.diagram()
        assert diagram is not None
        return "separated" in [s.text for s in diagram.drawing.shapes if isinstance(s, Label)]

    view = shown(window, qtbot)
    assert keyed(view)  # room enough
    window.case_view.splitter.setSizes([560, 200])
    qtbot.waitUntil(lambda: view.height() < 200)  # the layouts inside follow in an event
    assert not keyed(view)
    assert "restricted · age not known" in [
        s.text
        for s in view.diagram().drawing.shapes
        if isinstance(s, Label)  # type: ignore[union-attr]
    ]
    window.people.open_diagram_window()
    larger = window.people.window_
    assert larger is not None
    larger.resize(300, 150)  # the window always has its key, however small
    assert keyed(larger.diagram)
    larger.close()
