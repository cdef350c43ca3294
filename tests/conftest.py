"""Fixtures shared by every test: fictional case files and fresh workspaces."""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The example case files and what the rules must find in them (the format's own examples,
# copied into the project so that it tests itself from its own repository).
EXAMPLES = ROOT / "tests" / "fixtures" / "examples"
sys.path.insert(0, str(ROOT))  # benchmarks.generate

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _anchors_in_tmp(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Audit anchors (kept per operating-system user) go to a folder of the test's own, never
    to the real user's settings."""
    folder = tmp_path_factory.mktemp("anchors")
    monkeypatch.setenv("CHRONOLOGY_ANCHORS", str(folder / "anchors.json"))
    # Likewise the user's name and role ("Who is working"), which both front ends read.
    monkeypatch.setenv("CHRONOLOGY_PROFILE_DIR", str(tmp_path_factory.mktemp("profile")))


@pytest.fixture
def family_b() -> dict[str, Any]:
    return json.loads((EXAMPLES / "family-b.json").read_text(encoding="utf-8"))


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Any]:
    from chronology_app.core.store.workspace import Workspace

    ws = Workspace.create(tmp_path / "test.chronology", PASSPHRASE)
    yield ws
    ws.close()


@pytest.fixture
def service(workspace: Any) -> Any:
    from chronology_app.core.service import Service

    return Service(workspace, "Test Worker")


@pytest.fixture
def case(service: Any) -> Any:
    """The service with the minimal case (TS-2024-0001) imported."""
    service.import_case(minimal_case())
    return service


def minimal_case(reference: str = "TS-2024-0001") -> dict[str, Any]:
    """A small valid case file: a mother, a child, a partner and two entries."""
    return copy.deepcopy(
        {
            "format": "chronology-case",
            "version": 1,
            "case": {"reference": reference, "title": "Family T"},
            "persons": [
                {"id": "p1", "name": "Ann Test", "roles": ["parent"]},
                {"id": "p2", "name": "Bo Test", "roles": ["child"], "date_of_birth": "2020-01-02"},
                {"id": "p3", "name": "Cal Other", "roles": ["partner"], "aliases": ["Cal O"]},
            ],
            "relationships": [
                {"id": "r1", "kind": "intimate_partner", "persons": ["p1", "p3"]},
            ],
            "entries": [
                {
                    "id": "e1",
                    "date": "2021-03",
                    "date_text": "March 2021",
                    "kind": "relationship_start",
                    "summary": "Ann begins a relationship with Cal.",
                    "source": {"agency": "Health visiting", "type": "self_report"},
                    "relationship": "r1",
                    "persons": [
                        {"person": "p1", "role": "subject"},
                        {"person": "p3", "role": "subject"},
                    ],
                },
                {
                    "id": "e2",
                    "date": "2021-06-01",
                    "kind": "incident",
                    "summary": "Police called: Cal pushed Ann.",
                    "source": {"agency": "Police", "type": "police_record"},
                    "persons": [
                        {"person": "p1", "role": "victim"},
                        {"person": "p3", "role": "alleged_perpetrator"},
                    ],
                    "tags": ["physical"],
                    "attributes": {"police_attended": True},
                },
            ],
        }
    )


# The throwaway PostgreSQL server for the team-server tests (started only when asked for).
from tests.server.fixtures import backend_workspace, pg_cluster, team_db  # noqa: E402, F401


def run_cli(*args: str) -> tuple[int, str, str]:
    """`chronology ARGS` in this process: (exit code, what it printed, what it said on stderr)."""
    import io

    from chronology_app.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out, err)
    return code, out.getvalue(), err.getvalue()
