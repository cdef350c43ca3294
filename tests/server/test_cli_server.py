"""The team-server commands end to end, as an authority and its practitioners use them:
set up a server, add people, allocate and limit cases, work on them with the ordinary
commands given a URL, verify the audit trail, and check a case out and in again."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from chronology_app.cli_safety import EXIT_TAMPERED
from tests.conftest import PASSPHRASE
from tests.conftest import run_cli as run
from tests.server.conftest import case_for
from tests.server.pg_cluster import Cluster


@pytest.fixture
def empty_db(pg_cluster: Cluster) -> Iterator[Callable[[str], str]]:
    with psycopg.connect(pg_cluster.url(), autocommit=True) as connection:
        connection.execute("CREATE DATABASE cli_team")
    yield lambda user="postgres": pg_cluster.url("cli_team", user)
    with psycopg.connect(pg_cluster.url(), autocommit=True) as connection:
        connection.execute("DROP DATABASE cli_team WITH (FORCE)")


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CHRONOLOGY_USER", "Desktop Name")


def test_an_authority_sets_up_a_server_and_practitioners_work_on_it(
    empty_db: Callable[..., str], tmp_path: Path
) -> None:
    admin = empty_db()
    code, out, err = run("server", "init", admin)
    assert code == 0, err
    assert "row-level security forced on every table" in out
    code, _, err = run("server", "init", admin)  # again, after an upgrade: nothing breaks
    assert code == 0, err
    for name, role, team in (("carol", "practitioner", "east"), ("dave", "practitioner", "west")):
        code, out, err = run("server", "add-user", admin, name, "--role", role, "--team", team)
        assert code == 0, err
    carol, dave = empty_db("carol"), empty_db("dave")
    case = tmp_path / "c.json"
    case.write_text(json.dumps(case_for("E-1")), encoding="utf-8")
    code, out, err = run("import", carol, str(case))
    assert (code, out) == (0, "Imported E-1: 2 entries.\n"), err
    assert "E-1" in run("cases", carol)[1]
    assert run("cases", dave)[1] == "No cases in this workspace yet.\n"
    assert run("server", "allocate", admin, "E-1", "--team", "west")[0] == 0
    assert "E-1" in run("cases", dave)[1]
    assert run("server", "limit", admin, "E-1", "--users", "carol")[0] == 0
    assert "E-1" not in run("cases", dave)[1]
    code, _, err = run("server", "limit", admin, "E-1", "--users", "nobody")
    assert code == 1 and "not a practitioner or supervisor on this server: nobody" in err
    code, out, err = run("audit", "verify", carol)
    assert code == 0, err
    assert "the audit trail is intact (1 records), and the case data matches" in out
    assert "E-1: fingerprint" in out
    # The case data against the trail too: a person's date of birth changed in plain SQL.
    with psycopg.connect(carol) as connection:
        connection.execute("UPDATE person SET date_of_birth = '1970' WHERE key = 'p3'")
    code, out, _ = run("audit", "verify", carol)
    assert code == EXIT_TAMPERED and "case E-1: person p3's filing for suggestions" in out
    code, out, _ = run("flags", carol, "E-1", "--json")
    assert code == 0 and isinstance(json.loads(out), list)


def test_commands_only_a_file_has_say_so_for_a_server(team_db: Callable[[str], str]) -> None:
    for args in (("init",), ("backup",), ("passphrase",)):
        code, _, err = run(*args, team_db("alice"))
        assert code == 1
        assert "is for a workspace file" in err


def test_a_wrong_address_is_one_clear_sentence(pg_cluster: Cluster) -> None:
    code, _, err = run("cases", pg_cluster.url("no_such_database", "alice"))
    assert code == 1
    assert err.startswith("chronology: Cannot connect to postgresql://127.0.0.1:")
    assert "no_such_database" in err and "Traceback" not in err


def test_check_out_work_offline_and_check_in(
    service_as: Callable[[str], Any], team_db: Callable[[str], str], tmp_path: Path
) -> None:
    alice = service_as("alice")
    alice.import_case(case_for("N-1"))
    laptop = str(tmp_path / "n1.chronology")
    code, out, err = run("checkout", team_db("alice"), "N-1", "-o", laptop)
    assert code == 0, err
    # Offline: alice edits an entry and adds one, with no server.
    code, _, err = run("export", laptop, "N-1", "-o", str(tmp_path / "before.json"))
    assert code == 0, err
    from chronology_app.core.service import Service

    offline = Service.open(laptop, PASSPHRASE, "alice")
    entry = offline.document("N-1")["entries"][1]
    offline.edit_entry("N-1", "e2", {**entry, "summary": "Edited offline."}, "visit notes")
    offline.add_entry(
        "N-1",
        {
            "date": "2021-09-01",
            "kind": "incident",
            "summary": "Recorded offline.",
            "source": {"agency": "Police", "type": "police_record"},
            "persons": [{"person": "p1", "role": "victim"}],
        },
    )
    offline.close()
    # Meanwhile alice renames the case on the server herself (the hold is hers).
    details = alice.document("N-1")["case"]
    alice.update_case("N-1", {**details, "title": "Family T (renamed)"})
    code, out, err = run("checkin", team_db("alice"), laptop)
    assert code == 0, err
    assert "Checked in 2 changes" in out
    document = alice.document("N-1")
    assert [e["summary"] for e in document["entries"]][-2:] == [
        "Edited offline.",
        "Recorded offline.",
    ]
    assert document["case"]["title"] == "Family T (renamed)"  # the online change kept too
    from chronology_app.core.store.server import raw_execute

    numbers = raw_execute(alice.workspace, "SELECT number FROM entry ORDER BY number")
    assert [row[0] for row in numbers] == [1, 2, 3]  # the new entry took the server's next
    code, _, err = run("checkin", team_db("alice"), laptop)
    assert code == 1 and "already checked in" in err


def test_a_check_in_that_conflicts_changes_nothing_and_shows_both(
    service_as: Callable[[str], Any], team_db: Callable[[str], str], tmp_path: Path
) -> None:
    alice = service_as("alice")
    alice.import_case(case_for("N-1"))
    laptop = str(tmp_path / "n1.chronology")
    assert run("checkout", team_db("alice"), "N-1", "-o", laptop)[0] == 0
    from chronology_app.core.service import Service

    offline = Service.open(laptop, PASSPHRASE, "alice")
    entry = offline.document("N-1")["entries"][1]
    offline.edit_entry("N-1", "e2", {**entry, "summary": "Alice offline."}, "notes")
    offline.update_case("N-1", {**offline.document("N-1")["case"], "title": "Fine change"})
    offline.close()
    # alice is away; the supervisor releases the case so that ann can carry on with it.
    code, out, err = run("server", "release", team_db("sam"), "N-1")
    assert code == 0 and "checked out by alice" in out, err
    ann = service_as("ann")
    ann.edit_entry("N-1", "e2", {**entry, "summary": "Ann on the server."}, "notes")
    code, _, err = run("checkin", team_db("alice"), laptop)
    assert code == 1
    assert "Nothing was checked in" in err
    assert "entry e2: summary" in err
    assert "on the server 'Ann on the server.'; yours 'Alice offline.'" in err
    document = alice.document("N-1")
    assert document["entries"][1]["summary"] == "Ann on the server."
    assert document["case"]["title"] == "Family T"  # nothing applied, not even the fine one
    assert Path(laptop).exists()  # the laptop copy is kept


def test_an_access_limited_case_is_checked_out_only_by_its_named_people(
    service_as: Callable[[str], Any], team_db: Callable[[str], str], tmp_path: Path
) -> None:
    from chronology_app.core.store import server_admin

    service_as("alice").import_case(case_for("N-1"))
    server_admin.limit(team_db(), "N-1", ["ann"])
    code, _, err = run("checkout", team_db("alice"), "N-1", "-o", str(tmp_path / "a.chronology"))
    assert code == 1 and 'No case with reference "N-1"' in err
    assert not (tmp_path / "a.chronology").exists()
    code, _, err = run("checkout", team_db("ann"), "N-1", "-o", str(tmp_path / "b.chronology"))
    assert code == 0, err
