"""Speed of the PDF chronology report.

    .venv/bin/python benchmarks/bench_report.py [--entries 2000] [--repeat 3] [--seed 11]

Builds the report of one generated case (flags found beforehand) two ways in this one run:

- ours: `build_report`, whose tables are laid out once with cached word widths and split at
  page ends by a binary search (chronology_app/core/reports/pdf.py, `GridTable`);
- naive: the same document, every table one reportlab LongTable of Paragraph cells with its
  header row repeated (`render_pdf(..., tables="paragraphs")`).

Figures are medians of --repeat runs after one warm-up (the font is loaded once per process).
Targets: ours under 2 s, and at most 0.6 of the naive time.
"""

from __future__ import annotations

import argparse
import datetime
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate_case
from chronology_app.core.records import case_data
from chronology_app.core.reports.chronology_report import build_report, write_report
from chronology_app.core.reports.document import DocumentModel
from chronology_app.core.reports.pdf import render_pdf
from chronology_app.core.rules.engine import analyse

DAY = datetime.date(2025, 1, 1)


def median(action: Callable[[], bytes], repeat: int) -> tuple[float, bytes]:
    times, result = [], b""
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    data = case_data(generate_case(args.entries, seed=args.seed))
    flags = analyse(data)

    def ours(audience: str) -> Callable[[], bytes]:
        return lambda: build_report(data, flags, audience, prepared_by="Bench", report_date=DAY)

    def naive() -> bytes:
        document = DocumentModel()
        write_report(document, data, flags, "internal", prepared_by="Bench", report_date=DAY)
        return render_pdf(document, tables="paragraphs")

    ours("internal")()  # warm-up: fonts registered, modules loaded
    rows = [
        ("ours, internal", *median(ours("internal"), args.repeat)),
        ("ours, conference", *median(ours("conference"), args.repeat)),
        ("naive LongTable, internal", *median(naive, args.repeat)),
    ]
    print(
        f"report of {args.entries} entries, {len(flags)} flags, {len(data.persons)} persons "
        f"(median of {args.repeat})"
    )
    print(f"  {'approach':<28}{'seconds':>9}{'pages':>7}{'KB':>8}")
    for name, seconds, pdf in rows:
        print(f"  {name:<28}{seconds:>9.2f}{pages(pdf):>7}{len(pdf) // 1024:>8}")
    ratio = rows[0][1] / rows[2][1]
    print(
        f"  ours / naive = {ratio:.2f} (target <= 0.6); ours under 2 s: "
        f"{'yes' if rows[0][1] < 2 else 'NO'}"
    )


if __name__ == "__main__":
    main()
