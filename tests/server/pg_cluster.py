"""A throwaway PostgreSQL server for the tests and benchmarks: initdb into a temporary folder,
a free local port, a Unix socket in the same folder, listening on 127.0.0.1 only, run as the
`postgres` system user when the tests run as root (PostgreSQL refuses to run as root).

Debian keeps the server programs in /usr/lib/postgresql/<version>/bin, not on the PATH. Where
they are missing they are installed when the machine allows it (root with apt-get); otherwise
set-up stops with the one command that installs them: never a silent skip.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

INSTALL = "apt-get install -y postgresql postgresql-contrib"
SUPERUSER = "postgres"


class ServerUnavailable(RuntimeError):
    """No PostgreSQL server programs here, and they could not be installed."""


def _bin_dir() -> Path | None:
    explicit = os.environ.get("CHRONOLOGY_PG_BIN")
    candidates = [explicit] if explicit else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").is_file():
            return Path(candidate)
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def _has_trgm(bin_dir: Path) -> bool:
    share = subprocess.run(
        [str(bin_dir / "pg_config"), "--sharedir"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return bool(share) and (Path(share) / "extension" / "pg_trgm.control").is_file()


def find_or_install() -> Path:
    """The folder holding initdb and pg_ctl (with pg_trgm), installing them if allowed."""
    found = _bin_dir()
    if found is not None and _has_trgm(found):
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-q"], check=False, capture_output=True)
        done = subprocess.run(INSTALL.split(), capture_output=True, text=True, check=False)
        found = _bin_dir()
        if done.returncode == 0 and found is not None and _has_trgm(found):
            return found
    raise ServerUnavailable(
        "The PostgreSQL server programs (with pg_trgm) are needed for the team-server tests "
        f"and are not installed. Install them with: sudo {INSTALL}"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    folder: Path
    port: int
    bin_dir: Path

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, dbname: str = "postgres", user: str = SUPERUSER, password: str = "") -> str:
        secret = f":{password}" if password else ""
        return f"postgresql://{user}{secret}@127.0.0.1:{self.port}/{dbname}"


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SUPERUSER, "--", *command]


def _chown(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam(SUPERUSER)
        os.chown(path, entry.pw_uid, entry.pw_gid)


@contextlib.contextmanager
def running(extra_options: str = "") -> Iterator[Cluster]:
    """A fresh server for the duration of the block, removed afterwards. `extra_options`:
    more `-c name=value` settings (the benchmark loads pg_stat_statements)."""
    bin_dir = find_or_install()
    folder = Path(tempfile.mkdtemp(prefix="chronology-pg-"))
    folder.chmod(0o755)
    _chown(folder)
    cluster = Cluster(folder, _free_port(), bin_dir)
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(cluster.data),
                    "-U",
                    SUPERUSER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
            text=True,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {cluster.port} "
            f"-c unix_socket_directories={folder} -c fsync=off -c max_connections=100 "
            f"-c TimeZone=UTC {extra_options}"
        ).strip()
        subprocess.run(
            _as_server_user(
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(cluster.data),
                    "-o",
                    options,
                    "-l",
                    str(folder / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            text=True,
        )
        yield cluster
    except subprocess.CalledProcessError as err:
        raise ServerUnavailable(
            f"The throwaway PostgreSQL server did not start: {err.stderr or err.stdout}"
        ) from None
    finally:
        if (cluster.data / "postmaster.pid").exists():
            subprocess.run(
                _as_server_user(
                    [str(bin_dir / "pg_ctl"), "-D", str(cluster.data), "-m", "fast", "-w", "stop"]
                ),
                check=False,
                capture_output=True,
            )
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":  # `make pg-server`: find (or install) the server programs, or say how
    import sys

    try:
        print(f"PostgreSQL server programs for the team-server tests: {find_or_install()}")
    except ServerUnavailable as err:
        print(err, file=sys.stderr)
        sys.exit(1)
