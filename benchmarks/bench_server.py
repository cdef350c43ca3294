"""The team server under load: 20 practitioners saving at once, and cross-case matching over
an authority of 50,000 persons. Not part of `make test`.

    .venv/bin/python benchmarks/bench_server.py [--seconds 60] [--clients 20] [--persons 50000]
        [--think SECONDS]

Starts a throwaway PostgreSQL server (tests/server/pg_cluster.py: initdb in a temporary
folder, a free port, as the postgres user when run as root), sets it up with `server init`,
and adds one practitioner a client (five teams) and a supervisor of every team.

Load: each client signs in as its own database user on its own connection, in a process of
its own (as on its own laptop), and edits an entry of its own case as fast as it can for
--seconds (or, with --think, waits that long between saves: a practitioner's pace). Reported:
saves per second, p50 and p95 save latency, the client's CPU a save (the app's own work,
which on a real authority runs on each practitioner's laptop, here on the same 2 cores as the
server), the server's time a save (pg_stat_statements: execution time of every statement the
practitioners sent) and its CPU a save (the server processes' CPU over the run), and a check
afterwards that no write was lost or duplicated: for every save a client was told succeeded
there is exactly one audit record carrying exactly that text, every case's final text is its
client's last save, and every case's hash chain is intact.

Matching: --persons fictional persons (10 a case, one in five a spelling variant of a person
in another case) are written straight into the tables, then timed: the narrow server function
a practitioner's case asks for matches across the whole authority (name keys and pg_trgm), and
the supervisor's suggestions over every case they see.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
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
from chronology_app.core import audit  # noqa: E402
from chronology_app.core.errors import Conflict  # noqa: E402
from chronology_app.core.service import Service  # noqa: E402
from chronology_app.core.store import repository as repo  # noqa: E402
from chronology_app.core.store import server_admin  # noqa: E402
from chronology_app.core.store.server import ServerWorkspace  # noqa: E402
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
    url: str, index: int, begin: float, seconds: float, think: float = 0.0, run: int = 0
) -> tuple[list[Any], list[float], int, float]:
    """One practitioner, in a process of their own (as on their own laptop): edit an entry of
    their own case as fast as the server allows until the time is up."""
    service = Service(ServerWorkspace.open(url, pool_size=1), "")
    reference = f"LOAD-{index:02d}"
    entry = service.document(reference)["entries"][1]
    told: list[tuple[int, str]] = []
    latencies: list[float] = []
    refused = 0
    time.sleep(max(0.0, begin - time.time()))
    deadline = begin + seconds
    cpu = 0.0
    while time.time() < deadline:
        text = f"run {run} client {index} save {len(told)}"
        started, used = time.perf_counter(), time.process_time()
        try:
            result = service.edit_entry(reference, "e2", {**entry, "summary": text}, "load")
        except Conflict:
            refused += 1
            continue
        latencies.append(time.perf_counter() - started)
        cpu += time.process_time() - used
        told.append((result.audit_id, text))
        if think:
            time.sleep(think)
    service.close()
    return told, latencies, refused, cpu


def load(cluster: Cluster, clients: int, seconds: float, think: float = 0.0, run: int = 0) -> None:
    for number in range(clients):
        service = Service(ServerWorkspace.open(cluster.url("bench", f"p{number:02d}")), "")
        if run == 0:
            service.import_case(minimal_case(f"LOAD-{number:02d}"))
        service.close()
    with psycopg.connect(cluster.url("bench"), autocommit=True) as connection:
        connection.execute("SELECT pg_stat_statements_reset()")
    begin = time.time() + 3 + clients * 0.2  # every client connected before the clock starts
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        pending = pool.starmap_async(
            client,
            [
                (cluster.url("bench", f"p{i:02d}"), i, begin, seconds, think, run)
                for i in range(clients)
            ],
        )
        time.sleep(max(0.0, begin - time.time()))
        cpu_before = server_cpu(cluster)
        time.sleep(max(0.0, begin + seconds - time.time()))
        server_seconds = server_cpu(cluster) - cpu_before
        results = pending.get()
    told = [r[0] for r in results]
    every = sorted(x for r in results for x in r[1])
    saves = len(every)
    p50 = statistics.median(every) * 1000
    p95 = every[int(len(every) * 0.95) - 1] * 1000
    pace = f", {think:g} s between a client's saves" if think else ", flat out"
    print(
        f"load: {clients} clients for {seconds:.0f} s{pace}: {saves} saves, {saves / seconds:.0f}/s"
    )
    print(
        f"  save latency p50 {p50:.1f} ms, p95 {p95:.1f} ms; "
        f"refused as conflicts: {sum(r[2] for r in results)}"
    )
    print(
        f"  server CPU: {server_seconds:.1f} s over the run, "
        f"{server_seconds / saves * 1000:.1f} ms a save; server time "
        f"{statement_ms(cluster) / saves:.2f} ms a save (pg_stat_statements); client CPU "
        f"{sum(r[3] for r in results) / saves * 1000:.1f} ms a save "
        f"(machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    check(cluster, told, run)


def statement_ms(cluster: Cluster) -> float:
    """Execution time of every statement the practitioners sent since the reset (ms)."""
    with psycopg.connect(cluster.url("bench"), autocommit=True) as connection:
        row = connection.execute(
            "SELECT coalesce(sum(s.total_exec_time), 0) FROM pg_stat_statements s "
            "JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname LIKE 'p__'"
        ).fetchone()
    return float(row[0]) if row else 0.0


def server_cpu(cluster: Cluster) -> float:
    """CPU seconds used so far by the server's processes (the postmaster and its children)."""
    pid = int((cluster.data / "postmaster.pid").read_text().split()[0])
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
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


def matching(cluster: Cluster, persons: int) -> None:
    documents = make_cases(persons // 10, 10, seed=11)
    # Straight into the tables as the administrator (the service would audit 5,000 imports).
    workspace = ServerWorkspace.open(cluster.url("bench"), pool_size=1)
    began = time.perf_counter()
    with workspace.writing() as session:
        for document in documents:
            repo.insert_document(session, document)
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
        candidates = sum(
            len(partners.split(","))
            for (partners,) in session.execute(
                text("SELECT partners FROM chronology_match_candidates() WHERE partners > ''")
            )
        )
        in_sql = time.perf_counter() - began
    began, used = time.perf_counter(), time.process_time()
    suggestions = supervisor.match_suggestions()
    took, cpu = time.perf_counter() - began, time.process_time() - used
    supervisor.close()
    print(
        f"  supervisor's suggestions over every case they see ({persons} persons): {took:.2f} s "
        f"({cpu:.2f} s of it the app's CPU), {len(suggestions)} suggested from {candidates} "
        f"candidate pairs (the database's join by name key and year of birth alone: "
        f"{in_sql:.2f} s; machine load average {os.getloadavg()[0]:.1f})"
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
        help="also run with this many seconds between a client's saves (repeatable)",
    )
    args = parser.parse_args(argv)
    with running(STATEMENTS) as cluster:
        set_up(cluster, args.clients)
        for run, think in enumerate([0.0, *args.think]):
            load(cluster, args.clients, args.seconds, think, run)
        if args.persons:
            matching(cluster, args.persons)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
