"""The long fuzz run: every hostile-input property, in turn, for a number of minutes.

    python -m tests.fuzz.run --minutes 5          (make fuzz; FUZZ_MINUTES=5)
    python -m tests.fuzz.run --minutes 1 --target bundles

Stops at the first input that escapes as anything but a ChronologyError (or breaks another
property), printing hypothesis's smallest example of it; otherwise prints how many inputs each
target took and how they ended. Failures are kept in .hypothesis/ and tried first next time.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chronology_app.core.service import Service
from chronology_app.core.store.workspace import Workspace
from tests.conftest import PASSPHRASE, minimal_case
from tests.fuzz import strategies as fz

CHUNK = 300  # examples per turn of one target


def _targets(service: Service) -> dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], str]]]:
    targets = dict(fz.TARGETS)
    targets["imports"] = (
        st.one_of(fz.mutated_case(), fz.json_value),
        lambda document: fz.import_document(service, document),
    )
    return targets


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--target", action="append", help="only these targets (repeatable)")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.minutes * 60
    outcomes: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    with tempfile.TemporaryDirectory(prefix="chronology-fuzz-") as folder:
        workspace = Workspace.create(Path(folder) / "fuzz.chronology", PASSPHRASE)
        service = Service(workspace, "Fuzz")
        service.import_case(minimal_case("OTHER-1"))
        targets = _targets(service)
        chosen = args.target or sorted(targets)
        unknown = set(chosen) - set(targets)
        if unknown:
            parser.error(f"no such target: {', '.join(sorted(unknown))} (known: {sorted(targets)})")
        started = time.monotonic()
        try:
            while time.monotonic() < deadline:
                for name in chosen:
                    if time.monotonic() >= deadline:
                        break
                    _turn(name, *targets[name], outcomes[name])
                total = sum(sum(c.values()) for c in outcomes.values())
                print(f"{time.monotonic() - started:7.0f} s  {total} inputs", flush=True)
        finally:
            workspace.close()
    _summary(outcomes, time.monotonic() - started)
    return 0


def _turn(
    name: str,
    strategy: st.SearchStrategy[Any],
    check: Callable[[Any], str],
    counts: collections.Counter[str],
) -> None:
    @settings(
        max_examples=CHUNK,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(strategy)
    def run(value: Any) -> None:
        counts[check(value)] += 1

    try:
        run()
    except BaseException:
        print(f"\n{name}: an input broke a property (smallest example above)", file=sys.stderr)
        raise


def _summary(outcomes: dict[str, collections.Counter[str]], seconds: float) -> None:
    total = sum(sum(c.values()) for c in outcomes.values())
    print(f"\n{total} inputs in {seconds / 60:.1f} minutes; every one accepted or refused clearly:")
    for name, counts in sorted(outcomes.items()):
        detail = ", ".join(f"{count} {outcome}" for outcome, count in counts.most_common())
        print(f"  {name:<18} {sum(counts.values()):>8}  ({detail})")


if __name__ == "__main__":
    sys.exit(main())
