"""Merging a contribution into a case: possible duplicates and the decisions on them, the
same-event link and its checks, and one import as one audited, undoable step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chronology_app.core import validation
from chronology_app.core.errors import InvalidInput
from chronology_app.core.model.tables import AuditRecord
from chronology_app.core.tables_import import plan
from chronology_app.core.tables_import.duplicates import DuplicateFinder

CSV = (
    "Date,Event,Source\n"
    "01/06/2021,Police called after Cal pushed Ann,Police\n"  # e2 in other words
    "02/06/2021,Ann seen at GP surgery,Health\n"
    "2021-06-01,Ann and Cal seen by neighbour arguing,\n"  # loosely alike, same people
)


def prepared(tmp_path: Path, service: Any, text: str = CSV) -> plan.ImportPlan:
    path = tmp_path / "health.csv"
    path.write_text(text, encoding="utf-8")
    return plan.prepare(path, service.document("TS-2024-0001"), "Health")


def test_possible_duplicates_say_why(tmp_path: Path, case: Any) -> None:
    found = prepared(tmp_path, case)
    assert [pair.as_json() for pair in found.possible_duplicates] == [
        {
            "row": 2,
            "entry": "e2",
            "why": "both on 1 June 2021; the text is 95% alike; both name Ann Test, Cal Other; "
            "already recorded by Police",
        },
    ]


def test_same_people_on_the_same_day_lowers_the_bar() -> None:
    finder = DuplicateFinder(
        [
            {
                "id": "e9",
                "date": "2021-06-01",
                "summary": "Neighbour reports Ann and Cal arguing in street",
                "source": {"agency": "Police"},
                "persons": [{"person": "p1", "role": "subject"}],
            }
        ]
    )
    row = {"date": "2021-06-01", "summary": "Ann and Cal seen arguing"}
    assert finder.find(5, row) == []  # alike, but not closely enough on its own
    (pair,) = finder.find(5, row, ["p1"])
    assert pair.entry == "e9" and "both name p1" in pair.why
    assert finder.find(5, {**row, "date": "2021-07-01"}, ["p1"]) == []  # no overlap


@pytest.mark.parametrize(
    ("decision", "count", "same_event_as"),
    [("separate", 3, None), ("same-event", 3, "e2"), ("leave-out", 2, None)],
)
def test_each_decision(
    tmp_path: Path, case: Any, decision: plan.Decision, count: int, same_event_as: str | None
) -> None:
    found = prepared(tmp_path, case)
    with pytest.raises(plan.Undecided, match="1 rows may duplicate entries already in the case"):
        found.accepted()
    entries, left_out = found.accepted({2: decision})
    assert len(entries) == count
    assert left_out == ([2] if decision == "leave-out" else [])
    first = entries[0]
    assert first.get("same_event_as") == (same_event_as if decision != "leave-out" else None)
    case.import_entries("TS-2024-0001", entries, plan.action_name("Health", len(entries)))
    document = case.document("TS-2024-0001")
    assert len(document["entries"]) == 2 + count
    if decision == "same-event":
        stored = next(e for e in document["entries"] if e.get("same_event_as"))
        assert stored["source"]["agency"] == "Police"  # both sources kept
        assert any(e["id"] == "e2" for e in document["entries"])


def test_one_import_is_one_audit_record_and_one_undo_step(
    tmp_path: Path, case: Any, workspace: Any
) -> None:
    found = prepared(tmp_path, case)
    entries, _ = found.accepted({2: "separate"})
    result = case.import_entries("TS-2024-0001", entries, plan.action_name("Health", 3))
    assert result.action == "Import Health contribution, 3 entries"
    (change,) = result.changes  # one change: the batch, keyed by its entries' numbers
    assert (change.object, change.key, len(change.after["entries"])) == ("entries", "3-5", 3)
    new_id = change.after["entries"][0]["doc"]["id"]
    (history,) = case.history("TS-2024-0001", new_id)
    assert (history.action, history.event) == ("Import Health contribution, 3 entries", "added")
    with workspace.reading() as session:
        records = session.query(AuditRecord).order_by(AuditRecord.id).all()
    assert [r.action for r in records][-1] == "Import Health contribution, 3 entries"
    assert len(records) == 2  # the case file, then the import
    assert case.undo_name == "Import Health contribution, 3 entries"
    refs = sorted(entry.ref for entry in case.case_data("TS-2024-0001").entries)
    assert refs == ["E0001", "E0002", "E0003", "E0004", "E0005"]
    case.undo()
    assert [e["id"] for e in case.document("TS-2024-0001")["entries"]] == ["e1", "e2"]
    case.redo()
    assert len(case.document("TS-2024-0001")["entries"]) == 5
    with pytest.raises(InvalidInput, match="there is nothing to import"):
        case.import_entries("TS-2024-0001", [], "Import Health contribution, 0 entries")


def test_problems_write_nothing(tmp_path: Path, case: Any) -> None:
    found = prepared(tmp_path, case, "Date,Event\n31/02/2021,x\n1/1/2021,y\n")
    with pytest.raises(plan.Undecided, match="1 problems remain"):
        found.accepted()
    entries, left_out = found.accepted(leave_out_bad_rows=True)
    assert (len(entries), left_out) == (1, [2])


def test_the_service_checks_every_entry_and_the_same_event_links(case: Any) -> None:
    good = {"date": "2021", "kind": "note", "summary": "x", "source": {"agency": "A"}}
    bad = [
        {**good, "id": "n1", "same_event_as": "n1"},
        {**good, "id": "n2", "same_event_as": "e404"},
        {**good, "id": "n3", "kind": "nonsense"},
        {**good, "id": "e1"},
    ]
    with pytest.raises(InvalidInput) as err:
        case.import_entries("TS-2024-0001", bad, "Import A contribution, 4 entries")
    assert err.value.problems == {
        "entries[0].same_event_as": "must name another entry, not the entry itself",
        "entries[1].same_event_as": 'no entry with id "e404"',
        "entries[2].kind": err.value.problems["entries[2].kind"],
        "entries[3].id": '"e1" is already the id of an entry',
    }
    assert err.value.problems["entries[2].kind"].startswith("must be one of: incident")
    assert len(case.document("TS-2024-0001")["entries"]) == 2


@pytest.mark.parametrize(
    ("entries", "others", "expected"),
    [
        ([{"id": "a", "same_event_as": "b"}], {"b": None}, []),
        ([{"id": "a", "same_event_as": "b"}, {"id": "b", "same_event_as": "c"}], {"c": None}, []),
        ([{"id": "a", "same_event_as": "a"}], {},
         ["must name another entry, not the entry itself"]),
        ([{"id": "a", "same_event_as": ""}], {}, ["must be the id of another entry"]),
        ([{"id": "a", "same_event_as": 3}], {}, ["must be the id of another entry"]),
        ([{"id": "a", "same_event_as": "x"}], {}, ['no entry with id "x"']),
        (
            [{"id": "a", "same_event_as": "b"}, {"id": "b", "same_event_as": "a"}],
            {},
            ["the same-event links go round in a loop (a → b → a)",
             "the same-event links go round in a loop (b → a → b)"],
        ),
        (
            [{"id": "a", "same_event_as": "b"}],
            {"b": "c", "c": "a"},
            ["the same-event links go round in a loop (a → b → c → a)"],
        ),
        ([{"id": "a", "same_event_as": "b"}], {"b": "c", "c": "b"}, []),  # not a's loop
    ],
)  # fmt: skip
def test_check_same_event(
    entries: list[dict[str, Any]], others: dict[str, Any], expected: list[str]
) -> None:
    found = validation.check_same_event(entries, "entries", others)
    assert [problem.message for problem in found] == expected
