"""Row-level security decides who sees what, checked with plain SQL as each person (psycopg,
not the app): a practitioner sees their team's cases, a supervisor their teams', an
access-limited case only its named people, an admin no case at all; nothing else is readable
or writable, and the owner is bound by the policies too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from psycopg import errors

from chronology_app.core.store import server_admin
from tests.server.conftest import case_for

# Every table holding case content, with a column to read from it.
CASE_TABLES = {
    "case_record": "reference",
    "person": "name",
    "person_alias": "alias",
    "person_name_key": "key",
    "relationship": "kind",
    "entry": "summary",
    "entry_person": "role",
    "entry_tag": "tag",
    "flag_review": "rule",
    "case_review": "comments",
    "audit_record": "action",
}


@pytest.fixture
def cases(service_as: Callable[[str], Any], team_db: Callable[[str], str]) -> None:
    """N-1 and N-2 made by alice (team north), S-1 by bob (south); N-2 limited to ann."""
    alice, bob = service_as("alice"), service_as("bob")
    alice.import_case(case_for("N-1"))
    alice.import_case(case_for("N-2"))
    bob.import_case(case_for("S-1"))
    sam = service_as("sam")
    sam.record_case_review("N-1", "Reviewed in supervision.")
    sam.record_case_review("S-1", "Reviewed in supervision.")
    review = {"rule": "R1", "evidence": ["e2"], "decision": "acknowledged", "reason": "Seen."}
    alice.record_flag_review("N-1", review)
    server_admin.limit(team_db(), "N-2", ["ann"])


def references(connection: psycopg.Connection[Any], table: str = "case_record") -> set[str]:
    query = (
        "SELECT reference FROM case_record"
        if table == "case_record"
        else f"SELECT DISTINCT c.reference FROM {table} t JOIN case_record c ON c.id = t.case_id"
    )
    return {row[0] for row in connection.execute(query)}


def visible_ids(connection: psycopg.Connection[Any]) -> dict[str, set[int]]:
    """For each table, the ids of the rows this connection can read."""
    seen = {}
    for table in CASE_TABLES:
        ids = [row[0] for row in connection.execute(f"SELECT id FROM {table}")]
        seen[table] = set(ids)
    return seen


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("alice", {"N-1"}),  # her team's cases, not the limited one
        ("ann", {"N-1", "N-2"}),  # named on the limited case
        ("bob", {"S-1"}),
        ("sam", {"N-1", "S-1"}),  # both his teams, but not the limited case
    ],
)
def test_each_person_reads_only_their_cases(
    cases: None, as_user: Callable[[str], Any], user: str, expected: set[str]
) -> None:
    connection = as_user(user)
    assert references(connection) == expected
    for table in ("person", "relationship", "entry", "flag_review", "case_review"):
        assert references(connection, table) <= expected, table


def test_an_admin_reads_no_case_content(cases: None, as_user: Callable[[str], Any]) -> None:
    ada = as_user("ada")
    for table, column in CASE_TABLES.items():
        with pytest.raises(errors.InsufficientPrivilege):
            ada.execute(f"SELECT {column} FROM {table}")


def _case_of_rows(owner: psycopg.Connection[Any], table: str, ids: set[int]) -> set[str]:
    """The cases that rows of `table` belong to, as the superuser sees them."""
    by_person = "JOIN person p ON p.id = t.person_id JOIN case_record c ON c.id = p.case_id"
    by_entry = "JOIN entry e ON e.id = t.entry_id JOIN case_record c ON c.id = e.case_id"
    paths = {
        "person_alias": by_person,
        "person_name_key": by_person,
        "entry_person": by_entry,
        "entry_tag": by_entry,
        "case_record": "JOIN case_record c ON c.id = t.id",
        "audit_record": "JOIN case_record c ON c.id = t.case_id",
    }
    join = paths.get(table, "JOIN case_record c ON c.id = t.case_id")
    rows = owner.execute(
        f"SELECT DISTINCT c.reference FROM {table} t {join} WHERE t.id = ANY(%s)", (list(ids),)
    )
    return {row[0] for row in rows}


@pytest.mark.parametrize("user", ["alice", "ann", "bob", "sam"])
def test_no_row_of_another_case_is_readable_in_any_table(
    cases: None, as_user: Callable[[str], Any], user: str
) -> None:
    allowed = {
        "alice": {"N-1"},
        "ann": {"N-1", "N-2"},
        "bob": {"S-1"},
        "sam": {"N-1", "S-1"},
    }[user]
    connection, owner = as_user(user), as_user("postgres")
    for table, ids in visible_ids(connection).items():
        assert _case_of_rows(owner, table, ids) <= allowed, table


def test_nothing_else_is_writable(cases: None, as_user: Callable[[str], Any]) -> None:
    bob, owner = as_user("bob"), as_user("postgres")
    n1 = owner.execute("SELECT id FROM case_record WHERE reference = 'N-1'").fetchone()[0]
    # Updates and deletes of rows bob cannot see touch nothing.
    assert bob.execute("UPDATE entry SET summary = 'x' WHERE case_id = %s", (n1,)).rowcount == 0
    assert bob.execute("DELETE FROM person WHERE case_id = %s", (n1,)).rowcount == 0
    assert bob.execute("UPDATE case_record SET title = 'x' WHERE id = %s", (n1,)).rowcount == 0
    # Inserting into another team's case is refused by the policy's check.
    with pytest.raises(errors.InsufficientPrivilege):
        bob.execute(
            "INSERT INTO person (case_id, key, position, name, restricted, doc) "
            "VALUES (%s, 'px', 99, 'Intruder', false, '{}')",
            (n1,),
        )
    # Nobody moves a case to another team but an admin's allocation.
    with pytest.raises(errors.InsufficientPrivilege):
        as_user("alice").execute("UPDATE case_record SET team = 'south'")
    with pytest.raises(errors.InsufficientPrivilege):
        bob.execute("SELECT chronology_allocate('N-1', 'south')")
    # Nor lifts an access limit but an admin, not even someone it names.
    for statement in (
        "UPDATE case_record SET limited = false",
        "DELETE FROM chronology_access_limit",
    ):
        with pytest.raises(errors.InsufficientPrivilege):
            as_user("ann").execute(statement)
    assert references(as_user("alice")) == {"N-1"}
    # The audit trail is appended to, never changed.
    for statement in ("UPDATE audit_record SET reason = 'x'", "DELETE FROM audit_record"):
        with pytest.raises(errors.InsufficientPrivilege):
            as_user("alice").execute(statement)
    # Memberships are an admin's to change.
    with pytest.raises(errors.InsufficientPrivilege):
        bob.execute("INSERT INTO chronology_team_member VALUES ('bob', 'north', 'practitioner')")
    # A practitioner does not write a supervisor's case review.
    assert as_user("alice").execute("DELETE FROM case_review").rowcount == 0
    with pytest.raises(errors.InsufficientPrivilege):
        as_user("alice").execute("UPDATE case_review SET comments = 'x'")
    assert owner.execute("SELECT count(*) FROM case_review").fetchone()[0] == 2
    assert owner.execute("SELECT title FROM case_record WHERE id = %s", (n1,)).fetchone()[0] == (
        "Family T"
    )


def test_allocation_moves_a_case_between_teams(
    cases: None, as_user: Callable[[str], Any], team_db: Callable[[str], str]
) -> None:
    server_admin.allocate(team_db("ada"), "S-1", "north")
    assert references(as_user("alice")) == {"N-1", "S-1"}
    assert references(as_user("bob")) == set()


def test_lifting_a_limit_gives_the_case_back_to_its_team(
    cases: None, as_user: Callable[[str], Any], team_db: Callable[[str], str]
) -> None:
    server_admin.limit(team_db("ada"), "N-2", [])
    assert references(as_user("alice")) == {"N-1", "N-2"}


def test_every_table_forces_row_level_security_and_app_roles_own_nothing(
    cases: None, as_user: Callable[[str], Any]
) -> None:
    owner = as_user("postgres")
    tables = owner.execute(
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind = 'r'"
    ).fetchall()
    assert len(tables) >= 15
    for name, enabled, forced, table_owner in tables:
        assert enabled and forced, name
        assert table_owner == "chronology_owner", name
    bypass = owner.execute(
        "SELECT rolname FROM pg_roles WHERE (rolbypassrls OR rolsuper) AND rolname IN "
        "('chronology_owner', 'chronology_practitioner', 'chronology_supervisor', "
        "'chronology_admin', 'alice', 'ann', 'bob', 'sam', 'ada')"
    ).fetchall()
    assert bypass == []
    # The owner group itself sees only through its policy: with it gone, nothing.
    owner.execute("SET ROLE chronology_owner")
    with owner.transaction(force_rollback=True):
        owner.execute("DROP POLICY owner_all ON entry")
        assert owner.execute("SELECT count(*) FROM entry").fetchone()[0] == 0
