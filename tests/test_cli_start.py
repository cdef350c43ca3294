"""A fast start: each `chronology` command imports only what it uses.

Each case runs the command in a new interpreter (as the installed script does) and then lists
the heavy packages that were imported: `--version` imports no part of the core's libraries,
and `validate` and `flags` on a case file never import the database layer. Speed itself is
measured in benchmarks/bench_start.py, not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chronology_app.cli_reports import AUDIENCE_CHOICES
from chronology_app.core.reports.audience import AUDIENCES
from tests.conftest import EXAMPLES, ROOT

DATABASE = ("sqlalchemy", "sqlmodel", "alembic", "sqlcipher3")
HEAVY = (*DATABASE, "pydantic", "PySide6", "reportlab", "cryptography", "pypdfium2")

# Runs main(argv) and prints, as JSON, its exit code and which of the given packages it imported.
PROBE = """
import io, json, sys
from chronology_app.cli import main
argv, watched = json.loads(sys.argv[1]), json.loads(sys.argv[2])
try:
    code = main(argv, io.StringIO(), io.StringIO())
except SystemExit as stop:  # argparse's --version
    code = stop.code
print(json.dumps({"code": code, "imported": sorted(m for m in watched if m in sys.modules)}))
"""


def imported_by(argv: list[str], watched: tuple[str, ...]) -> tuple[int, list[str]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(watched)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    found = json.loads(result.stdout.splitlines()[-1])
    return found["code"], found["imported"]


def test_version_imports_none_of_the_heavy_libraries() -> None:
    assert imported_by(["--version"], HEAVY) == (0, [])


def test_help_imports_none_of_the_heavy_libraries() -> None:
    assert imported_by(["--help"], HEAVY) == (0, [])


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", str(EXAMPLES / "family-b.json")],
        ["flags", str(EXAMPLES / "family-b.json")],
        ["flags", str(EXAMPLES / "family-b.json"), "--json"],
    ],
    ids=["validate", "flags", "flags --json"],
)
def test_case_file_commands_never_import_the_database_layer(argv: list[str]) -> None:
    assert imported_by(argv, DATABASE) == (0, [])


def test_an_invalid_file_is_reported_without_the_database_layer(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "chronology-case", "version": 1}', encoding="utf-8")
    assert imported_by(["validate", str(bad)], DATABASE) == (1, [])


def test_the_report_command_offers_the_audiences_the_reports_know() -> None:
    assert tuple(AUDIENCES) == AUDIENCE_CHOICES
