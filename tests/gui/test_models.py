"""Every item model passes QAbstractItemModelTester, and shows what it should."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from chronology_app.core.service import Service
from chronology_app.gui.models.case_list_model import CaseListFilter, CaseListModel
from chronology_app.gui.models.chronology_model import (
    AGE,
    DATE,
    FLAGS,
    NUMBER,
    ChronologyFilter,
    ChronologyModel,
    Filters,
    age_at,
)
from chronology_app.gui.models.flags_model import FlagsModel
from chronology_app.gui.models.people_model import PeopleModel

FAIL = QAbstractItemModelTester.FailureReportingMode.Fatal


def test_chronology_model_and_filter(family_b_service: Service) -> None:
    case = family_b_service.case_data("BD-2020-0193")
    model = ChronologyModel()
    QAbstractItemModelTester(model, FAIL, model)  # kept alive by its model
    proxy = ChronologyFilter(model)
    QAbstractItemModelTester(proxy, FAIL, proxy)  # kept alive by its model
    model.set_case(case, {"e03"})
    assert model.rowCount() == 19
    assert model.data(model.index(0, NUMBER)) == "E0001"
    assert model.data(model.index(1, DATE)) == "June 2018"
    assert model.data(model.index(2, DATE)) == "14 February 2019 at 23:10"
    assert model.data(model.index(2, FLAGS)) == "Flagged"
    assert model.data(model.index(4, NUMBER)) == "E0005 (restricted)"
    assert model.data(model.index(2, AGE)) == "1y 9m"  # Leo, born 2 May 2017, on 14 Feb 2019
    proxy.set_filters(Filters(text="dean police"))
    assert proxy.rowCount() == 3
    proxy.set_filters(Filters(person="p-kelly"))
    assert [proxy.index(r, NUMBER).data() for r in range(proxy.rowCount())] == [
        "E0005 (restricted)"
    ]
    proxy.set_filters(Filters(kind="online_check", date_to=dt.date(2021, 3, 31)))
    assert proxy.rowCount() == 2
    proxy.set_filters(Filters(hide_restricted=True))
    assert proxy.rowCount() == 18
    proxy.set_filters(Filters(tag="coercive_control", significance="high"))
    assert proxy.rowCount() == 1
    model.set_case(None)
    assert proxy.rowCount() == 0


def test_sorting_by_source_then_back_to_chronological(family_b_service: Service) -> None:
    model = ChronologyModel()
    proxy = ChronologyFilter(model)
    model.set_case(family_b_service.case_data("BD-2020-0193"))
    proxy.sort(2, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, 2).data() == "Children's social care"
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, 0).data() == "E0001"


def test_case_list_model_searches_names_aliases_and_references(family_b_service: Service) -> None:
    model = CaseListModel()
    QAbstractItemModelTester(model, FAIL, model)  # kept alive by its model
    proxy = CaseListFilter(model)
    QAbstractItemModelTester(proxy, FAIL, proxy)  # kept alive by its model
    model.set_cases(family_b_service.cases(), {"BD-2020-0193": ["Sara Bell", "Sarah Bell", "DJ"]})
    for text, rows in (("sarah", 1), ("BD-2020", 1), ("dj", 1), ("nobody", 0)):
        proxy.set_search(text)
        assert proxy.rowCount() == rows, text
    proxy.set_search("")
    proxy.set_status("closed")
    assert proxy.rowCount() == 0


def test_people_and_flags_models(family_b_service: Service) -> None:
    case = family_b_service.case_data("BD-2020-0193")
    people = PeopleModel(today=dt.date(2021, 6, 1))
    QAbstractItemModelTester(people, FAIL, people)  # kept alive by its model
    people.set_records(list(case.persons))
    assert people.index(0, 4).data() == "26y 9m"
    assert people.index(3, 4).data() == "about 30"  # Dean, born "about 1990"
    assert people.index(4, 0).data() == "Kelly Ward (restricted)"
    flags = FlagsModel()
    QAbstractItemModelTester(flags, FAIL, flags)  # kept alive by its model
    flags.set_records(family_b_service.flags("BD-2020-0193"))
    assert flags.rowCount() == 11  # rule 21 (consent-not-sought) on the GP disclosure, E0004
    assert (
        flags.index(0, 1).data()
        == "A partner with a history of domestic abuse is back in the family"
    )
    assert flags.index(0, 2).data() == "To review"


@pytest.mark.parametrize(
    ("born", "when", "expected"),
    [
        (dt.date(2020, 1, 1), dt.date(2019, 12, 1), "not yet born"),
        (dt.date(2020, 1, 1), dt.date(2020, 1, 10), "9 days"),
        (dt.date(2020, 1, 1), dt.date(2020, 2, 1), "4 weeks"),
        (dt.date(2020, 1, 1), dt.date(2020, 7, 15), "6m"),
        (dt.date(2017, 5, 2), dt.date(2019, 5, 1), "1y 11m"),
    ],
)
def test_ages_read_as_a_social_worker_writes_them(
    born: dt.date, when: dt.date, expected: str
) -> None:
    assert age_at(born, when) == expected


def test_timeline_periods_follow_the_relationship_entries(family_b_service: Service) -> None:
    from chronology_app.gui.views.timeline import relationship_periods

    case = family_b_service.case_data("BD-2020-0193")
    periods = relationship_periods(case, dt.date(2017, 1, 1), dt.date(2021, 5, 31))
    together = [(p.start.isoformat(), p.end.isoformat(), p.together) for p in periods]
    assert together == [
        ("2018-06-01", "2020-01-10", True),
        ("2020-01-10", "2021-04-12", False),
        ("2021-04-12", "2021-05-31", True),
    ]


def test_models_pass_the_tester_while_changing(qtbot: Any, family_b_service: Service) -> None:
    model = ChronologyModel()
    QAbstractItemModelTester(model, FAIL, model)  # kept alive by its model
    case = family_b_service.case_data("BD-2020-0193")
    model.set_case(case)
    model.set_flagged({"e01", "e02"})
    model.set_age_child("p-mia")
    assert model.data(model.index(0, AGE)) == "not yet born"


def test_the_age_column_says_whose_age_it_shows(family_b_service: Service) -> None:
    model = ChronologyModel()
    model.set_case(family_b_service.case_data("BD-2020-0193"))
    assert model.headerData(AGE, Qt.Orientation.Horizontal) == "Age of Leo"
    model.set_age_child("p-mia")
    assert model.headerData(AGE, Qt.Orientation.Horizontal) == "Age of Mia"
