"""The project builds, tests and documents itself from its own repository: nothing in it reads
or points to the shared folder its specs came from (a clone on its own must pass `make test`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

# Written in two pieces so that this file does not name what it looks for.
FORBIDDEN = (".." + "/shared", "/" + "shared/", "shared" + "/spec", "shared" + "/examples")
CHECKED = ("chronology_app", "tests", "benchmarks", "docs", "packaging", "resources")
CHECKED_FILES = ("README.md", "SECURITY.md", "Makefile", "pyproject.toml")
SKIPPED_FOLDERS = {"__pycache__", "out"}


def text_files() -> list[Path]:
    found = [ROOT / name for name in CHECKED_FILES]
    for folder in CHECKED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and not SKIPPED_FOLDERS.intersection(path.parts):
                found.append(path)
    return found


def mentions(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:  # images, fonts, workspace fixtures
        return []
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), 1)
        if any(word in line for word in FORBIDDEN)
    ]


def test_no_file_of_the_project_mentions_the_shared_folder() -> None:
    files = text_files()
    assert len(files) > 100  # the walk found the project
    assert [hit for path in files for hit in mentions(path)] == []


@pytest.mark.parametrize("name", ["family-b.json", "family-b.expected.json"])
def test_the_examples_the_tests_use_are_in_the_repository(name: str) -> None:
    assert EXAMPLES.is_relative_to(ROOT)
    assert (EXAMPLES / name).is_file()
