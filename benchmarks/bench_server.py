"""The team server under load: 20 practitioners saving at once, and cross-case matching over
an authority of 50,000 persons. Not part of `make test`.

    .venv/bin/python benchmarks/bench_server.py [--seconds 60] [--clients 20] [--persons 50000]
        [--think SECONDS] [--lockstep] [--durable]

Starts a throwaway PostgreSQL server (tests/server/pg_cluster.py: initdb in a temporary
folder, a free port, as the postgres user when run as root; fsync off unless --durable), sets
it up with `server init`, and adds one practitioner a client (five teams) and a supervisor of
every team.

Load: each client signs in as its own database user on its own connection, in a process of
its own (as on its own laptop), and edits an entry of its own case for --seconds: first flat
out (the server's and the machine's capacity: a stated figure of its own), then, with
--think, at a practitioner's pace. The pace is random: each client starts at a random moment
within the first wait and then waits an exponentially distributed time with that mean between
saves (seeded per client and run, so a run can be repeated). A team's saves arrive as
independent people's do; with --lockstep every client starts at the same instant and waits
exactly --think seconds, as the first version of this benchmark did, so 20 saves arrive
together every second: bursts no real team makes, which made its p95 (see load_tail.py).

Reported: saves per second, p50 and p95 save latency, statements a save (BEGIN and COMMIT
included: each is a round trip), the client's CPU a save (the app's own work, which on a real
authority runs on each practitioner's laptop, here on the same 2 cores as the server), the
server's time a save (pg_stat_statements: execution time of every statement the
practitioners sent) and its CPU a save (the server processes' CPU over the run), where the
slowest 5% came from (load_tail.py: saves in flight when they began, the clients' garbage
collection, what the server's processes waited on), and a check afterwards that no write was
lost or duplicated: for every save a client was told succeeded there is exactly one audit
record carrying exactly that text, every case's final text is its client's last save, and
every case's hash chain is intact.

Matching: --persons fictional persons (10 a case, one in five a spelling variant of a person
in another case) are written straight into the tables, then timed: the narrow server function
a practitioner's case asks for matches across the whole authority (name keys and pg_trgm), and
the supervisor's suggestions over every case they see.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_matching import make_cases  # noqa: E402
from benchmarks.load_tail import GcClock, Save, WaitSampler, report  # noqa: E402
from chronology_app.core import audit  # noqa: E402
from chronology_app.core.bulk import set_aside_what_startup_made  # noqa: E402
from chronology_app.core.errors import Conflict  # noqa: E402
from chronology_app.core.service import Service  # noqa: E402
from chronology_app.core.store import repository as repo  # noqa: E402
from chronology_app.core.store import server_admin  # noqa: E402
from chronology_app.core.store.server import ServerWorkspace  # noqa: E402
from chronology_app.core.store.server_matching import match_candidates  # noqa: E402
from tests.conftest import minimal_case  # noqa: E402
from tests.server.pg_cluster import Cluster, running  # noqa: E402

TEAMS = 5
# pg_stat_statements, for the server's time a save.
STATEMENTS = "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"


def set_up(cluster: Cluster, clients: int) -> str:
    with psycopg.connect(cluster.url(), autocommit=True) as connection:
        connection.execute("CREATE DATABASE bench")
    with psycopg.connect(cluster.url("bench"), autocommit=True) as connection:
        connection.execute("CREATE EXTENSION pg_stat_statements")
    admin = cluster.url("bench")
    server_admin.init(admin)
    for number in range(clients):
        server_admin.add_user(admin, f"p{number:02d}", "practitioner", [f"team{number % TEAMS}"])
    server_admin.add_user(admin, "sup", "supervisor", [f"team{t}" for t in range(TEAMS)])
    return admin


def client(
    url: str,
    index: int,
    begin: float,
    seconds: float,
    think: float = 0.0,
    run: int = 0,
    lockstep: bool = False,
) -> tuple[list[Any], list[Save], int, float]:
    """One practitioner, in a process of their own (as on their own laptop): edit an entry of
    their own case until the time is up, flat out, or waiting a random time around `think`
    between saves (exponential, seeded by the client; `lockstep`: exactly `think`, all clients
    starting together)."""
    service = Service(ServerWorkspace.open(url, pool_size=1), "")
    reference = f"LOAD-{index:02d}"
    entry = service.document(reference)["entries"][1]
    set_aside_what_startup_made()  # as the app does once it has started (gui/app.py)
    told: list[tuple[int, str]] = []
    saves: list[Save] = []
    refused = 0
    pace = random.Random(1000 * run + index)
    paused = GcClock()
    time.sleep(max(0.0, begin - time.time()))
    if think and not lockstep:  # each practitioner starts at a moment of their own
        time.sleep(pace.uniform(0.0, think))
    deadline = begin + seconds
    cpu = 0.0
    while time.time() < deadline:
        text = f"run {run} client {index} save {len(told)}"
        at, started, used, gc_before = (
            time.time(),
            time.perf_counter(),
            time.process_time(),
            paused.total,
        )
        try:
            result = service.edit_entry(reference, "e2", {**entry, "summary": text}, "load")
        except Conflict:
            refused += 1
            continue
        saves.append(Save(at, time.perf_counter() - started, paused.total - gc_before))
        cpu += time.process_time() - used
        told.append((result.audit_id, text))
        if think:
            time.sleep(think if lockstep else pace.expovariate(1.0 / think))
    paused.stop()
    service.close()
    return told, saves, refused, cpu


def load(
    cluster: Cluster,
    clients: int,
    seconds: float,
    think: float = 0.0,
    run: int = 0,
    lockstep: bool = False,
) -> None:
    for number in range(clients):
        service = Service(ServerWorkspace.open(cluster.url("bench", f"p{number:02d}")), "")
        if run == 0:
            service.import_case(minimal_case(f"LOAD-{number:02d}"))
        service.close()
    with psycopg.connect(cluster.url("bench"), autocommit=True) as connection:
        connection.execute("SELECT pg_stat_statements_reset()")
    begin = time.time() + 3 + clients * 0.2  # every client connected before the clock starts
    sampler = WaitSampler(cluster.url("bench"))
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        pending = pool.starmap_async(
            client,
            [
                (cluster.url("bench", f"p{i:02d}"), i, begin, seconds, think, run, lockstep)
                for i in range(clients)
            ],
        )
        time.sleep(max(0.0, begin - time.time()))
        cpu_before = server_cpu(cluster)
        sampler.start()
        time.sleep(max(0.0, begin + seconds - time.time()))
        server_seconds = server_cpu(cluster) - cpu_before
        sampler.stop()
        results = pending.get()
    told = [r[0] for r in results]
    saves = [save for r in results for save in r[1]]
    every = sorted(save.took for save in saves)
    count = len(every)
    p50 = statistics.median(every) * 1000
    p95 = every[int(count * 0.95) - 1] * 1000
    if not think:
        pace = ", flat out"
    elif lockstep:
        pace = f", exactly {think:g} s between a client's saves, all starting together"
    else:
        pace = f", a random wait between a client's saves (exponential, mean {think:g} s)"
    print(
        f"load: {clients} clients for {seconds:.0f} s{pace}: {count} saves, {count / seconds:.0f}/s"
    )
    print(
        f"  save latency p50 {p50:.1f} ms, p95 {p95:.1f} ms; "
        f"refused as conflicts: {sum(r[2] for r in results)}"
    )
    print(
        f"  server CPU: {server_seconds:.1f} s over the run, "
        f"{server_seconds / count * 1000:.1f} ms a save; server time "
        f"{statement_ms(cluster) / count:.2f} ms a save (pg_stat_statements), "
        f"{statement_calls(cluster) / count:.1f} statements a save; client CPU "
        f"{sum(r[3] for r in results) / count * 1000:.1f} ms a save "
        f"(machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    report(saves, sampler)
    check(cluster, told, run)


def statement_ms(cluster: Cluster) -> float:
    """Execution time of every statement the practitioners sent since the reset (ms)."""
    return _practitioners_statements(cluster, "total_exec_time")


def statement_calls(cluster: Cluster) -> float:
    """Statements the practitioners sent since the reset, BEGIN and COMMIT included."""
    return _practitioners_statements(cluster, "calls")


def _practitioners_statements(cluster: Cluster, column: str) -> float:
    """The sum of a pg_stat_statements column over the practitioners' statements."""
    with psycopg.connect(cluster.url("bench"), autocommit=True) as connection:
        row = connection.execute(
            f"SELECT coalesce(sum(s.{column}), 0) FROM pg_stat_statements s "  # our own names
            "JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname LIKE 'p__'"
        ).fetchone()
    return float(row[0]) if row else 0.0


def server_cpu(cluster: Cluster) -> float:
    """CPU seconds used so far by the server's processes (the postmaster and its children,
    those that have ended included: a client's server process ends when it disconnects)."""
    pid = int((cluster.data / "postmaster.pid").read_text().split()[0])
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid:  # its own, and that of children it has reaped
            total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        elif int(fields[1]) == pid:  # a server process still running
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def check(cluster: Cluster, told: list[list[Any]], run: int = 0) -> None:
    """No lost or duplicated write: what each client was told, against what is stored."""
    problems = 0
    with psycopg.connect(cluster.url("bench")) as connection:
        rows = connection.execute(
            "SELECT id, case_reference, changes::jsonb -> 0 -> 'after' -> 'doc' ->> 'summary' "
            "FROM audit_record WHERE action = 'Edit entry'"
        ).fetchall()
        rows = [row for row in rows if str(row[2]).startswith(f"run {run} ")]  # this run's
        stored: dict[int, tuple[str, str]] = {row[0]: (row[1], row[2]) for row in rows}
        texts = [row[2] for row in rows]
        if len(texts) != len(set(texts)):
            problems += 1
            print("  DUPLICATED: the same save is recorded twice")
        for index, saves in enumerate(told):
            reference = f"LOAD-{index:02d}"
            for audit_id, text in saves:
                found = stored.pop(audit_id, None)
                if found != (reference, text):
                    problems += 1
                    if problems == 1:
                        print(f"  first problem: audit {audit_id} holds {found}, told {text!r}")
            final = connection.execute(
                "SELECT e.doc ->> 'summary' FROM entry e JOIN case_record c ON c.id = e.case_id "
                "WHERE c.reference = %s AND e.key = 'e2'",
                (reference,),
            ).fetchone()
            if saves and (final is None or final[0] != saves[-1][1]):
                problems += 1
        problems += len(stored)  # saved but never reported to a client
    supervisor = Service(ServerWorkspace.open(cluster.url("bench", "sup")), "")
    with supervisor.workspace.reading() as session:
        report = audit.verify(session)
    supervisor.close()
    print(
        f"  lost or duplicated writes: {problems}; audit chains: "
        f"{'intact' if report.intact else 'BROKEN'} ({len(report.heads)} chains, "
        f"{report.records} records)"
    )


# After this many cases the tables' statistics are brought up to date (see `matching`).
FRESH_STATISTICS_AT = (100, 1_000)


def matching(cluster: Cluster, persons: int) -> None:
    documents = make_cases(persons // 10, 10, seed=11)
    # Straight into the tables as the administrator (the service would audit 5,000 imports),
    # in one transaction. PostgreSQL plans each foreign-key check (a name key's person, a
    # person's case) once a connection and keeps the plan until the table's statistics
    # change. Planned against statistics that say `person` is one page (autovacuum analyzes
    # the load cases' tables a minute or two after they are written, so before this phase in
    # a long run), the check is a sequential scan, kept for all 5,000 cases: each of the
    # 150,000 checks of a name key's person read every person written so far, and writing
    # 50,000 persons took 360 s instead of 25 s whatever the load had been (never analyzed,
    # as after a short run, the planner assumes 10 pages and probes the primary key). The
    # statistics are brought up to date as the tables grow, as autovacuum keeps them for a
    # server that grows by committed imports: after 100 cases `person` is past the point
    # where the planner probes the key, after 1,000 `case_record` is. The set-up is then the
    # same whatever ran before it.
    workspace = ServerWorkspace.open(cluster.url("bench"), pool_size=1)
    began = time.perf_counter()
    with workspace.writing() as session:
        for number, document in enumerate(documents, start=1):
            repo.insert_document(session, document)
            if number in FRESH_STATISTICS_AT:
                session.execute(text("ANALYZE case_record, person"))
    with psycopg.connect(cluster.url("bench"), autocommit=True) as connection:
        connection.execute(
            "UPDATE case_record SET team = 'team' || (id %% %s) WHERE reference LIKE 'BM-%%'",
            (TEAMS,),
        )
        connection.execute("ANALYZE")
        keys = connection.execute("SELECT count(*) FROM person_name_key").fetchone()
    workspace.close()
    print(
        f"matching: {len(documents)} cases, {persons} persons, {keys[0] if keys else 0} name "
        f"keys written in {time.perf_counter() - began:.1f} s"
    )
    practitioner = Service(ServerWorkspace.open(cluster.url("bench", "p00")), "")
    mine = [c.reference for c in practitioner.cases() if c.reference.startswith("BM-")][:20]
    timings, found = [], 0
    for reference in mine:
        began = time.perf_counter()
        found += len(practitioner.authority_notes(reference))
        timings.append(time.perf_counter() - began)
    practitioner.close()
    print(
        f"  one case against the whole authority (server function, {len(mine)} cases): "
        f"median {statistics.median(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms, "
        f"{found} notes"
    )
    supervisor = Service(ServerWorkspace.open(cluster.url("bench", "sup")), "")
    with supervisor.workspace.reading() as session:
        began = time.perf_counter()
        _people, pairs = match_candidates(session)
        in_sql = time.perf_counter() - began
        candidates = len(pairs)
    began, used = time.perf_counter(), time.process_time()
    suggestions = supervisor.match_suggestions()
    took, cpu = time.perf_counter() - began, time.process_time() - used
    supervisor.close()
    print(
        f"  supervisor's suggestions over every case they see ({persons} persons): {took:.2f} s "
        f"({cpu:.2f} s of it the app's CPU), {len(suggestions)} suggested from {candidates} "
        f"candidate pairs (the database function alone, its rows read: {in_sql:.2f} s; "
        f"machine load average {os.getloadavg()[0]:.1f}); the suggestions' fingerprint "
        f"{fingerprint(suggestions)}"
    )


def fingerprint(suggestions: list[Any]) -> str:
    """A hash over every suggestion, word for word and in order: two versions of the matcher
    that print the same one suggested the same (the data are generated from a fixed seed)."""
    words = repr([(str(s.first), str(s.second), *s[2:]) for s in suggestions])
    return hashlib.sha256(words.encode()).hexdigest()[:16]


def settings(cluster: Cluster) -> str:
    """The throwaway server's durability settings (a default server: fsync and
    synchronous_commit on)."""
    names = ("fsync", "synchronous_commit", "wal_sync_method", "commit_delay", "wal_level")
    with psycopg.connect(cluster.url("bench"), autocommit=True) as connection:
        return ", ".join(
            f"{name}={connection.execute(f'SHOW {name}').fetchone()[0]}"  # type: ignore[index]
            for name in names
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument(
        "--think",
        type=float,
        action="append",
        default=[],
        help="also run with this many seconds between a client's saves on average "
        "(exponential, seeded; repeatable)",
    )
    parser.add_argument(
        "--lockstep",
        action="store_true",
        help="with --think: wait exactly that long, every client starting at the same moment "
        "(the first version of this benchmark: bursts of simultaneous saves)",
    )
    parser.add_argument(
        "--durable",
        action="store_true",
        help="run the throwaway server with fsync on, as a real server (default: off)",
    )
    args = parser.parse_args(argv)
    options = STATEMENTS + (" -c fsync=on" if args.durable else "")
    with running(options) as cluster:
        set_up(cluster, args.clients)
        print(f"server: {settings(cluster)}")
        for run, think in enumerate([0.0, *args.think]):
            load(cluster, args.clients, args.seconds, think, run, args.lockstep)
        if args.persons:
            matching(cluster, args.persons)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
