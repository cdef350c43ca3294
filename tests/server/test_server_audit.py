"""The audit trail on a team server: the database user recorded by the database, one hash
chain per case that stays whole under concurrent writers, and tampering found per case."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from chronology_app.core import audit
from chronology_app.core.errors import Conflict
from tests.core.test_audit import MISFILINGS, data_problems, misfiling
from tests.server.conftest import case_for

N1 = "N-1"


def summary(service: Any, reference: str, text: str) -> dict[str, Any]:
    return {**service.document(reference)["entries"][1], "summary": text}


def verify(service: Any, anchors: tuple[str, ...] = ()) -> audit.ChainReport:
    with service.workspace.reading() as session:
        return audit.verify(session, anchors)


def test_who_is_the_database_user_whatever_the_client_sends(
    service_as: Callable[[str], Any], as_user: Callable[[str], Any]
) -> None:
    alice = service_as("alice")
    alice.import_case(case_for(N1))
    assert alice.user == "alice"
    # A client that lies about who it is: the database writes its own user's name.
    connection = as_user("alice")
    case_id = connection.execute("SELECT id FROM case_record").fetchone()[0]
    connection.execute(
        "INSERT INTO audit_record (at, who, action, case_id, case_reference, changes, "
        "prev_hash, hash) VALUES (now(), 'sam', 'Forged', %s, %s, '[]', 'x', 'y')",
        (case_id, N1),
    )
    whos = [row[0] for row in connection.execute("SELECT who FROM audit_record ORDER BY id")]
    assert whos == ["alice", "alice"]
    # ... and the record that did not come from the app breaks the chain.
    report = verify(alice)
    assert [p.kind for p in report.problems] == ["edited", "broken"]


def test_one_chain_per_case_stays_whole_under_concurrent_writers(
    service_as: Callable[[str], Any],
) -> None:
    setup = service_as("alice")
    setup.import_case(case_for(N1))
    setup.import_case(case_for("N-2"))
    writers = [service_as(name) for name in ("alice", "ann", "sam", "alice", "ann", "sam")]
    saved: list[int] = []
    refused: list[str] = []
    lock = threading.Lock()

    def work(index: int, service: Any) -> None:
        reference = (N1, "N-2")[index % 2]
        for round_ in range(6):
            try:
                result = service.edit_entry(
                    reference, "e2", summary(service, reference, f"w{index} r{round_}"), "why"
                )
            except Conflict as err:  # two saves to one case at the same moment: one waits
                with lock:
                    refused.append(str(err))
                continue
            with lock:
                saved.append(result.audit_id)

    threads = [
        threading.Thread(target=work, args=(i, service)) for i, service in enumerate(writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = verify(service_as("sam"))
    assert report.intact, report.problems
    assert report.records == 2 + len(saved)  # two imports, then every save told it was saved
    assert set(report.heads) == {N1, "N-2"}
    assert len(saved) + len(refused) == 36 and saved
    for message in refused:
        assert "at the same moment" in message


def test_tampering_is_found_in_the_case_it_touched(
    service_as: Callable[[str], Any], as_user: Callable[[str], Any]
) -> None:
    alice = service_as("alice")
    alice.import_case(case_for(N1))
    alice.import_case(case_for("N-2"))
    for number in range(3):
        alice.edit_entry(N1, "e2", summary(alice, N1, f"Version {number}."), "typo")
    before = verify(alice)
    assert before.intact and before.records == 5
    anchor = before.heads[N1][:16]
    dba = as_user("postgres")  # someone with the server's keys, behind the app's back
    ids = [
        row[0]
        for row in dba.execute(
            "SELECT id FROM audit_record WHERE case_reference = %s ORDER BY id", (N1,)
        )
    ]
    dba.execute("UPDATE audit_record SET reason = 'nothing' WHERE id = %s", (ids[2],))
    report = verify(alice)
    assert [(p.kind, p.records) for p in report.problems] == [("edited", (ids[2],))]
    # The newest record removed: only a fingerprint noted earlier shows it.
    dba.execute("UPDATE audit_record SET reason = 'typo' WHERE id = %s", (ids[2],))
    dba.execute("DELETE FROM audit_record WHERE id = %s", (ids[-1],))
    assert verify(alice).intact
    found = verify(alice, (anchor,))
    assert [p.kind for p in found.problems] == ["anchor"]
    # A record removed from the middle breaks its case's chain, and only that one.
    dba.execute("DELETE FROM audit_record WHERE id = %s", (ids[1],))
    broken = verify(alice)
    assert [(p.kind, p.records) for p in broken.problems] == [("broken", (ids[0], ids[2]))]
    assert "case N-1" in broken.problems[0].message


def test_verify_covers_only_the_cases_the_user_may_see(
    service_as: Callable[[str], Any],
) -> None:
    service_as("alice").import_case(case_for(N1))
    service_as("bob").import_case(case_for("S-1"))
    assert set(verify(service_as("bob")).heads) == {"S-1"}
    assert set(verify(service_as("sam")).heads) == {N1, "S-1"}


def test_a_removed_case_stays_hidden_and_its_chain_goes_on(
    service_as: Callable[[str], Any], as_user: Callable[[str], Any]
) -> None:
    alice = service_as("alice")
    alice.import_case(case_for(N1))
    alice.undo()  # the removal's record carries the whole case: only alice reads it
    for name in ("bob", "ann", "sam"):
        actions = [row[0] for row in as_user(name).execute("SELECT action FROM audit_record")]
        assert actions == [], name
    alice.import_case(case_for(N1))  # the chain goes on after the records others cannot see
    for name in ("alice", "ann", "sam"):
        report = verify(service_as(name))
        assert report.intact, (name, report.problems)
        assert set(report.heads) == {N1}


def test_no_one_writes_into_the_chain_of_a_case_they_cannot_see(
    service_as: Callable[[str], Any], as_user: Callable[[str], Any]
) -> None:
    service_as("alice").import_case(case_for(N1))
    service_as("bob").import_case(case_for("S-1"))
    bob = as_user("bob")
    mine = bob.execute("SELECT id FROM case_record").fetchone()[0]
    insert = (
        "INSERT INTO audit_record (at, who, action, case_id, case_reference, changes, "
        "prev_hash, hash) VALUES (now(), '', 'Forged', %s, %s, '[]', 'x', 'y')"
    )
    for case_id, reference in ((None, N1), (mine, N1), (None, "S-1")):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute(insert, (case_id, reference))
    assert verify(service_as("sam")).intact


def test_plain_sql_cannot_forge_a_chain_fork(as_user: Callable[[str], Any]) -> None:
    connection: psycopg.Connection[Any] = as_user("postgres")
    connection.execute(
        "INSERT INTO audit_record (at, who, action, changes, prev_hash, hash) "
        "VALUES (now(), '', 'a', '[]', 'p', 'h1')"
    )
    with pytest.raises(psycopg.errors.UniqueViolation):
        connection.execute(
            "INSERT INTO audit_record (at, who, action, changes, prev_hash, hash) "
            "VALUES (now(), '', 'b', '[]', 'p', 'h2')"
        )


@pytest.mark.parametrize(("what", "statement", "said"), MISFILINGS, ids=[m[0] for m in MISFILINGS])
def test_a_person_filed_otherwise_than_their_document_is_found_on_a_server(
    service_as: Callable[[str], Any],
    as_user: Callable[[str], Any],
    what: str,
    statement: str,
    said: str,
) -> None:
    """A practitioner may update the columns suggestions read (they write persons): an edit in
    plain SQL that would hide a person from the supervisor's suggestions, or stop the list,
    is named by the case data check, and the supervisor's list still comes."""
    service_as("alice").import_case(case_for(N1))
    service_as("bob").import_case(case_for("S-1"))
    sam = service_as("sam")
    assert data_problems(sam.workspace) == []
    assert len(sam.match_suggestions()) == 3
    as_user("alice").execute(misfiling(statement, N1))
    problems = data_problems(sam.workspace)
    assert len(problems) == 1, what
    assert problems[0].startswith(f"case {N1}: {said}"), problems
    sam.match_suggestions()
