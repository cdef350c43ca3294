"""Headings recognised per template style, hand mappings, and rows to entries (every problem
message word for word)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from chronology_app.core.tables_import import headings, plan, rows
from tests.conftest import minimal_case

STYLES = [
    (
        "PD12A (court)",
        ["Serial number", "Date", "Event", "Event detail", "Witness or document reference"],
        {"date": 1, "summary": 2, "detail": 3, "reference": 4},
    ),
    (
        "Tayside-style",
        ["Date or period of event", "Significant event", "Source", "Impact", "Action taken"],
        {"date": 0, "summary": 1, "source": 2, "impact": 3, "action": 4},
    ),
    (
        "Mosaic-style",
        ["Date", "Category", "Source", "Description", "Analysis"],
        {"date": 0, "kind": 1, "source": 2, "summary": 3, "impact": 4},
    ),
    (
        "Chronolator",
        ["Event Ref/Sequence", "Start Date", "Start Time", "End Date", "End Time", "Event",
         "Source of Information"],
        {"reference": 0, "date": 1, "time": 2, "end_date": 3, "end_time": 4, "summary": 5,
         "source": 6},
    ),
    (
        "our template",
        ["Date", "Time", "End date", "What happened", "Further detail", "Kind",
         "People involved", "Agency", "Agency reference", "Impact on the child", "Action taken"],
        {"date": 0, "time": 1, "end_date": 2, "summary": 3, "detail": 4, "kind": 5, "people": 6,
         "source": 7, "reference": 8, "impact": 9, "action": 10},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("style", "titles", "expected"), STYLES, ids=[s[0] for s in STYLES])
def test_each_template_style_is_recognised(
    style: str, titles: list[str], expected: dict[str, int]
) -> None:
    table = [(1, ["Chronology for Family T"]), (2, []), (3, titles)]
    found = headings.find_columns(table)
    assert found is not None, style
    assert found.header_index == 2
    assert dict(found.columns) == expected


def test_a_hand_mapping_wins_and_the_rest_is_still_recognised() -> None:
    table = [(1, ["When", "What happened", "Who told us", "Impact"])]
    by_hand = headings.parse_mapping("date=When, summary = What happened,source=Who told us")
    found = headings.find_columns(table, by_hand)
    assert found is not None
    assert dict(found.columns) == {"date": 0, "summary": 1, "source": 2, "impact": 3}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("when=Date", '"when" is not a field that can be mapped; the fields are: date, time, '
         "end_date, end_time, summary, detail, kind, people, source, reference, impact, action."),
        ("date", '"date" is not field=Heading (e.g. date=When).'),
        ("date=", '"date=" is not field=Heading (e.g. date=When).'),
    ],
)  # fmt: skip
def test_a_bad_hand_mapping_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(headings.MappingError) as err:
        headings.parse_mapping(text)
    assert str(err.value) == message


def test_a_mapping_is_saved_and_used_again(tmp_path: Path) -> None:
    mapping = {"date": "When", "summary": "What happened"}
    headings.save_mapping(tmp_path / "police.json", mapping)
    assert headings.load_mapping(tmp_path / "police.json") == mapping
    (tmp_path / "other.json").write_text("{}")
    with pytest.raises(headings.MappingError, match="is not a saved column mapping"):
        headings.load_mapping(tmp_path / "other.json")


def row(**cells: Any) -> dict[str, Any]:
    return rows.build_entry(cells, {}, "Police", {"file": "f.csv", "row": 2})


@pytest.mark.parametrize(
    ("cells", "date", "date_text"),
    [
        ({"date": "12/03/2019"}, "2019-03-12", "12/03/2019"),
        ({"date": datetime.date(2019, 3, 12)}, "2019-03-12", None),
        ({"date": "?22 May 2016"}, "about 2016-05-22", "?22 May 2016"),
        ({"date": "12/03/2019", "time": "14:30"}, "2019-03-12T14:30", "12/03/2019 14:30"),
        ({"date": datetime.date(2019, 3, 12), "time": datetime.time(9, 5)}, "2019-03-12T09:05",
         "12/03/2019 09:05"),
        ({"date": "1/3/2019", "end_date": "15/3/2019"}, "2019-03-01/2019-03-15",
         "1/3/2019 to 15/3/2019"),
        ({"date": "March 2019", "end_date": "May 2019"}, "2019-03-01/2019-05-31",
         "March 2019 to May 2019"),
        ({"date": 2019}, "2019", None),
    ],
)  # fmt: skip
def test_dates_are_read_as_the_practitioner_wrote_them(
    cells: dict[str, Any], date: str, date_text: str | None
) -> None:
    entry = row(summary="x", **cells)
    assert (entry["date"], entry.get("date_text")) == (date, date_text)


def test_an_end_time_is_kept_in_the_detail() -> None:
    entry = row(summary="x", date="1/3/2019", end_date="2/3/2019", end_time="10:00")
    assert entry["detail"] == "End time: 10:00"


def plan_for(tmp_path: Path, text: str, agency: str = "Police") -> plan.ImportPlan:
    path = tmp_path / "police.csv"
    path.write_text(text, encoding="utf-8")
    return plan.prepare(path, minimal_case(), agency)


def test_every_problem_message_word_for_word(tmp_path: Path) -> None:
    prepared = plan_for(
        tmp_path,
        "Date,Time,End date,Event\n"
        "31/02/2019,,,a\n"
        ",,,no date\n"
        "March 2019,14:30,,time without a day\n"
        "12/03/2019,25:00,,bad time\n"
        "12/03/2019,,1/3/2019,ends first\n"
        "12/03/2019,,,\n"
        "45000.5,,,number\n",
    )
    assert [p.message for p in prepared.problems] == [
        'police.csv, line 2, column Date: "31/02/2019" is not a real date (February 2019 has '
        "28 days)",
        "police.csv, line 3, column Date: no date is given; every entry needs one (for example "
        "12/03/2019 or March 2019)",
        'police.csv, line 4, column Time: "14:30" is a time, but the date is not a single day',
        'police.csv, line 5, column Time: "25:00" is not a time (write, e.g., 14:30)',
        'police.csv, line 6, column End date: "1/3/2019" is before the start date ("12/03/2019")',
        "police.csv, line 7, column Event: no text says what happened",
        'police.csv, line 8, column Date: "45000.5" is not a date that can be read with '
        "certainty: write it as, for example, 12/03/2019, 12 March 2019, March 2019, 2019, "
        "early 2018, summer 2017, w/c 4 March 2019, approx. 2015 or between March and May 2019",
    ]
    assert prepared.problems[0].as_json() == {
        "file": "police.csv",
        "row": 2,
        "column": "Date",
        "message": prepared.problems[0].message,
    }


def test_the_message_form_for_a_sheet() -> None:
    problem = rows.Problem("police.xlsx", "sheet", "Chronology", 14, "Date", "x")
    assert problem.message == "police.xlsx, sheet Chronology, row 14, column Date: x"
    assert problem.as_json()["sheet"] == "Chronology"


def test_kind_source_reference_and_what_is_kept(tmp_path: Path) -> None:
    prepared = plan_for(
        tmp_path,
        "Date,Category,Description,Source,Ref,Officer\n"
        "1/6/2021,Domestic incident,Call-out,,R1,PC 12\n"
        "2/6/2021,MARAC referral,Referred,IDVA,,\n"
        "3/6/2021,Separation,Ann says Cal left,Health,,\n"
        "4/6/2021,Welfare check,Visit,,,\n",
    )
    entries = [item.entry for item in prepared.items]
    assert [(e["kind"], e["source"]) for e in entries if e] == [
        ("incident", {"agency": "Police", "reference": "R1"}),
        ("marac_referral", {"agency": "IDVA"}),
        ("note", {"agency": "Health"}),  # a relationship kind needs a relationship: a note
        ("note", {"agency": "Police"}),
    ]
    assert entries[0] is not None and entries[0]["detail"] == "Officer: PC 12"
    assert entries[2] is not None and entries[2]["attributes"]["category"] == "Separation"
    assert entries[3] is not None and entries[3]["attributes"]["category"] == "Welfare check"


def test_persons_named_in_the_text_are_offered_never_linked(tmp_path: Path) -> None:
    prepared = plan_for(
        tmp_path,
        "Date,Event,People\n1/6/2022,Ann seen with CAL O at the shops,\n2/6/2022,Visit,Bo Test\n",
    )
    assert [link.as_json() for link in prepared.person_links] == [
        {"row": 2, "person": "p1", "why": 'Event names "Ann"'},
        {"row": 2, "person": "p3", "why": 'Event names "CAL O"'},
        {"row": 3, "person": "p2", "why": 'People names "Bo Test"'},
    ]
    assert all("persons" not in item.entry for item in prepared.items if item.entry)
    assert prepared.items[1].entry is not None
    assert prepared.items[1].entry["detail"] == "People involved: Bo Test"  # the words kept


def test_an_edited_cell_is_read_again(tmp_path: Path) -> None:
    prepared = plan_for(tmp_path, "Date,Event\n31/02/2019,x\n")
    item = prepared.items[0]
    assert item.entry is None and len(item.problems) == 1
    prepared.edit(item, "date", "28/02/2019")
    assert item.problems == [] and item.entry is not None
    assert item.entry["date"] == "2019-02-28"


PERSONS = [
    {"id": "p1", "name": "Ann Test"},
    {"id": "p2", "name": "Bo Test", "aliases": ["Bobby"]},
]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("ANN TEST seen at home", [("p1", 'Event names "ANN TEST"')]),
        (
            "Ann-Test and Bobby seen",
            [("p1", 'Event names "Ann-Test"'), ("p2", 'Event names "Bobby"')],
        ),
        ("Ann seen; later Ann Test", [("p1", 'Event names "Ann Test"')]),  # the longest name
        ("Annabel and Bo seen", []),  # whole words only; "Bo" alone is too short to offer
        # lower case changes "İ" into two characters: the names are matched case-blind
        ("İstanbul trip: ann seen", [("p1", 'Event names "ann"')]),
    ],
)
def test_the_names_a_row_offers(text: str, found: list[tuple[str, str]]) -> None:
    links = rows.PersonFinder(PERSONS).links(7, {"Event": text})
    assert [(link.person, link.why) for link in links] == found
    assert all(link.row == 7 for link in links)
