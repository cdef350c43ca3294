"""A save on a team server in as few round trips as its guarantees allow: the case's row, its
audit chain's head and its ids read together, the case's row touched with the audit record,
no check of a connection used moments ago; and a connection the server dropped while it
waited in the pool is replaced, not reported."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from sqlalchemy import event

from chronology_app.core import audit
from chronology_app.core.errors import WorkspaceError
from chronology_app.core.store import server
from tests.server.conftest import case_for

REF = "RT-1"


def statements(service: Any, save: Callable[[], Any]) -> list[str]:
    sent: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(" ".join(statement.split()))

    event.listen(service.workspace.engine, "before_cursor_execute", note)
    try:
        save()
    finally:
        event.remove(service.workspace.engine, "before_cursor_execute", note)
    return sent


def edit(service: Any, text: str, entry: dict[str, Any] | None = None) -> Any:
    entry = entry or service.document(REF)["entries"][1]
    return service.edit_entry(REF, "e2", {**entry, "summary": text}, "typing error")


def test_an_edit_reads_the_case_and_its_chain_head_in_one_statement(
    service_as: Callable[[str], Any],
) -> None:
    alice = service_as("alice")
    alice.import_case(case_for(REF))
    entry = alice.document(REF)["entries"][1]
    sent = statements(alice, lambda: edit(alice, "First change.", entry))
    assert sent[0].startswith("SELECT case_record.id")
    assert [s for s in sent if "chronology_chain_head" in s] == [sent[0]]  # asked once
    assert "json_object_agg(person.key" in sent[0]  # and the ids an entry is checked against
    # the case (with its head and ids), the entry, the entry's update, and the record
    # written with the case's row touched in the same statement
    assert len(sent) == 4
    assert sent[-1].startswith("WITH touched AS (UPDATE case_record SET updated_at")


def test_the_head_read_with_the_case_is_the_one_the_record_follows(
    service_as: Callable[[str], Any],
) -> None:
    alice, ann = service_as("alice"), service_as("ann")
    alice.import_case(case_for(REF))
    alice.import_case(case_for("RT-2"))
    for number in range(3):  # records of another case in between, by someone else
        edit(alice, f"Change {number}.")
        entry = {**ann.document("RT-2")["entries"][1], "summary": f"Other {number}."}
        ann.edit_entry("RT-2", "e2", entry, "why")
    with alice.workspace.reading() as session:
        report = audit.verify(session)
    assert report.intact, report.problems
    assert set(report.heads) == {REF, "RT-2"}
    assert report.records == 2 + 6


def terminate(team_db: Callable[[str], str], user: str) -> int:
    """End every server process of `user` (as a server restart or a dropped link would)."""
    with psycopg.connect(team_db("postgres"), autocommit=True) as connection:
        return len(
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                (user,),
            ).fetchall()
        )


def test_a_connection_dropped_while_idle_in_the_pool_is_replaced(
    service_as: Callable[[str], Any],
    team_db: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alice = service_as("alice")
    alice.import_case(case_for(REF))
    monkeypatch.setattr(server, "PING_AFTER_IDLE_SECONDS", 0.0)  # every wait counts as long
    assert terminate(team_db, "alice") >= 1
    edit(alice, "Saved after the server dropped the connection.")
    assert alice.document(REF)["entries"][1]["summary"] == (
        "Saved after the server dropped the connection."
    )


def test_a_connection_dropped_moments_after_use_fails_the_save_with_a_message(
    service_as: Callable[[str], Any], team_db: Callable[[str], str]
) -> None:
    alice = service_as("alice")
    alice.import_case(case_for(REF))
    entry = alice.document(REF)["entries"][1]
    assert terminate(team_db, "alice") >= 1
    with pytest.raises(WorkspaceError, match=r"connection to .* was lost; this change was not"):
        edit(alice, "Not saved.", entry)
    edit(alice, "Saved on a new connection.")  # the pool let the broken one go
    assert alice.document(REF)["entries"][1]["summary"] == "Saved on a new connection."
