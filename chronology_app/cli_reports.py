"""`chronology report`: a case's chronology as a PDF or a Word file.

    chronology report FILE.json -o OUT.pdf|OUT.docx --audience conference|court|review|internal
    chronology report WORKSPACE REFERENCE -o OUT.pdf|OUT.docx --audience ...

`--audience` is required: there is no default, so nobody prints the internal version by
pressing Enter. A family-facing report (conference, court) is checked first: a restricted
person's name in any form in the shared text stops it, with exit status 1, one line per finding
on stderr and no output file; warnings to review are printed and the report is written.

The report is built in memory (`core/reports/make.py`, the same function the desktop uses)
and written atomically: a temporary file beside the target, flushed, then renamed over it; if
anything fails the temporary file is removed at once, so no partial report is left.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from chronology_app.cli_support import CliContext, Register, is_case_file
from chronology_app.core.errors import ChronologyError
from chronology_app.core.files import check_replaceable, is_pdf, write_atomically

if TYPE_CHECKING:
    from chronology_app.core.analysis import Analysis

# The report's audiences, family-facing first, as core/reports/audience.py names them (a test
# keeps the two equal): written out here so that building the command line imports no part of
# the reports.
AUDIENCE_CHOICES = ("conference", "court", "internal", "review")
FAMILY_FACING_CHOICES = ("conference", "court")


def is_docx(start: bytes) -> bool:
    return start.startswith(b"PK\x03\x04")


def _format(target: Path) -> str:
    suffix = target.suffix.lower()
    if suffix in (".pdf", ".docx"):
        return suffix[1:]
    raise ChronologyError(
        f"{target.name} is not a report name: give one ending .pdf or .docx (Word), "
        f"e.g. {target.with_suffix('.pdf').name}"
    )


def _check_target(target: Path) -> None:
    """Refuse a target that cannot be written before any work is done."""
    if target.is_dir():
        raise ChronologyError(
            f"{target} is a folder: give a file name, e.g. {target / 'report.pdf'}"
        )
    folder = target.parent
    if not folder.is_dir():
        raise ChronologyError(f"Cannot write {target}: the folder {folder} does not exist.")


def _load(ctx: CliContext) -> tuple[Analysis, dict[str, str], str | None, str]:
    """The analysis, the sign-offs for sharing, the audit fingerprint (workspace only) and
    who prepares the report (on a team server, who signed in)."""
    from chronology_app.core import casefile
    from chronology_app.core.analysis import analyse_case
    from chronology_app.core.records import case_data
    from chronology_app.core.settings import Settings, load_settings

    args = ctx.args
    # --settings overrides the authority's settings (kept in the workspace) for this report.
    settings = load_settings(args.settings) if args.settings else None
    if is_case_file(args.source):
        if args.reference:
            raise ChronologyError("A case file holds one case: give no reference with it.")
        data = case_data(casefile.read(args.source))
        return analyse_case(data, settings or Settings(), as_of=None), {}, None, ctx.user()
    if not args.reference:
        raise ChronologyError(
            "A workspace holds many cases: give the case reference after the workspace, "
            "e.g. chronology report WORKSPACE BD-2020-0193 -o report.pdf --audience conference"
        )
    with ctx.service(args.source, settings) as service:
        analysis = service.analysis(args.reference)
        signed = service.shared_sign_offs(args.reference)
        anchor = service.audit_fingerprint_line()
        user = service.user
    return analysis, signed, anchor, user


def _report(ctx: CliContext) -> int:
    from chronology_app.core import clock
    from chronology_app.core.reports.make import SharingRefused, make_report

    args = ctx.args
    target = Path(args.output)
    _check_target(target)
    fmt = _format(target)
    same_kind = is_pdf if fmt == "pdf" else is_docx
    check_replaceable(target, same_kind=same_kind, what=fmt.upper(), force=args.force)
    analysis, signed, anchor, user = _load(ctx)
    reference = analysis.case.case.reference
    try:
        report = make_report(
            analysis,
            args.audience,
            fmt,
            prepared_by=args.prepared_by or user,
            report_date=clock.today(),
            anchor=anchor,
            signed_off=signed,
        )
    except SharingRefused as refused:
        print(
            f"The {args.audience} report of {reference} was not written: the shared text "
            "names a restricted person. Reword or restrict these, then run it again:",
            file=ctx.err,
        )
        for finding in refused.findings:
            print(finding.line(), file=ctx.err)
        return 1
    write_atomically(target, report.data)
    pages = f" ({report.pages} pages)" if report.pages is not None else ""
    print(f"Wrote the {args.audience} report of {reference} to {target}{pages}.", file=ctx.out)
    for warning in report.warnings:
        print(warning, file=ctx.err)
    if args.audience not in FAMILY_FACING_CHOICES:
        print(
            "This report holds restricted material that must not be shared with the family: "
            "keep it on protected storage. For a family-facing copy use --audience conference.",
            file=ctx.err,
        )
    return 0


def register(command: Register) -> None:
    sub = command("report", _report, "print a case's chronology to PDF or Word")
    sub.add_argument("source", help="a case file (.json) or a workspace")
    sub.add_argument("reference", nargs="?", help="the case, when SOURCE is a workspace")
    sub.add_argument("-o", "--output", required=True, help="the .pdf or .docx file to write")
    sub.add_argument("--force", action="store_true", help="replace an earlier report there")
    sub.add_argument(
        "--audience",
        choices=AUDIENCE_CHOICES,
        required=True,
        help="conference (family-facing: restricted material withheld, no flags), court "
        "(PD12A chronology of the entries tagged 'court', family-facing), internal "
        "(everything) or review (adds who recorded each entry and when)",
    )
    sub.add_argument(
        "--prepared-by", help="the name on the cover (default: who is working, as for --user)"
    )
    sub.add_argument("--settings", help="an authority's settings file (rule parameters)")


__all__: Sequence[str] = ("register", "write_atomically")
