"""The encrypted workspace: passphrases, encryption at rest, pragmas, schema migrations."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from chronology_app.core.errors import WorkspaceError, WrongPassphrase
from chronology_app.core.service import Service
from chronology_app.core.store.backup import list_backups
from chronology_app.core.store.workspace import SCHEMA_REVISION, Workspace, raw_execute
from tests.conftest import PASSPHRASE, ROOT, minimal_case

FIXTURES = ROOT / "tests" / "fixtures"


def test_a_workspace_reopens_with_its_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "w.chronology"
    with Workspace.create(path, PASSPHRASE) as workspace:
        Service(workspace, "T").import_case(minimal_case())
    with Workspace.open(path, PASSPHRASE) as workspace:
        assert [c.reference for c in Service(workspace, "T").cases()] == ["TS-2024-0001"]


def test_a_wrong_passphrase_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "w.chronology"
    Workspace.create(path, PASSPHRASE).close()
    with pytest.raises(WrongPassphrase) as caught:
        Workspace.open(path, "not the passphrase")
    assert str(caught.value) == (
        "The passphrase does not open w.chronology (or it is not a Chronology workspace). "
        "Check the passphrase and try again."
    )


@pytest.mark.parametrize("passphrase", ["", "with\x00nul"])
def test_impossible_passphrases_are_refused(tmp_path: Path, passphrase: str) -> None:
    with pytest.raises(WrongPassphrase):
        Workspace.create(tmp_path / "w.chronology", passphrase)
    assert list(tmp_path.iterdir()) == []


def test_a_passphrase_with_quotes_works(tmp_path: Path) -> None:
    path = tmp_path / "w.chronology"
    Workspace.create(path, "it's a \"quoted\" pass'phrase").close()
    Workspace.open(path, "it's a \"quoted\" pass'phrase").close()
    with pytest.raises(WrongPassphrase):
        Workspace.open(path, "it's a")


def test_the_file_is_encrypted_at_rest(tmp_path: Path) -> None:
    path = tmp_path / "w.chronology"
    with Workspace.create(path, PASSPHRASE) as workspace:
        Service(workspace, "T").import_case(minimal_case())
        raw_execute(workspace, "PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    for secret in (b"Ann Test", b"Cal pushed", b"TS-2024-0001", b"Family T"):
        assert secret not in data


def test_a_plain_file_is_not_mistaken_for_a_workspace(tmp_path: Path) -> None:
    path = tmp_path / "notes.chronology"
    path.write_text("just some text, not a database\n" * 100)
    with pytest.raises(WrongPassphrase):
        Workspace.open(path, PASSPHRASE)


def test_opening_nothing_and_creating_over_a_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="no workspace there"):
        Workspace.open(tmp_path / "missing.chronology", PASSPHRASE)
    (tmp_path / "taken.chronology").write_text("x")
    with pytest.raises(WorkspaceError, match="already there"):
        Workspace.create(tmp_path / "taken.chronology", PASSPHRASE)
    assert (tmp_path / "taken.chronology").read_text() == "x"


def test_wal_and_foreign_keys_are_on(workspace: Any) -> None:
    assert raw_execute(workspace, "PRAGMA journal_mode") == [("wal",)]
    assert raw_execute(workspace, "PRAGMA foreign_keys") == [(1,)]


def test_the_schema_constant_is_the_alembic_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from chronology_app.core.store.workspace import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_REVISION


def test_the_models_match_the_migrations(workspace: Any) -> None:
    """Alembic's autogenerate finds nothing to do: no table change without a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from chronology_app.core.model.tables import SQLModel

    with workspace.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, SQLModel.metadata) == []


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("workspace-*.chronology")))
def test_every_released_schema_opens_and_keeps_its_cases(tmp_path: Path, fixture: Path) -> None:
    """A fixture workspace per released schema version (made by tests/fixtures/make_fixture.py)
    opens with today's code, which migrates it after a backup and keeps every case."""
    copy = tmp_path / fixture.name
    shutil.copy(fixture, copy)
    with Workspace.open(copy, "fixture passphrase") as workspace:
        assert workspace.schema_revision() == SCHEMA_REVISION
        service = Service(workspace, "T")
        assert [c.reference for c in service.cases()] == ["FX-0001"]
        assert (
            service.document("FX-0001")["entries"][1]["summary"] == "Police called: Cal pushed Ann."
        )
    fixture_revision = fixture.stem.removeprefix("workspace-")
    backups = [b for b in list_backups(copy) if b.label.startswith("before-migration")]
    assert len(backups) == (0 if fixture_revision == SCHEMA_REVISION else 1)


def test_migration_0006_files_stored_persons_as_the_store_files_new_ones(tmp_path: Path) -> None:
    """The fixture from before migration 0006 (name keys alone), opened today: every key row
    carries the person's case, date of birth parts and whether a professional, exactly as an
    import of the same case into a new workspace writes them."""
    copy = tmp_path / "old.chronology"
    shutil.copy(FIXTURES / "workspace-0005.chronology", copy)
    query = (
        "SELECT p.key, k.key, k.case_id, k.birth_year, k.birth_month, k.birth_day, "
        "k.professional, p.date_of_birth FROM person_name_key k "
        "JOIN person p ON p.id = k.person_id ORDER BY p.key, k.key"
    )
    found = []
    for path, make in ((copy, False), (tmp_path / "new.chronology", True)):
        if make:
            with Workspace.create(path, "fixture passphrase") as workspace:
                Service(workspace, "T").import_case(minimal_case("FX-0001"))
        with (
            Workspace.open(path, "fixture passphrase") as workspace,
            workspace.engine.connect() as connection,
        ):
            found.append(connection.exec_driver_sql(query).all())
    migrated, imported = found
    assert migrated == imported
    assert ("p2", "n:bo test", 1, 2020, 1, 2, 0, "2020-01-02") in migrated


def test_a_workspace_from_a_newer_version_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "w.chronology"
    with Workspace.create(path, PASSPHRASE) as workspace, workspace.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(WorkspaceError, match="newer version of Chronology"):
        Workspace.open(path, PASSPHRASE)


def test_a_wrong_passphrase_prints_nothing_on_stderr_from_the_library(tmp_path: Path) -> None:
    path = tmp_path / "w.chronology"
    Workspace.create(path, PASSPHRASE).close()
    script = (
        "import sys\n"
        "from chronology_app.core.store.workspace import Workspace\n"
        "from chronology_app.core.errors import WrongPassphrase\n"
        f"try:\n    Workspace.open({str(path)!r}, 'wrong')\n"
        "except WrongPassphrase:\n    print('refused')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.stdout == "refused\n"
    assert result.stderr == ""


def test_a_full_disk_during_a_schema_update_is_said_in_words_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workspace from an earlier version, on a disk that fills while it is updated: a
    WorkspaceError the app shows (not a driver's traceback), the file as it was, and the next
    opening, with space again, updates it."""
    import alembic.command

    copy = tmp_path / "old.chronology"
    shutil.copy(FIXTURES / "workspace-0005.chronology", copy)
    real = alembic.command.upgrade

    def on_a_full_disk(config: Any, revision: str) -> None:
        connection = config.attributes["connection"]
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        connection.exec_driver_sql(f"PRAGMA max_page_count = {pages}")  # no page more
        real(config, revision)

    monkeypatch.setattr(alembic.command, "upgrade", on_a_full_disk)
    before = copy.read_bytes()
    with pytest.raises(WorkspaceError, match="the disk is full, so the workspace could not be"):
        Workspace.open(copy, "fixture passphrase")
    assert copy.read_bytes() == before
    monkeypatch.setattr(alembic.command, "upgrade", real)
    with Workspace.open(copy, "fixture passphrase") as workspace:
        assert workspace.schema_revision() == SCHEMA_REVISION


def test_no_database_error_carries_the_values_being_written(workspace: Any) -> None:
    """SQLAlchemy puts a failed statement's values in its error's text; every engine the app
    makes leaves them out, so no message or log line can carry a name or an entry's text."""
    assert workspace.engine.hide_parameters
    with pytest.raises(Exception) as failed, workspace.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO case_record (id, reference) VALUES (?, ?)", (None, "Secret Name")
        )
        connection.exec_driver_sql(
            "INSERT INTO case_record (id, reference) VALUES (?, ?)", (None, "Secret Name")
        )
    assert "Secret Name" not in str(failed.value)
