"""Soak test of data safety: kill -9 during import, passphrase change, restore and backup.

    PYTHONPATH=. python benchmarks/soak_safety.py [--rounds 50] [--seed 1] [--only import,...]

Not part of `make test` (it takes minutes). For each operation it runs the real `chronology`
command against a workspace, kills it with SIGKILL at a random moment, and then checks:

- the workspace opens with the right passphrase (for a passphrase change: the new one if the
  command said it was done, otherwise the old or the new, never neither);
- an interrupted passphrase change is noticed on opening and finished (with the old
  passphrase), after which every backup opens with the current passphrase;
- every backup opens with the current passphrase and is sound;
- `audit verify` passes: the chain, the file's pages and structure, and the case data against
  the trail; and opening raised no anchor warning;
- nothing the command reported as saved is missing (an import it printed, a backup it named,
  a restore it confirmed).

Everything runs in a fresh temporary folder holding fictional cases only. It prints one line
per operation with the counts, and exits 1 if any check failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chronology_app.core import audit  # noqa: E402
from chronology_app.core.errors import ChronologyError, WrongPassphrase  # noqa: E402
from chronology_app.core.service import Service  # noqa: E402
from chronology_app.core.store import backup as copies  # noqa: E402
from chronology_app.core.store import health  # noqa: E402
from chronology_app.core.store.workspace import Workspace  # noqa: E402
from tests.conftest import minimal_case  # noqa: E402

PASSPHRASES = ("correct horse battery staple", "a new and longer passphrase")
OPERATIONS = ("import", "passphrase", "restore", "backup")
# Kills fall anywhere in the first (1 + OVERRUN) times a whole run of the command (measured
# at the start, unkilled), so some come at start-up, most in the work, and a few too late. On
# a loaded machine a run takes longer than the first one did, and the work that matters most
# (a re-encryption, the copy of a restore) comes at the end: the window follows, growing after
# each kill and shrinking after each run that finished first, so about half the kills land
# near the end of the work.
OVERRUN = 0.2
ADAPT = 1.1


@dataclass
class Tally:
    rounds: int = 0
    killed: int = 0  # killed before it finished
    finished: int = 0  # finished before the kill came
    unfinished_changes: int = 0  # interrupted passphrase changes found and finished
    window: float = 0.0  # how long one unkilled run took
    failures: list[str] = field(default_factory=list)
    seen: Counter[str] = field(default_factory=Counter)


@dataclass
class State:
    folder: Path
    workspace: Path
    passphrase: str
    imported: set[str] = field(default_factory=set)  # references the CLI said it imported
    made: list[Path] = field(default_factory=list)  # backups the CLI said it made
    restore_from: Path | None = None


def run_killed(args: list[str], env: dict[str, str], after: float) -> tuple[bool, str]:
    """Run `chronology ARGS`, SIGKILL it after `after` seconds; (finished, its output)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "chronology_app.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
    )
    try:
        out, _ = process.communicate(timeout=after)
        return process.returncode == 0, out
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        out, _ = process.communicate()
        return False, out


def environment(state: State, anchors: Path, **extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "CHRONOLOGY_PASSPHRASE": state.passphrase,
        "CHRONOLOGY_USER": "Soak Tester",
        "CHRONOLOGY_ANCHORS": str(anchors),
    }
    env.update(extra)
    return env


def opens_with(path: Path) -> str | None:
    for passphrase in PASSPHRASES:
        try:
            Workspace.open(path, passphrase, backup_on_open=False).close()
        except (WrongPassphrase, health.WorkspaceDamaged):
            # After an interrupted change the old passphrase opens the backups but not the
            # file, which opening reports as possible damage: not this passphrase either way.
            continue
        return passphrase
    return None


def check(state: State, tally: Tally, label: str, allowed: tuple[str, ...]) -> None:
    """Everything the soak promises, after one kill."""
    current = opens_with(state.workspace)
    if current is None or current not in allowed:
        tally.failures.append(f"{label}: the workspace opens with neither passphrase")
        return
    state.passphrase = current
    with Workspace.open(state.workspace, current, backup_on_open=False) as workspace:
        if workspace.trail_warning:
            tally.failures.append(f"{label}: anchor warning: {workspace.trail_warning}")
        unfinished = workspace.unfinished_passphrase_change
        if unfinished is not None:
            old = next(p for p in PASSPHRASES if p != current)
            workspace.finish_passphrase_change(old)
            tally.unfinished_changes += 1
        problems = workspace.integrity_problems()
        with workspace.reading() as session:
            report = audit.verify(session)
            data = audit.check_case_data(session)
        if problems or not report.intact or data:
            tally.failures.append(f"{label}: audit verify: {problems} {report.problems} {data}")
        present = {case.reference for case in Service(workspace, "soak").cases()}
        missing = state.imported - present
        if missing:
            tally.failures.append(f"{label}: reported imported but missing: {sorted(missing)}")
    for found in copies.list_backups(state.workspace):
        try:
            copies.check(found.path, current)
        except ChronologyError as err:
            tally.failures.append(f"{label}: backup {found.path.name}: {err}")
    for made in state.made:
        if not made.exists():
            tally.failures.append(f"{label}: a backup reported made is missing: {made.name}")


def soak(operation: str, rounds: int, chance: random.Random, base: Path) -> Tally:
    folder = base / operation
    folder.mkdir()
    anchors = folder / "anchors.json"
    os.environ["CHRONOLOGY_ANCHORS"] = str(anchors)
    state = State(folder, folder / "w.chronology", PASSPHRASES[0])
    with Workspace.create(state.workspace, state.passphrase) as workspace:
        Service(workspace, "Soak Tester").import_case(minimal_case("SOAK-0000"))
    state.imported.add("SOAK-0000")
    tally = Tally()
    window = 60.0  # round 0: not killed, timed
    for number in range(0, rounds + 1):
        label = f"{operation} {number}"
        after = chance.uniform(0.05, (1 + OVERRUN) * window)
        allowed: tuple[str, ...] = (state.passphrase,)
        began = time.monotonic()
        if operation == "import":
            reference = f"SOAK-{number:04d}"
            case = folder / f"{reference}.json"
            case.write_text(json.dumps(minimal_case(reference)), encoding="utf-8")
            done, out = run_killed(
                ["import", str(state.workspace), str(case)], environment(state, anchors), after
            )
            if done and f"Imported {reference}" in out:
                state.imported.add(reference)
        elif operation == "passphrase":
            new = next(p for p in PASSPHRASES if p != state.passphrase)
            env = environment(state, anchors, CHRONOLOGY_NEW_PASSPHRASE=new)
            done, out = run_killed(["passphrase", str(state.workspace)], env, after)
            allowed = (new,) if done and "Changed the passphrase" in out else PASSPHRASES
        elif operation == "restore":
            if state.restore_from is None or not state.restore_from.exists():
                state.restore_from = folder / "source.chronology-backup"
                state.restore_from.unlink(missing_ok=True)
                with Workspace.open(state.workspace, state.passphrase) as workspace:
                    workspace.backup(target=state.restore_from)
            done, out = run_killed(
                ["restore", str(state.restore_from), str(state.workspace), "--replace"],
                environment(state, anchors),
                after,
            )
        else:
            done, out = run_killed(
                ["backup", str(state.workspace)], environment(state, anchors), after
            )
            if done:
                said = out.split(" to ", 1)[-1].split(". It is encrypted", 1)[0]
                state.made.append(Path(said))
        if number == 0:
            window = time.monotonic() - began
            tally.window = window
            check(state, tally, label, allowed)
            continue
        window = window * ADAPT if not done else window / ADAPT
        tally.rounds += 1
        tally.killed += not done
        tally.finished += done
        if not done and out.strip():
            tally.seen[out.strip().splitlines()[-1][:60]] += 1
        check(state, tally, label, allowed)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default=",".join(OPERATIONS))
    args = parser.parse_args(argv)
    chance = random.Random(args.seed)
    failed = False
    with tempfile.TemporaryDirectory(prefix="chronology-soak-") as base:
        for operation in args.only.split(","):
            started = time.monotonic()
            tally = soak(operation, args.rounds, chance, Path(base))
            took = time.monotonic() - started
            print(
                f"{operation:<10} {tally.rounds} rounds: {tally.killed} killed mid-way, "
                f"{tally.finished} finished first, {tally.unfinished_changes} interrupted "
                f"passphrase changes found and finished, {len(tally.failures)} failed checks "
                f"(one run {tally.window:.1f} s; {took:.0f} s in all)",
                flush=True,
            )
            for failure in tally.failures[:20]:
                print(f"  FAILED {failure}", flush=True)
            failed = failed or bool(tally.failures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
