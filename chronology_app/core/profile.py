"""Who is working: the user's name and role, kept once per operating-system user.

Both front ends read it: the app shows it and records with it; the command line takes the name
as its default for "recorded by", reviews, sign-offs and a report's "prepared by" (an explicit
`--user` or `CHRONOLOGY_USER` still wins, and on a team server the database's sign-in wins:
see `Service.__init__`). In a file workspace the role is a label, not access control.

The profile is a small JSON file (`profile.json` in the platform's settings folder, beside the
audit anchors; `CHRONOLOGY_PROFILE_DIR` names another folder, so tests and scripts never touch
the real user's), readable by its owner only and replaced atomically. A file that cannot be
read, or holds values that are not usable, is ignored: the login name stands in.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from chronology_app.core.errors import InvalidInput, WorkspaceError
from chronology_app.core.files import write_atomically

log = logging.getLogger(__name__)

PROFILE_ENV = "CHRONOLOGY_PROFILE_DIR"
FILE_NAME = "profile.json"
ROLES = {"practitioner": "Practitioner", "supervisor": "Supervisor"}
MAX_NAME = 100
_MAX_FILE_BYTES = 64 * 1024  # a name and a role: anything larger is not ours


@dataclass(frozen=True)
class Profile:
    name: str
    role: str  # a key of ROLES

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, ROLES["practitioner"])


def folder() -> Path:
    """Where this operating-system user's profile is kept."""
    override = os.environ.get(PROFILE_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
        return base / "Chronology"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Chronology"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "chronology"


def _stored() -> dict[str, object]:
    path = folder() / FILE_NAME
    try:
        if path.stat().st_size > _MAX_FILE_BYTES:
            log.warning("the profile file is too large to be ours; ignored")
            return {}
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, UnicodeDecodeError):
        log.warning("the profile file cannot be read; the login name is used")
        return {}
    return value if isinstance(value, dict) else {}


def clean_name(text: str) -> str:
    """A name as typed, with its spaces tidied."""
    return " ".join(text.split())


def stored_name() -> str | None:
    """The name this user set, if a usable one is kept."""
    name = _stored().get("name")
    if not isinstance(name, str):
        return None
    name = clean_name(name)
    return name if name and len(name) <= MAX_NAME else None


def load_profile() -> Profile:
    """This OS user's profile: their login name and "practitioner" until they set one."""
    role = _stored().get("role", "practitioner")
    return Profile(stored_name() or login_name(), role if role in ROLES else "practitioner")


def profile_is_set() -> bool:
    return stored_name() is not None


def save_profile(profile: Profile) -> None:
    """Keep the profile; a name that is empty or too long, or an unknown role, is refused."""
    name = clean_name(profile.name)
    if not name:
        raise InvalidInput({"name": "Give your name as colleagues know it."})
    if len(name) > MAX_NAME:
        raise InvalidInput({"name": f"Keep the name to {MAX_NAME} characters."})
    if profile.role not in ROLES:
        raise InvalidInput({"role": f"Choose one of: {', '.join(ROLES.values())}."})
    path = folder() / FILE_NAME
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as err:
        raise WorkspaceError(f"Cannot keep your name in {path.parent}: {err.strerror}.") from None
    text = json.dumps({"name": name, "role": profile.role}, indent=1, ensure_ascii=False)
    write_atomically(path, (text + "\n").encode("utf-8"))


def login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown user"
