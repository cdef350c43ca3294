"""Two people, one case, on a team server: a save is checked against the version its author
started from; a save at the same moment as another is refused whole; what the user typed is
kept in the error, never lost and never silently overwritten."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from chronology_app.core.errors import Conflict, EditConflict, NotAllowed, NotFound
from chronology_app.core.store import server_admin
from tests.server.conftest import case_for

N1 = "N-1"


@pytest.fixture
def two(service_as: Callable[[str], Any]) -> tuple[Any, Any]:
    alice, ann = service_as("alice"), service_as("ann")
    alice.import_case(case_for(N1))
    return alice, ann


def test_a_save_based_on_an_old_version_is_refused_with_what_changed(
    two: tuple[Any, Any],
) -> None:
    alice, ann = two
    opened = alice.document(N1)["entries"][1]  # alice opens the entry...
    theirs = {**ann.document(N1)["entries"][1], "summary": "Police called twice."}
    ann.edit_entry(N1, "e2", theirs, "second call found", based_on=opened)  # ann saves first
    typed = {**opened, "summary": "Police called: Cal pushed Ann down the stairs."}
    with pytest.raises(EditConflict) as caught:
        alice.edit_entry(N1, "e2", typed, "more detail", based_on=opened)
    assert caught.value.changed == ("summary",)
    assert caught.value.yours == typed  # what alice typed is kept
    assert caught.value.theirs["summary"] == "Police called twice."
    assert "Someone else changed this entry" in str(caught.value)
    assert alice.document(N1)["entries"][1]["summary"] == "Police called twice."
    # Once she has seen theirs, her save goes through on top of it.
    alice.edit_entry(N1, "e2", typed, "more detail", based_on=caught.value.theirs)
    assert alice.document(N1)["entries"][1]["summary"] == typed["summary"]


def test_person_and_case_details_are_checked_the_same_way(two: tuple[Any, Any]) -> None:
    alice, ann = two
    person = alice.document(N1)["persons"][0]
    details = alice.document(N1)["case"]
    ann.edit_person(N1, "p1", {**person, "name": "Ann Tester"}, based_on=person)
    ann.update_case(N1, {**details, "title": "Family Tester"}, based_on=details)
    with pytest.raises(EditConflict) as by_person:
        alice.edit_person(N1, "p1", {**person, "aliases": ["Annie"]}, based_on=person)
    assert by_person.value.changed == ("name",)
    with pytest.raises(EditConflict) as by_case:
        alice.update_case(N1, {**details, "status": "closed"}, based_on=details)
    assert by_case.value.changed == ("title",)


def test_saves_to_one_case_at_the_same_moment_are_never_both_kept(
    two: tuple[Any, Any], as_user: Callable[[str], Any]
) -> None:
    alice, _ann = two
    holder = as_user("ann")  # ann's save, half-way through its transaction
    holder.autocommit = False
    holder.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    holder.execute("UPDATE case_record SET updated_at = now() WHERE reference = %s", (N1,))
    outcome: list[BaseException | None] = []
    typed = {**alice.document(N1)["entries"][1], "summary": "Alice's words."}

    def save() -> None:
        try:
            alice.edit_entry(N1, "e2", typed, "detail")
            outcome.append(None)
        except Conflict as err:
            outcome.append(err)

    thread = threading.Thread(target=save)
    thread.start()
    watcher = as_user("postgres")
    for _ in range(200):  # until alice's save waits on ann's
        waiting = watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = 'alice' "
            "AND wait_event_type = 'Lock'"
        ).fetchone()
        if waiting and waiting[0]:
            break
        time.sleep(0.05)
    holder.commit()
    thread.join()
    assert isinstance(outcome[0], Conflict)
    assert "at the same moment" in str(outcome[0])
    assert alice.document(N1)["entries"][1]["summary"] != "Alice's words."
    alice.edit_entry(N1, "e2", typed, "detail")  # saving again works
    assert alice.document(N1)["entries"][1]["summary"] == "Alice's words."


def test_people_outside_the_team_get_not_found_and_no_hint(
    two: tuple[Any, Any], service_as: Callable[[str], Any], team_db: Callable[[str], str]
) -> None:
    bob = service_as("bob")
    with pytest.raises(NotFound):
        bob.document(N1)
    with pytest.raises(NotFound):
        bob.edit_entry(N1, "e2", {"summary": "x"}, "x")
    server_admin.limit(team_db(), N1, ["ann"])
    alice, ann = two
    with pytest.raises(NotFound):
        alice.document(N1)
    assert ann.document(N1)["case"]["reference"] == N1


def test_a_practitioner_cannot_change_the_authoritys_settings(
    two: tuple[Any, Any], service_as: Callable[[str], Any]
) -> None:
    alice, _ann = two
    with pytest.raises(NotAllowed):
        alice.set_authority_settings({"backups_kept": 5})
    service_as("sam").set_authority_settings({"backups_kept": 5})
    assert alice.authority_settings().backups_kept == 5
