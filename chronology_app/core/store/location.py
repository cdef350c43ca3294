"""Where a workspace lives: an encrypted file (a path) or a team server (a PostgreSQL URL).

Every front end hands the location it was given to `open_workspace`, which picks the store by
its form; nothing else needs to know which it is. The server code is imported only for a URL,
so opening a file costs nothing more than it did.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chronology_app.core.store.server import ServerWorkspace
    from chronology_app.core.store.workspace import Workspace

SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server(location: str | os.PathLike[str]) -> bool:
    """A PostgreSQL URL (`postgresql://host:port/dbname`, or `postgresql:///?service=NAME`)."""
    return isinstance(location, str) and location.lower().startswith(SERVER_SCHEMES)


def open_workspace(
    location: str | os.PathLike[str], passphrase: str, **options: Any
) -> Workspace | ServerWorkspace:
    """The workspace at `location`. For a server, `passphrase` is the database password when
    one is given (otherwise libpq finds it: PGPASSWORD, ~/.pgpass, a certificate...)."""
    if is_server(location):
        from chronology_app.core.store.server import ServerWorkspace

        return ServerWorkspace.open(str(location), password=passphrase or None)
    from chronology_app.core.store.workspace import Workspace

    return Workspace.open(location, passphrase, **options)
