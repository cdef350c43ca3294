"""The server holds a checked-out case: until it is checked in (or a supervisor or admin
releases it), the database refuses changes to it by anyone but who checked it out, through the
app or in plain SQL, saying who has it and since when."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from chronology_app.core import checkout
from chronology_app.core.errors import NotAllowed, NotFound
from chronology_app.core.store.server_checkout import CaseCheckedOut
from tests.conftest import PASSPHRASE, run_cli
from tests.server.conftest import case_for

HELD = "CK001"

# Plain SQL as ann, another practitioner of the team, on each kind of row of the held case.
CHANGES = [
    ("the case's row", "UPDATE case_record SET title = 'x' WHERE reference = 'N-1'"),
    ("a person", "UPDATE person SET name = 'x' WHERE key = 'p1'"),
    ("an entry", "UPDATE entry SET doc = doc WHERE key = 'e2'"),
    ("an entry's removal", "DELETE FROM entry WHERE key = 'e2'"),
    ("an entry's tag", "INSERT INTO entry_tag (entry_id, tag) SELECT id, 'x' FROM entry LIMIT 1"),
    ("an entry's link", "DELETE FROM entry_person"),
    ("a relationship", "DELETE FROM relationship"),
    ("a person's name key", "DELETE FROM person_name_key"),
    ("the whole case", "DELETE FROM case_record WHERE reference = 'N-1'"),
]


@pytest.fixture
def held(service_as: Callable[[str], Any], tmp_path: Path) -> tuple[Any, Path]:
    """N-1 in team north, checked out by alice to a file on her laptop."""
    alice = service_as("alice")
    alice.import_case(case_for("N-1"))
    laptop = tmp_path / "n1.chronology"
    checkout.checkout(alice, "N-1", laptop, PASSPHRASE)
    return alice, laptop


@pytest.mark.parametrize(("what", "statement"), CHANGES, ids=[c[0] for c in CHANGES])
def test_plain_sql_by_someone_else_is_refused_by_the_database(
    held: tuple[Any, Path], as_user: Callable[[str], Any], what: str, statement: str
) -> None:
    ann = as_user("ann")
    before = ann.execute("SELECT count(*), max(title) FROM case_record").fetchone()
    with pytest.raises(psycopg.Error) as refused:
        ann.execute(statement)
    assert refused.value.sqlstate == HELD, what
    assert "case N-1 is checked out by alice since" in str(refused.value)
    assert ann.execute("SELECT count(*), max(title) FROM case_record").fetchone() == before


def test_the_app_says_who_has_it_and_keeps_nothing_half_saved(
    held: tuple[Any, Path], service_as: Callable[[str], Any]
) -> None:
    ann = service_as("ann")
    entry = ann.document("N-1")["entries"][1]
    with pytest.raises(CaseCheckedOut) as refused:
        ann.edit_entry("N-1", "e2", {**entry, "summary": "Ann's change"}, "notes")
    message = str(refused.value)
    assert message.startswith("Case N-1 is checked out by alice since ")
    assert "(UTC)" in message and "until they check it in" in message
    assert "Nothing was changed" in message
    assert refused.value.hold.who == "alice"
    assert ann.document("N-1")["entries"][1]["summary"] == entry["summary"]
    for change in (
        lambda: ann.update_case("N-1", {**ann.document("N-1")["case"], "title": "x"}),
        lambda: ann.add_person("N-1", {"name": "New Person", "roles": ["other"]}),
        lambda: ann.withdraw_entry("N-1", "e2", "mistake"),
        lambda: service_as("sam").record_case_review("N-1", "a supervisor's review"),
    ):
        with pytest.raises(CaseCheckedOut):
            change()


def test_the_holder_may_work_online_and_the_check_in_lifts_the_hold(
    held: tuple[Any, Path], service_as: Callable[[str], Any]
) -> None:
    alice, laptop = held
    entry = alice.document("N-1")["entries"][1]
    alice.edit_entry("N-1", "e2", {**entry, "summary": "Alice online"}, "notes")
    assert checkout.checkin(alice, laptop, PASSPHRASE) == 0
    ann = service_as("ann")
    ann.edit_entry("N-1", "e2", {**entry, "summary": "Ann after the check-in"}, "notes")
    assert ann.document("N-1")["entries"][1]["summary"] == "Ann after the check-in"


def test_a_second_check_out_by_someone_else_is_refused(
    held: tuple[Any, Path], service_as: Callable[[str], Any], tmp_path: Path
) -> None:
    with pytest.raises(CaseCheckedOut, match="already checked out by alice since"):
        checkout.checkout(service_as("ann"), "N-1", tmp_path / "ann.chronology", PASSPHRASE)
    assert not (tmp_path / "ann.chronology").exists()
    with pytest.raises(NotFound, match='No case with reference "N-1"'):
        checkout.checkout(service_as("bob"), "N-1", tmp_path / "bob.chronology", PASSPHRASE)


@pytest.mark.parametrize("who", ["sam", "ada"])  # the supervisor who sees it; an admin
def test_a_supervisor_or_an_admin_releases_it(
    held: tuple[Any, Path],
    service_as: Callable[[str], Any],
    team_db: Callable[[str], str],
    who: str,
) -> None:
    code, out, err = run_cli("server", "release", team_db(who), "N-1")
    assert code == 0, err
    assert "N-1 is released: it was checked out by alice" in out
    ann = service_as("ann")
    ann.update_case("N-1", {**ann.document("N-1")["case"], "title": "Renamed by ann"})
    code, out, _ = run_cli("server", "release", team_db(who), "N-1")
    assert code == 0 and "was not checked out" in out


def test_another_practitioner_cannot_release_it(
    held: tuple[Any, Path], team_db: Callable[[str], str]
) -> None:
    from chronology_app.core.store import server_admin

    with pytest.raises(NotAllowed, match="checked out by alice: only they"):
        server_admin.release(team_db("ann"), "N-1")
    with pytest.raises(NotFound):
        server_admin.release(team_db("bob"), "N-1")  # another team's case: not even seen


FILED = (
    "SELECT p.key, k.key, k.case_id, k.birth_year, k.birth_month, k.birth_day, k.professional, "
    "p.date_of_birth FROM person_name_key k JOIN person p ON p.id = k.person_id "
    "ORDER BY p.key, k.key"
)


def _as_released_before_0006(url: str) -> None:
    """The server as a release before migration 0006 left it: the schema at 0005 and the hold
    as that release made it, refusing every change to a checked-out case by anyone else."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from chronology_app.core.store import server_checkout
    from chronology_app.core.store.server import connect
    from chronology_app.core.store.server_policies import OWNER
    from chronology_app.core.store.workspace import MIGRATIONS_DIR

    engine = create_engine(
        "postgresql+psycopg://", creator=lambda: connect(url), poolclass=NullPool
    )
    try:
        with engine.begin() as bound:
            bound.exec_driver_sql(f"SET LOCAL ROLE {OWNER}")
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = bound
            command.downgrade(config, "0005")
            old_hold = server_checkout.REFUSE_CHECKED_OUT.replace(
                server_checkout.ADMINISTRATOR_PASSES, ""
            )
            assert old_hold != server_checkout.REFUSE_CHECKED_OUT
            bound.connection.driver_connection.execute(old_hold)
    finally:
        engine.dispose()


def test_the_administrators_upgrade_refiles_a_checked_out_case_and_keeps_the_hold(
    held: tuple[Any, Path],
    service_as: Callable[[str], Any],
    as_user: Callable[[str], Any],
    team_db: Callable[[str], str],
) -> None:
    """`server init` after an upgrade of Chronology runs migration 0006, which refiles every
    person's match columns, also those of a case checked out under the old release's hold:
    the administrator is not held, practitioners still are, the case stays checked out and
    its check-in is unaffected (the case's content did not change)."""
    from chronology_app.core.store import server_admin

    administrator = as_user("postgres")
    filed = administrator.execute(FILED).fetchall()
    assert filed
    _as_released_before_0006(team_db("postgres"))
    # the old release's hold refused the administrator too: the refusal the review found
    with pytest.raises(psycopg.Error) as refused:
        administrator.execute("UPDATE person SET name = name WHERE key = 'p1'")
    assert refused.value.sqlstate == HELD

    assert server_admin.init(team_db("postgres")) == "0006"

    assert administrator.execute(FILED).fetchall() == filed
    holders = administrator.execute(
        "SELECT c.reference, k.who FROM chronology_checkout k JOIN case_record c "
        "ON c.id = k.case_id"
    ).fetchall()
    assert holders == [("N-1", "alice")]
    ann = as_user("ann")
    for _what, statement in CHANGES:
        with pytest.raises(psycopg.Error) as refused:
            ann.execute(statement)
        assert refused.value.sqlstate == HELD
    _alice, laptop = held
    assert checkout.checkin(service_as("alice"), laptop, PASSPHRASE) == 0
    ann_app = service_as("ann")
    entry = ann_app.document("N-1")["entries"][1]
    ann_app.edit_entry("N-1", "e2", {**entry, "summary": "Ann after the check-in"}, "notes")
