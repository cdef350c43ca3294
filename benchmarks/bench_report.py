"""Speed of the chronology report, and of the family-facing check and masking under hostile
input.

    .venv/bin/python benchmarks/bench_report.py [--entries 2000] [--hostile 5000] [--repeat 3]

In this one run:

- ours, internal / conference: `make_report` on one generated case (flags found beforehand);
  tables laid out once with cached word widths and split at page ends by a binary search;
- naive LongTable, internal: the same document, every table one reportlab LongTable of
  Paragraph cells (benchmarks/naive_table.py);
- hostile: a --hostile-entry case with 100 restricted people (and the generator's own), the
  conference report (the sharing check, then masking every string) against the internal report
  of the same case: aim under 3x;
- a restricted person whose name is 100,000 characters, written in a shared entry: the
  conference check that refuses it, and the internal report that prints it (line fitting);
  and 100,000 characters of "a-a-a-…" before a restricted name (the check).

Figures are medians of --repeat runs after one warm-up (the font is loaded once per process).
Targets: ours under 2 s, at most 0.6 of the naive time; hostile conference under 3x internal.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate_case
from benchmarks.naive_table import paragraph_table
from chronology_app.core.analysis import analyse_case
from chronology_app.core.records import case_data
from chronology_app.core.reports.audience import audience_view
from chronology_app.core.reports.chronology_report import write_report
from chronology_app.core.reports.document import DocumentModel
from chronology_app.core.reports.make import SharingRefused, make_report
from chronology_app.core.reports.pdf import page_count, render_pdf
from chronology_app.core.settings import Settings

DAY = datetime.date(2025, 1, 1)
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ren",
    "sto",
    "vha",
    "dru",
    "pel",
    "zan",
    "qui",
    "or",
    "thu",
    "bel",
    "gar",
    "wyn",
    "cas",
    "dor",
    "fen",
]


def median(action: Callable[[], bytes], repeat: int) -> tuple[float, bytes]:
    times, result = [], b""
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def with_restricted_people(document: dict[str, Any], count: int, seed: int) -> dict[str, Any]:
    """`count` more restricted people with made-up double-barrelled names and aliases."""
    rng = random.Random(seed)
    doc = copy.deepcopy(document)

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()

    for number in range(count):
        name = f"{word()} {word()}-{word()}"
        doc["persons"].append(
            {
                "id": f"hostile-{number}",
                "name": name,
                "aliases": [f"{word()} {word()}", f"{word().lower()}_{number}"],
                "roles": ["other"],
                "restricted": True,
            }
        )
    return doc


def shareable(document: dict[str, Any]) -> dict[str, Any]:
    """The generated case with its one restricted relative made unrestricted: the generator
    names her in shared entries, which (rightly) stops a family-facing report."""
    doc = copy.deepcopy(document)
    for person in doc["persons"]:
        person.pop("restricted", None)
    return doc


def report(analysis: Any, audience: str) -> Callable[[], bytes]:
    def make() -> bytes:
        return make_report(analysis, audience, "pdf", prepared_by="Bench", report_date=DAY).data

    return make


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--hostile", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    settings = Settings()
    document = shareable(generate_case(args.entries, args.seed))
    analysis = analyse_case(case_data(document), settings, as_of=None)

    def naive() -> bytes:
        document = DocumentModel()
        view = audience_view(analysis, "internal")
        write_report(document, view, prepared_by="Bench", report_date=DAY)
        return render_pdf(document, table_flowable=paragraph_table)

    report(analysis, "internal")()  # warm-up: fonts registered, modules loaded
    rows = [
        ("ours, internal", *median(report(analysis, "internal"), args.repeat)),
        ("ours, conference", *median(report(analysis, "conference"), args.repeat)),
        ("naive LongTable, internal", *median(naive, args.repeat)),
    ]
    print(
        f"report of {args.entries} entries, {len(analysis.flags)} flags, "
        f"{len(analysis.case.persons)} persons (median of {args.repeat})"
    )
    print(f"  {'approach':<28}{'seconds':>9}{'pages':>7}{'KB':>8}")
    for name, seconds, pdf in rows:
        print(f"  {name:<28}{seconds:>9.2f}{page_count(pdf):>7}{len(pdf) // 1024:>8}")
    ratio = rows[0][1] / rows[2][1]
    print(
        f"  ours / naive = {ratio:.2f} (target <= 0.6); ours under 2 s: "
        f"{'yes' if rows[0][1] < 2 else 'NO'}"
    )

    hostile_doc = with_restricted_people(shareable(generate_case(args.hostile, args.seed)), 101, 7)
    hostile = analyse_case(case_data(hostile_doc), settings, as_of=None)
    restricted = sum(1 for p in hostile.case.persons if p.restricted)
    internal, _ = median(report(hostile, "internal"), 1)
    conference, _ = median(report(hostile, "conference"), 1)
    print(
        f"hostile: {args.hostile} entries, {restricted} restricted people: internal "
        f"{internal:.2f} s, conference {conference:.2f} s, conference / internal = "
        f"{conference / internal:.2f} (target < 3)"
    )

    long_doc = shareable(generate_case(30, seed=args.seed))
    long_name = " ".join("Qx" + "z" * 98 for _ in range(1000))  # 100,000 characters
    long_doc["persons"].append(
        {"id": "long", "name": long_name, "roles": ["other"], "restricted": True}
    )
    long_doc["entries"][3]["detail"] = f"Seen with {long_name} at the door."
    long_analysis = analyse_case(case_data(long_doc), settings, as_of=None)
    started = time.perf_counter()
    try:
        report(long_analysis, "conference")()
        refused = "NOT refused"
    except SharingRefused:
        refused = "refused"
    check = time.perf_counter() - started
    printed, pdf = median(report(long_analysis, "internal"), 1)
    # Punctuation chains that once made the e-mail pattern rescan the text from every letter.
    chains = copy.deepcopy(long_doc)
    chains["persons"][-1]["name"] = "Orlando Pettigrew-Blackwood"
    chains["entries"][3]["detail"] = "a-" * 50_000 + " Blackwood"
    chains_analysis = analyse_case(case_data(chains), settings, as_of=None)
    started = time.perf_counter()
    with contextlib.suppress(SharingRefused):
        report(chains_analysis, "conference")()
    chain_check = time.perf_counter() - started
    print(
        f"a 100,000-character name: conference check {check:.2f} s ({refused}), internal report "
        f"printing it {printed:.2f} s ({page_count(pdf)} pages)"
    )
    print(f"a 100,000-character chain of 'a-' before a restricted name: check {chain_check:.2f} s")


if __name__ == "__main__":
    main()
