"""`chronology report`: a case's chronology as a PDF (issue: reports).

    chronology report FILE.json -o OUT.pdf [--audience internal|conference|review]
    chronology report WORKSPACE REFERENCE -o OUT.pdf [...]

The PDF is built in memory and written atomically: a temporary file beside the target (so the
rename cannot cross file systems), flushed to disk, then renamed over the target; if anything
fails the temporary file is removed at once, so no partial report with case content is left.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from chronology_app.cli_support import CliContext, Register, is_case_file
from chronology_app.core.errors import ChronologyError
from chronology_app.core.files import check_replaceable, is_pdf, write_atomically

if TYPE_CHECKING:
    from chronology_app.core.records import CaseData
    from chronology_app.core.reports.chronology_report import FlagLike
    from chronology_app.core.rules.base import Rule
    from chronology_app.core.settings import Settings

# The report's audiences, as core/reports/audience.py names them (a test keeps the two equal):
# written out here so that building the command line imports no part of the reports.
AUDIENCE_CHOICES = ("internal", "conference", "review")


def _as_of(settings: Settings) -> datetime.date | None:
    # As of the latest entry until the one analysis pipeline decides (spec: As of when).
    del settings
    return None


def _from_file(ctx: CliContext, settings: Settings) -> tuple[CaseData, list[FlagLike], list[Rule]]:
    from chronology_app.core import casefile
    from chronology_app.core.records import case_data
    from chronology_app.core.rules.engine import analyse, review_for

    if ctx.args.reference:
        raise ChronologyError("A case file holds one case: give no reference with it.")
    data = case_data(casefile.read(ctx.args.source))
    rules = settings.build_rules()
    flags = analyse(data, rules, as_of=_as_of(settings))
    pairs: list[FlagLike] = [(flag, review_for(flag, data.reviews)) for flag in flags]
    return data, pairs, rules


def _from_workspace(
    ctx: CliContext, settings: Settings
) -> tuple[CaseData, list[FlagLike], list[Rule]]:
    if not ctx.args.reference:
        raise ChronologyError(
            "A workspace holds many cases: give the case reference after the workspace, "
            "e.g. chronology report WORKSPACE BD-2020-0193 -o report.pdf"
        )
    with ctx.service(ctx.args.source, settings) as service:
        data = service.case_data(ctx.args.reference)
        flags: list[FlagLike] = list(service.flags(ctx.args.reference))
    return data, flags, service.rules


def _check_target(target: Path) -> None:
    """Refuse a target that cannot be written before any work is done."""
    if target.is_dir():
        raise ChronologyError(
            f"{target} is a folder: give a file name, e.g. {target / 'report.pdf'}"
        )
    folder = target.parent
    if not folder.is_dir():
        raise ChronologyError(f"Cannot write {target}: the folder {folder} does not exist.")


def _report(ctx: CliContext) -> int:
    from chronology_app.core.reports.audience import CONFERENCE
    from chronology_app.core.reports.chronology_report import build_report
    from chronology_app.core.settings import load_settings

    args = ctx.args
    target = Path(args.output)
    _check_target(target)
    check_replaceable(target, same_kind=is_pdf, what="PDF", force=ctx.args.force)
    settings = load_settings(args.settings)
    load = _from_file if is_case_file(args.source) else _from_workspace
    data, flags, rules = load(ctx, settings)
    pdf = build_report(
        data,
        flags,
        args.audience,
        prepared_by=args.prepared_by or ctx.user(),
        report_date=datetime.date.today(),
        rules=rules,
        as_of=_as_of(settings),
    )
    write_atomically(target, pdf)
    print(f"Wrote the {args.audience} report of {data.case.reference} to {target}.", file=ctx.out)
    if args.audience != CONFERENCE:
        print(
            "This report holds restricted material that must not be shared with the family: "
            "keep it on protected storage. For a family-facing copy use --audience conference.",
            file=ctx.err,
        )
    return 0


def register(command: Register) -> None:
    sub = command("report", _report, "print a case's chronology to PDF")
    sub.add_argument("source", help="a case file (.json) or a workspace")
    sub.add_argument("reference", nargs="?", help="the case, when SOURCE is a workspace")
    sub.add_argument("-o", "--output", required=True, help="the PDF file to write")
    sub.add_argument("--force", action="store_true", help="replace an earlier PDF there")
    sub.add_argument(
        "--audience",
        choices=AUDIENCE_CHOICES,
        default="internal",
        help="internal (everything), conference (family-facing: restricted material "
        "withheld) or review (adds who recorded each entry and when)",
    )
    sub.add_argument("--prepared-by", help="the name on the cover (default: --user)")
    sub.add_argument("--settings", help="an authority's settings file (rule parameters)")


__all__: Sequence[str] = ("register", "write_atomically")
