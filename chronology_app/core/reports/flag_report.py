"""Flags as plain text for a terminal: grouped by severity, each with its evidence."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from chronology_app.core.analysis import ReviewedFlag
from chronology_app.core.records import CaseData
from chronology_app.core.wording import date_shown

SEVERITIES = ("high", "medium", "low")
WIDTH = 96


def _wrap(label: str, text: str) -> str:
    return textwrap.fill(
        text, WIDTH, initial_indent=f"     {label}", subsequent_indent=" " * (5 + len(label))
    )


def render(case: CaseData, flags: Sequence[ReviewedFlag]) -> str:
    heading = f"{case.case.title} ({case.case.reference})"
    if not flags:
        return f"{heading}: no flags raised.\n"
    lines = [f"{heading}: {len(flags)} flag{'s' if len(flags) != 1 else ''}", ""]
    number = 0
    for severity in SEVERITIES:
        group = [(item.flag, item.review) for item in flags if item.flag.severity == severity]
        if not group:
            continue
        lines.append(f"{severity.upper()} ({len(group)})")
        for flag, review in group:
            number += 1
            refs = ", ".join(case.entry_by_id[e].ref for e in flag.entries if e in case.entry_by_id)
            lines.append(f"  {number:>2}. {flag.title}  [{flag.rule}]")
            lines.append(_wrap("", flag.explanation))
            lines.append(_wrap("Consider: ", flag.suggested_action))
            if refs:
                lines.append(_wrap("Evidence: ", refs))
            lines.append(_wrap("Basis: ", flag.basis))
            if review is not None:
                lines.append(
                    _wrap(
                        "Reviewed: ",
                        f"{review.decision} by {review.by} on {date_shown(review.on)}: "
                        f"{review.reason}",
                    )
                )
            lines.append("")
    return "\n".join(lines)
