"""The audit trail: tampering found record by record, an entry's history, reasons for changes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from sqlalchemy import select

from chronology_app.core import audit
from chronology_app.core.errors import InvalidInput, NotFound, WorkspaceError
from chronology_app.core.model.tables import AuditRecord
from chronology_app.core.service import Service
from chronology_app.core.settings import Settings
from chronology_app.core.store.workspace import Workspace
from tests.conftest import minimal_case

REF = "TS-2024-0001"


def edited_summary(text: str) -> dict[str, Any]:
    return {**minimal_case()["entries"][1], "summary": text}


@pytest.fixture
def trail(service: Service) -> Service:
    """A workspace with five audit records."""
    service.import_case(minimal_case())
    for number in range(1, 5):
        service.edit_entry(REF, "e2", edited_summary(f"Version {number}."))
    return service


def sql(workspace: Workspace, statement: str, *parameters: Any) -> None:
    """A change made behind the app's back, as someone with the passphrase and sqlite could."""
    with workspace.engine.begin() as connection:
        connection.exec_driver_sql(statement, parameters)


def records(workspace: Workspace) -> list[AuditRecord]:
    with workspace.reading() as session:
        return list(session.scalars(select(AuditRecord).order_by(AuditRecord.id)))


def rehash(workspace: Workspace, record_id: int, prev_hash: str | None = None) -> str:
    """Recompute one record's hash as a careful forger would (optionally relinking it)."""
    with workspace.writing() as session:
        row = session.get(AuditRecord, record_id)
        assert row is not None
        if prev_hash is not None:
            row.prev_hash = prev_hash
        row.hash = audit.audit_hash(row)
        return row.hash


def verify(workspace: Workspace, anchors: tuple[str, ...] = ()) -> audit.ChainReport:
    with workspace.reading() as session:
        return audit.verify(session, anchors)


def found(report: audit.ChainReport) -> list[tuple[str, tuple[int, ...]]]:
    return [(problem.kind, problem.records) for problem in report.problems]


# --- verify -----------------------------------------------------------------------------------


def test_an_untouched_trail_is_intact_with_a_fingerprint(trail: Service) -> None:
    report = verify(trail.workspace)
    assert report.intact and report.records == 5
    assert report.fingerprint == records(trail.workspace)[-1].hash[:16]


def test_an_empty_trail_is_intact(workspace: Workspace) -> None:
    report = verify(workspace)
    assert report.intact and report.records == 0 and report.head == audit.GENESIS_HASH


def test_an_edited_record_is_named(trail: Service) -> None:
    sql(trail.workspace, "UPDATE audit_record SET reason = 'nothing to see' WHERE id = 3")
    report = verify(trail.workspace)
    assert found(report) == [("edited", (3,))]
    assert report.problems[0].message == (
        "record 3 was edited after it was written: its content no longer matches its hash"
    )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_record SET who = 'Someone Else' WHERE id = 2",
        "UPDATE audit_record SET at = '2020-01-01 00:00:00.000000' WHERE id = 2",
        "UPDATE audit_record SET changes = '[]' WHERE id = 2",
        "UPDATE audit_record SET case_id = 99 WHERE id = 2",
    ],
)
def test_any_field_edited_is_found(trail: Service, statement: str) -> None:
    sql(trail.workspace, statement)
    assert found(verify(trail.workspace)) == [("edited", (2,))]


def test_an_edit_hidden_by_a_recomputed_hash_still_breaks_the_chain(trail: Service) -> None:
    sql(trail.workspace, "UPDATE audit_record SET who = 'Someone Else' WHERE id = 3")
    rehash(trail.workspace, 3)
    report = verify(trail.workspace)
    assert found(report) == [("broken", (3, 4))]
    assert "record 3 was edited and its hash recomputed" in report.problems[0].message


def test_a_removed_record_is_named_even_when_the_chain_is_relinked(trail: Service) -> None:
    rows = records(trail.workspace)
    sql(trail.workspace, "DELETE FROM audit_record WHERE id = 3")
    assert found(verify(trail.workspace)) == [("removed", (3,))]
    rehash(trail.workspace, 4, prev_hash=rows[1].hash)
    rehash(trail.workspace, 5, prev_hash=records(trail.workspace)[2].hash)
    report = verify(trail.workspace)
    assert found(report) == [("removed", (3,))]
    assert report.problems[0].message == "record 3 removed"


def test_several_removed_records_are_one_span(trail: Service) -> None:
    sql(trail.workspace, "DELETE FROM audit_record WHERE id IN (2, 3)")
    report = verify(trail.workspace)
    assert found(report) == [("removed", (2, 3))]
    assert report.problems[0].message == "records 2 to 3 removed"


def test_a_removed_first_record_is_found(trail: Service) -> None:
    sql(trail.workspace, "DELETE FROM audit_record WHERE id = 1")
    assert found(verify(trail.workspace)) == [("removed", (1,))]


def test_an_inserted_record_is_named(trail: Service) -> None:
    """A forged record slipped in after record 2, later ones renumbered to make room."""
    rows = records(trail.workspace)
    sql(trail.workspace, "UPDATE audit_record SET id = id + 100 WHERE id > 2")
    sql(trail.workspace, "UPDATE audit_record SET id = id - 99 WHERE id > 100")
    with trail.workspace.writing() as session:
        forged = AuditRecord(
            id=3,
            who="Forger",
            action="Edit entry",
            case_reference=REF,
            changes=[],
            prev_hash=rows[1].hash,
            hash="",
        )
        forged.at = datetime.datetime.now(datetime.UTC)
        forged.hash = audit.audit_hash(forged)
        session.add(forged)
    report = verify(trail.workspace)
    assert found(report) == [("inserted", (3,))]
    assert report.problems[0].message == (
        "record 3 did not come from the app: record 4 follows record 2"
    )


def test_a_record_the_app_cannot_read_is_reported_not_a_crash(trail: Service) -> None:
    sql(trail.workspace, "UPDATE audit_record SET changes = '{not json' WHERE id = 2")
    sql(trail.workspace, "UPDATE audit_record SET at = 'yesterday' WHERE id = 4")
    assert found(verify(trail.workspace)) == [("unreadable", (2,)), ("unreadable", (4,))]


def test_a_record_removed_from_the_end_is_found_by_a_fingerprint_noted_earlier(
    trail: Service,
) -> None:
    noted = verify(trail.workspace).fingerprint
    assert verify(trail.workspace, (noted,)).intact
    sql(trail.workspace, "DELETE FROM audit_record WHERE id = 5")
    assert verify(trail.workspace).intact  # the chain alone cannot see a cut end...
    report = verify(trail.workspace, (noted,))  # ...a fingerprint kept elsewhere can
    assert found(report) == [("anchor", ())]
    assert "noted earlier is no longer in the trail" in report.problems[0].message


def test_a_fingerprint_must_look_like_one(trail: Service) -> None:
    report = verify(trail.workspace, ("abc",))
    assert report.problems[0].message == (
        '"abc" is not a fingerprint: give at least 12 of its hex digits'
    )


# --- history ----------------------------------------------------------------------------------


def test_history_says_who_when_why_and_what_changed_field_by_field(service: Service) -> None:
    service.import_case(minimal_case())
    service.edit_entry(REF, "e2", edited_summary("Police called: Cal pushed Ann twice."), "typo")
    Service(service.workspace, "A. Supervisor").link_person(REF, "e2", "p2", "child_present")
    service.withdraw_entry(REF, "e2", "Entered on the wrong family's file")
    history = service.history(REF, "e2")
    assert [(h.who, h.action, h.event, h.reason) for h in history] == [
        ("Test Worker", f"Import case {REF}", "added", None),
        ("Test Worker", "Edit entry", "changed", "typo"),
        ("A. Supervisor", "Link person to entry", "changed", None),
        ("Test Worker", "Withdraw entry", "withdrawn", "Entered on the wrong family's file"),
    ]
    assert history[1].fields == (
        audit.FieldChange(
            "summary", "Police called: Cal pushed Ann.", "Police called: Cal pushed Ann twice."
        ),
    )
    assert history[2].fields == (
        audit.FieldChange("persons[2]", None, {"person": "p2", "role": "child_present"}),
    )
    (withdrawn,) = history[3].fields
    assert withdrawn.path == "withdrawn" and withdrawn.before is None
    assert withdrawn.after["reason"] == "Entered on the wrong family's file"
    assert {h.number for h in history} == {2}
    assert all(h.at.tzinfo is not None for h in history)


def test_history_finds_an_entry_by_its_number_and_outlives_the_case(service: Service) -> None:
    service.import_case(minimal_case())
    assert [h.entry_id for h in service.history(REF, "E0002")] == ["e2"]
    service.undo()  # the import: the case is gone, its history is not
    assert [h.event for h in service.history(REF, "e2")] == ["added", "removed"]
    with pytest.raises(NotFound, match='No entry "e9" has ever been in case'):
        service.history(REF, "e9")
    with pytest.raises(NotFound):
        service.history(REF, "E²")


def test_history_from_a_damaged_trail_is_a_clear_error(service: Service) -> None:
    service.import_case(minimal_case())
    sql(service.workspace, "UPDATE audit_record SET changes = '{not json' WHERE id = 1")
    with pytest.raises(WorkspaceError, match="Record 1 of the audit trail was altered"):
        service.history(REF, "e2")


def test_a_field_removed_and_a_field_added_show_as_none(service: Service) -> None:
    service.import_case(minimal_case())
    entry = {**minimal_case()["entries"][1], "detail": "More."}
    del entry["tags"]
    service.edit_entry(REF, "e2", entry)
    assert service.history(REF, "e2")[-1].fields == (
        audit.FieldChange("tags", ["physical"], None),
        audit.FieldChange("detail", None, "More."),
    )


# --- an old entry changes only with a reason -------------------------------------------------


def age_entries(workspace: Workspace, hours: int) -> None:
    when = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=hours)
    sql(workspace, "UPDATE entry SET created_at = ?", when.strftime("%Y-%m-%d %H:%M:%S.%f"))


def test_an_entry_older_than_a_day_is_changed_only_with_a_reason(service: Service) -> None:
    service.import_case(minimal_case())
    service.edit_entry(REF, "e2", edited_summary("Fresh entries need no reason."))
    age_entries(service.workspace, 25)
    for reason in (None, "", "   "):
        with pytest.raises(InvalidInput) as caught:
            service.edit_entry(REF, "e2", edited_summary("Changed."), reason)
        assert caught.value.problems == {
            "reason": "this entry was recorded more than 24 hours ago: say why it is being changed"
        }
    with pytest.raises(InvalidInput, match="reason"):
        service.link_person(REF, "e2", "p2", "child_present")
    assert service.case_data(REF).entry_by_id["e2"].summary == "Fresh entries need no reason."
    service.edit_entry(REF, "e2", edited_summary("Changed."), "Police log corrected")
    service.link_person(REF, "e2", "p2", "child_present", reason="Leo was there")
    assert [h.reason for h in service.history(REF, "e2")][-2:] == [
        "Police log corrected",
        "Leo was there",
    ]


def test_the_period_is_a_setting(workspace: Workspace) -> None:
    strict = Service(workspace, "T", Settings(edit_reason_after_hours=0))
    strict.import_case(minimal_case())
    with pytest.raises(InvalidInput) as caught:
        strict.edit_entry(REF, "e2", edited_summary("Changed."))
    assert caught.value.problems == {
        "reason": "this entry is on the record: say why it is being changed"
    }
    age_entries(workspace, 47)
    Service(workspace, "T", Settings(edit_reason_after_hours=48)).edit_entry(
        REF, "e2", edited_summary("Changed.")
    )


def test_withdrawing_is_never_a_silent_erase(service: Service) -> None:
    service.import_case(minimal_case())
    with pytest.raises(InvalidInput):
        service.withdraw_entry(REF, "e1", "")
    service.withdraw_entry(REF, "e1", "Duplicate of e2")
    rows = service.workspace.engine.connect().exec_driver_sql(
        "SELECT withdrawn, withdrawn_reason, withdrawn_by FROM entry WHERE key = 'e1'"
    )
    assert list(rows) == [(1, "Duplicate of e2", "Test Worker")]


def test_workspace_events_are_on_the_trail(service: Service) -> None:
    result = service.record_workspace_event("Restore from backup", "x.chronology-backup")
    assert result.case_reference is None and result.changes == ()
    row = records(service.workspace)[-1]
    assert (row.action, row.reason, row.case_reference) == (
        "Restore from backup",
        "x.chronology-backup",
        None,
    )
    assert service.undo_name is None
    assert verify(service.workspace).intact


# --- the columns cross-case suggestions read, against the persons' documents -----------------

# The stored id of person p{n} of case {ref} (plain SQL on a file and on a team server alike).
PERSON = (
    "(SELECT p.id FROM person p JOIN case_record c ON c.id = p.case_id "
    "WHERE c.reference = '{ref}' AND p.key = '{key}')"
)
# Edits of the derived columns straight in the database, as someone with the passphrase (or a
# practitioner on a team server, who may update these tables) could make them, and what the
# check says: the case and the person's id, never a name.
MISFILINGS = [
    (
        "a date of birth that is no date",
        "UPDATE person SET date_of_birth = 'not a date' WHERE id = {p2}",
        "person p2's filing for suggestions changed outside Chronology (date of birth altered)",
    ),
    (
        "a date of birth removed",
        "UPDATE person SET date_of_birth = NULL WHERE id = {p2}",
        "person p2's filing for suggestions changed outside Chronology (date of birth altered)",
    ),
    (
        "a year of birth that rules the match out",
        "UPDATE person_name_key SET birth_year = 1900 WHERE person_id = {p2}",
        "person p2's filing for suggestions changed outside Chronology (name keys: ",
    ),
    (
        "a person made a professional",
        "UPDATE person_name_key SET professional = NOT professional WHERE person_id = {p3}",
        "person p3's filing for suggestions changed outside Chronology (name keys: ",
    ),
    (
        "a person moved to another case",
        "UPDATE person_name_key SET case_id = case_id + 1 WHERE person_id = {p3}",
        "person p3's filing for suggestions changed outside Chronology (name keys: ",
    ),
    (
        "a person's keys removed",
        "DELETE FROM person_name_key WHERE person_id = {p3}",
        "person p3's filing for suggestions changed outside Chronology (name keys: ",
    ),
    (
        "a key added",
        "INSERT INTO person_name_key (person_id, key, case_id, professional) "
        "SELECT person_id, 'n:someone else', case_id, professional FROM person_name_key "
        "WHERE person_id = {p1} AND key LIKE 'n:%'",
        "person p1's filing for suggestions changed outside Chronology (name keys: 1 extra)",
    ),
    (
        "a name",
        "UPDATE person SET name = 'Someone Else' WHERE id = {p1}",
        "person p1's filing for suggestions changed outside Chronology (name altered)",
    ),
    (
        "an alias",
        "DELETE FROM person_alias WHERE person_id = {p3}",
        "person p3's filing for suggestions changed outside Chronology (aliases altered)",
    ),
]


def misfiling(statement: str, reference: str) -> str:
    return statement.format(
        **{key: PERSON.format(ref=reference, key=key) for key in ("p1", "p2", "p3")}
    )


def data_problems(workspace: Any) -> list[str]:
    with workspace.reading() as session:
        problems = audit.check_case_data(session)
    assert {problem.kind for problem in problems} <= {"data"}
    return [problem.message for problem in problems]


@pytest.fixture
def two_cases(service: Service) -> Service:
    """The same family in two cases: every person of one a suggestion with one of the other."""
    service.import_case(minimal_case("A-1"))
    service.import_case(minimal_case("B-1"))
    return service


@pytest.mark.parametrize(("what", "statement", "said"), MISFILINGS, ids=[m[0] for m in MISFILINGS])
def test_a_person_filed_otherwise_than_their_document_is_a_data_problem(
    two_cases: Service, what: str, statement: str, said: str
) -> None:
    assert data_problems(two_cases.workspace) == []
    suggested = two_cases.match_suggestions()
    assert len(suggested) == 3
    sql(two_cases.workspace, misfiling(statement, "A-1"))
    problems = data_problems(two_cases.workspace)
    assert len(problems) == 1, what
    assert problems[0].startswith(f"case A-1: {said}"), problems
    assert not any(name in problems[0] for name in ("Ann", "Bo", "Cal", "Test", "Someone"))
    two_cases.match_suggestions()  # the list still comes, whatever was altered


def test_a_date_of_birth_that_is_no_date_is_not_known_to_suggestions(two_cases: Service) -> None:
    """One altered column neither stops the list nor hides the person: the date of birth is
    taken as not known (compatible with any), and the check names the person."""
    before = two_cases.match_suggestions()
    sql(two_cases.workspace, misfiling(MISFILINGS[0][1], "A-1"))
    after = two_cases.match_suggestions()
    assert [(s.first, s.second) for s in after] == [(s.first, s.second) for s in before]
    [child] = [s for s in after if s.first.person_id == "p2"]
    assert child.dates_of_birth == "one or both unknown"


def test_suggestions_are_the_same_when_nothing_was_altered(two_cases: Service) -> None:
    """The columns read as the documents are: the same list as the matcher makes from them."""
    from chronology_app.core import crosscase

    persons = [
        (reference, person)
        for reference in ("A-1", "B-1")
        for person in two_cases.case_data(reference).persons
    ]
    assert two_cases.match_suggestions() == crosscase.suggest_matches(persons, [])
