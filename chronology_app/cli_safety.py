"""Data-safety commands: audit verification, history, backups (issue: data safety)."""

from __future__ import annotations

from chronology_app.cli_support import Register


def register(command: Register) -> None:
    """No data-safety commands yet."""
