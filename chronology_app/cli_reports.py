"""`chronology report`: a case's chronology as a PDF (issue: reports)."""

from __future__ import annotations

from chronology_app.cli_support import CliContext, Register
from chronology_app.core import casefile
from chronology_app.core.errors import ChronologyError


def _report(ctx: CliContext) -> int:
    casefile.read(ctx.args.source)
    raise ChronologyError("PDF reports are not available in this version yet.")


def register(command: Register) -> None:
    sub = command("report", _report, "print a case's chronology to PDF")
    sub.add_argument("source", help="a case file (.json) or a workspace")
    sub.add_argument("-o", "--output", required=True)
    sub.add_argument("--audience", choices=("internal", "conference", "review"), default="internal")
