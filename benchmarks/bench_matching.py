"""Cross-case suggestions over a workspace: 200 cases and 2,000 persons by default.

    .venv/bin/python benchmarks/bench_matching.py [--cases 200] [--persons-per-case 10]

Every person gets a fictional name from small lists of forenames and surnames (so many share a
surname and some are spelling variants of one another); one person in five is written again in
another case under a variant (Mac/Mc, a vowel changed, forename and surname swapped). Times
`Service.match_suggestions()` (candidates found by the stored name keys, then each checked),
fastest of --repeat runs, next to comparing every pair of persons with the same checker, which
the design avoids. Aim: under 1 s for 200 cases and 2,000 persons.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chronology_app.core.crosscase import suggest_from_pairs  # noqa: E402
from chronology_app.core.records import person_record  # noqa: E402
from chronology_app.core.service import Service  # noqa: E402

FORENAMES = [
    "Stephen",
    "Steven",
    "Dean",
    "Wayne",
    "Kerry",
    "Ryan",
    "Marek",
    "Lukasz",
    "Tomasz",
    "Aaron",
    "Kieran",
    "Jamal",
    "Ade",
]
SURNAMES = [
    "McAllister",
    "Harte",
    "Pilbury",
    "Ashdown",
    "Colclough",
    "Kowalczyk",
    "Brennan",
    "ODonnell",
    "Okafor",
    "Whitlock",
    "Fairbairn",
    "Quartermaine",
    "Thorne",
    "Blackwood",
    "Pettigrew",
    "Vantongeren",
    "Sondergard",
    "Mensah",
    "Iqbal",
]


def _variant(name: str, rng: random.Random) -> str:
    first, last = name.split(" ", 1)
    choice = rng.randrange(3)
    if choice == 0 and last.startswith("Mc"):
        return f"{first} Mac {last[2:]}"
    if choice == 1:
        return f"{last} {first}"
    index = rng.randrange(1, len(last))
    return f"{first} {last[:index]}{last[index]}{last[index:]}"


def make_cases(cases: int, per_case: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    documents = []
    for number in range(cases):
        persons = []
        for index in range(per_case):
            name = f"{rng.choice(FORENAMES)} {rng.choice(SURNAMES)}{rng.randrange(40)}"
            if index % 5 == 0 and documents:
                other = rng.choice(rng.choice(documents)["persons"])["name"]
                name = _variant(other, rng)
            year = 1960 + rng.randrange(45)
            persons.append(
                {
                    "id": f"p{index}",
                    "name": name,
                    "roles": ["partner"],
                    "date_of_birth": f"{year}"
                    if index % 3
                    else f"{year}-0{1 + index % 9}-1{index % 9}",
                }
            )
        documents.append(
            {
                "format": "chronology-case",
                "version": 1,
                "case": {"reference": f"BM-{number:04d}", "title": f"Family {number}"},
                "persons": persons,
                "entries": [],
            }
        )
    return documents


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--persons-per-case", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    documents = make_cases(args.cases, args.persons_per_case)
    with tempfile.TemporaryDirectory() as folder:
        service = Service.create(Path(folder) / "bench.chronology", "bench passphrase 1", "Bench")
        try:
            for document in documents:
                service.import_case(document)
            best = float("inf")
            found: list[Any] = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                found = service.match_suggestions()
                best = min(best, time.perf_counter() - started)
        finally:
            service.close()
    persons = [(d["case"]["reference"], person_record(p)) for d in documents for p in d["persons"]]
    started = time.perf_counter()
    every_pair = suggest_from_pairs(
        (
            (*persons[a], *persons[b])
            for a in range(len(persons))
            for b in range(a + 1, len(persons))
        ),
        [],
    )
    naive = time.perf_counter() - started
    total = args.cases * args.persons_per_case
    print(f"cases: {args.cases}  persons: {total}")
    print(f"match suggestions (stored keys): {best:.3f} s, {len(found)} suggested")
    print(f"every pair compared (naive): {naive:.3f} s, {len(every_pair)} suggested")
    return 0


if __name__ == "__main__":
    main()
