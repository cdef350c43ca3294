"""The team server under load: 20 practitioners saving at once, and cross-case matching over
an authority of 50,000 persons. Not part of `make test`.

    .venv/bin/python benchmarks/bench_server.py [--seconds 60] [--clients 20] [--persons 50000]

Starts a throwaway PostgreSQL server (tests/server/pg_cluster.py: initdb in a temporary
folder, a free port, as the postgres user when run as root), sets it up with `server init`,
and adds one practitioner a client (five teams) and a supervisor of every team.

Load: each client signs in as its own database user on its own connection (a thread each;
the service's work in Python shares the interpreter) and edits an entry of its own case as
fast as it can for --seconds. Reported: saves per second, p50 and p95 save latency, and a
check afterwards that no write was lost or duplicated: for every save a client was told
succeeded there is exactly one audit record carrying exactly that text, every case's final
text is its client's last save, and every case's hash chain is intact.

Matching: --persons fictional persons (10 a case, one in five a spelling variant of a person
in another case) are written straight into the tables, then timed: the narrow server function
a practitioner's case asks for matches across the whole authority (name keys and pg_trgm), and
the supervisor's suggestions over every case they see.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

import psycopg

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


def set_up(cluster: Cluster, clients: int) -> str:
    with psycopg.connect(cluster.url(), autocommit=True) as connection:
        connection.execute("CREATE DATABASE bench")
    admin = cluster.url("bench")
    server_admin.init(admin)
    for number in range(clients):
        server_admin.add_user(admin, f"p{number:02d}", "practitioner", [f"team{number % TEAMS}"])
    server_admin.add_user(admin, "sup", "supervisor", [f"team{t}" for t in range(TEAMS)])
    return admin


def load(cluster: Cluster, clients: int, seconds: float) -> None:
    services = []
    for number in range(clients):
        workspace = ServerWorkspace.open(cluster.url("bench", f"p{number:02d}"), pool_size=1)
        service = Service(workspace, "")
        service.import_case(minimal_case(f"LOAD-{number:02d}"))
        services.append(service)
    told: list[list[tuple[int, str]]] = [[] for _ in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    refused = [0] * clients
    start = threading.Barrier(clients + 1)
    deadline = 0.0

    def client(index: int) -> None:
        service = services[index]
        reference = f"LOAD-{index:02d}"
        entry = service.document(reference)["entries"][1]
        start.wait()
        count = 0
        while time.perf_counter() < deadline:
            text = f"client {index} save {count}"
            began = time.perf_counter()
            try:
                result = service.edit_entry(reference, "e2", {**entry, "summary": text}, "load")
            except Conflict:
                refused[index] += 1
                continue
            latencies[index].append(time.perf_counter() - began)
            told[index].append((result.audit_id, text))
            count += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    deadline = time.perf_counter() + seconds
    start.wait()
    for thread in threads:
        thread.join()
    saves = sum(len(t) for t in told)
    every = sorted(x for lat in latencies for x in lat)
    p50 = statistics.median(every) * 1000
    p95 = every[int(len(every) * 0.95) - 1] * 1000
    print(f"load: {clients} clients for {seconds:.0f} s: {saves} saves, {saves / seconds:.0f}/s")
    print(
        f"  save latency p50 {p50:.1f} ms, p95 {p95:.1f} ms; refused as conflicts: {sum(refused)}"
    )
    check(cluster, services, told)
    for service in services:
        service.close()


def check(cluster: Cluster, services: list[Service], told: list[list[tuple[int, str]]]) -> None:
    """No lost or duplicated write: what each client was told, against what is stored."""
    problems = 0
    with psycopg.connect(cluster.url("bench")) as connection:
        rows = connection.execute(
            "SELECT id, case_reference, changes::jsonb -> 0 -> 'after' -> 'doc' ->> 'summary' "
            "FROM audit_record WHERE action = 'Edit entry'"
        ).fetchall()
        stored: dict[int, tuple[str, str]] = {row[0]: (row[1], row[2]) for row in rows}
        texts = [row[2] for row in rows]
        if len(texts) != len(set(texts)):
            problems += 1
            print("  DUPLICATED: the same save is recorded twice")
        for index, saves in enumerate(told):
            reference = f"LOAD-{index:02d}"
            for audit_id, text in saves:
                if stored.pop(audit_id, None) != (reference, text):
                    problems += 1
            final = connection.execute(
                "SELECT e.doc ->> 'summary' FROM entry e JOIN case_record c ON c.id = e.case_id "
                "WHERE c.reference = %s AND e.key = 'e2'",
                (reference,),
            ).fetchone()
            if saves and (final is None or final[0] != saves[-1][1]):
                problems += 1
        problems += len(stored)  # saved but never reported to a client
    with services[0].workspace.reading():
        pass
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
    mine = [d["case"]["reference"] for d in documents[: TEAMS * 20 : TEAMS]]
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
    began = time.perf_counter()
    suggestions = supervisor.match_suggestions()
    took = time.perf_counter() - began
    supervisor.close()
    print(
        f"  supervisor's suggestions over every case they see ({persons} persons): {took:.2f} s, "
        f"{len(suggestions)} suggested"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--persons", type=int, default=50_000)
    args = parser.parse_args(argv)
    with running() as cluster:
        set_up(cluster, args.clients)
        load(cluster, args.clients, args.seconds)
        if args.persons:
            matching(cluster, args.persons)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
