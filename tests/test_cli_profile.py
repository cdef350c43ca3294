"""The command line takes "who is working" from the per-user profile the app sets: for what it
records (the audit trail's "who") and a report's "Prepared by"; --user and CHRONOLOGY_USER
still win. The profile folder is a temporary one (CHRONOLOGY_PROFILE_DIR, tests/conftest.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pypdf
import pytest

from chronology_app.core import profile
from chronology_app.core.errors import InvalidInput
from chronology_app.core.profile import Profile
from tests.conftest import EXAMPLES, PASSPHRASE
from tests.conftest import run_cli as run

FAMILY_B = str(EXAMPLES / "family-b.json")


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("CHRONOLOGY_USER", raising=False)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages)


def who_added_the_first_entry(workspace: str) -> str:
    code, out, err = run("history", workspace, "BD-2020-0193", "E0001", "--json")
    assert (code, err) == (0, ""), err
    return str(json.loads(out)[0]["who"])


def test_the_profile_folder_is_the_tests_own() -> None:
    assert profile.folder() == Path(os.environ["CHRONOLOGY_PROFILE_DIR"])
    assert not profile.profile_is_set()
    assert profile.load_profile().name == profile.login_name()


def test_imports_and_reports_are_by_the_profiles_name(tmp_path: Path) -> None:
    profile.save_profile(Profile("  Sam   Carter ", "supervisor"))
    assert profile.load_profile() == Profile("Sam Carter", "supervisor")
    assert (profile.folder() / "profile.json").stat().st_mode & 0o777 == 0o600
    workspace = str(tmp_path / "w.chronology")
    assert run("init", workspace)[0] == 0
    assert run("import", workspace, FAMILY_B)[0] == 0
    assert who_added_the_first_entry(workspace) == "Sam Carter"
    target = tmp_path / "internal.pdf"
    code, _, err = run(
        "report", workspace, "BD-2020-0193", "-o", str(target), "--audience", "internal"
    )
    assert code == 0, err
    text = pdf_text(target)
    assert "Prepared by Sam Carter" in text and "Prepared by root" not in text


def test_an_explicit_user_wins_over_the_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile.save_profile(Profile("Sam Carter", "practitioner"))
    workspace = str(tmp_path / "w.chronology")
    assert run("init", workspace)[0] == 0
    assert run("--user", "Alex Khan", "import", workspace, FAMILY_B)[0] == 0
    assert who_added_the_first_entry(workspace) == "Alex Khan"
    monkeypatch.setenv("CHRONOLOGY_USER", "Jo Lee")
    target = tmp_path / "case.pdf"
    code, _, err = run("report", FAMILY_B, "-o", str(target), "--audience", "conference")
    assert code == 0, err
    assert "Prepared by Jo Lee" in pdf_text(target)
    code, _, err = run(
        "report",
        FAMILY_B,
        "-o",
        str(tmp_path / "b.pdf"),
        "--audience",
        "conference",
        "--prepared-by",
        "R. Patel",
    )
    assert code == 0, err
    assert "Prepared by R. Patel" in pdf_text(tmp_path / "b.pdf")


def test_without_a_profile_the_login_name_is_used(tmp_path: Path) -> None:
    workspace = str(tmp_path / "w.chronology")
    assert run("init", workspace)[0] == 0
    assert run("import", workspace, FAMILY_B)[0] == 0
    assert who_added_the_first_entry(workspace) == profile.login_name()


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ('{"name": "Sam Carter", "role": "supervisor"}', Profile("Sam Carter", "supervisor")),
        ('{"name": "Sam Carter", "role": "admin"}', Profile("Sam Carter", "practitioner")),
        ('{"name": "   ", "role": "supervisor"}', Profile("", "supervisor")),
        ('{"name": 42}', None),
        ('["not", "a", "profile"]', None),
        ("not json at all", None),
        ('{"name": "' + "x" * 101 + '"}', None),
    ],
)
def test_a_stored_profile_is_read_with_care(stored: str, expected: Profile | None) -> None:
    profile.folder().mkdir(parents=True, exist_ok=True)
    (profile.folder() / "profile.json").write_text(stored, encoding="utf-8")
    # A name that is not usable gives way to the login name; a usable role is kept.
    if expected is None:
        expected = Profile("", "practitioner")
    assert profile.load_profile() == Profile(expected.name or profile.login_name(), expected.role)


@pytest.mark.parametrize(
    ("name", "role", "problem"),
    [
        ("", "practitioner", {"name": "Give your name as colleagues know it."}),
        ("x" * 101, "practitioner", {"name": "Keep the name to 100 characters."}),
        ("Sam", "admin", {"role": "Choose one of: Practitioner, Supervisor."}),
    ],
)
def test_a_bad_profile_is_refused(name: str, role: str, problem: dict[str, str]) -> None:
    with pytest.raises(InvalidInput) as refused:
        profile.save_profile(Profile(name, role))
    assert refused.value.problems == problem
    assert not profile.profile_is_set()
