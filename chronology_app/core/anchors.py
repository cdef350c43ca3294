"""Anchors: the newest audit fingerprint of each workspace, kept outside the workspace.

Anyone holding a workspace's passphrase can recompute its hash chain, and anyone at all can put
an older copy of the file in its place. What they cannot reach from the file is what this
computer remembers: for each workspace (by the id stored inside it, not by its path), the newest
audit record seen here and how many records the trail had. On opening, a trail that is shorter
than that, or no longer holds that record, is reported. Reports print the fingerprint in their
footer (`anchor_text`), which puts a copy on paper too.

The anchors live in a small JSON file for the operating-system user (`anchors.json` in the
platform's settings folder, or `CHRONOLOGY_ANCHORS` for tests and scripts), readable by its
owner only and replaced atomically. It holds workspace ids, fingerprints and record counts:
never a name, a reference or any case content.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from chronology_app.core import clock

log = logging.getLogger(__name__)

ANCHORS_ENV = "CHRONOLOGY_ANCHORS"
FILE_NAME = "anchors.json"
FINGERPRINT_LENGTH = 16  # as `audit verify` shows it
_HASH_DIGITS = 64
_MAX_FILE_BYTES = 4 * 2**20  # a settings file, not a database: anything larger is not ours


@dataclass(frozen=True)
class Anchor:
    """The newest audit record of a workspace at some moment: its hash and the trail's length."""

    head: str  # the full SHA-256 hash of the newest record (64 hex digits)
    records: int
    seen_at: str = ""  # when this computer last saw it (ISO 8601, UTC)

    @property
    def fingerprint(self) -> str:
        return self.head[:FINGERPRINT_LENGTH]


def anchor_text(anchor: Anchor) -> str:
    """The line a report prints in its footer, so the printed page anchors the trail too."""
    return f"Audit fingerprint {anchor.fingerprint} (after record {anchor.records})"


def store_path() -> Path:
    """Where this operating-system user's anchors are kept."""
    override = os.environ.get(ANCHORS_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
        return base / "Chronology" / FILE_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Chronology" / FILE_NAME
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "chronology" / FILE_NAME


def _load(path: Path) -> dict[str, dict[str, object]]:
    try:
        if path.stat().st_size > _MAX_FILE_BYTES:
            log.warning("the anchors file is too large to be ours; ignored")
            return {}
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, UnicodeDecodeError):
        log.warning("the anchors file cannot be read; it will be written afresh")
        return {}
    return value if isinstance(value, dict) else {}


def seen(workspace_id: str) -> Anchor | None:
    """The anchor this computer last kept for a workspace, if any (and if it is readable)."""
    item = _load(store_path()).get(workspace_id)
    if not isinstance(item, dict):
        return None
    head, records, when = item.get("head"), item.get("records"), item.get("seen_at", "")
    if (
        not isinstance(head, str)
        or len(head) != _HASH_DIGITS
        or any(c not in "0123456789abcdef" for c in head)
        or not isinstance(records, int)
        or isinstance(records, bool)
        or records < 0
    ):
        return None
    return Anchor(head, records, str(when))


def remember(workspace_id: str, anchor: Anchor) -> None:
    """Keep a workspace's anchor for the next opening. A failure is logged, not raised: the
    work in hand matters more than the anchor."""
    path = store_path()
    anchors = _load(path)
    anchors[workspace_id] = {
        "head": anchor.head,
        "records": anchor.records,
        "seen_at": clock.now_utc().isoformat(timespec="seconds"),
    }
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_atomically(path, json.dumps(anchors, indent=1, sort_keys=True) + "\n")
    except OSError as err:
        log.warning("could not keep the audit anchor (%s)", err.strerror)


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:  # mkstemp makes it 0600
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def problem(workspace_name: str, last: Anchor, records: int, contains_head: bool) -> str | None:
    """What is wrong with a trail of `records` records against the anchor kept here, if
    anything: shorter than when last seen, or no longer holding the newest record seen."""
    if records < last.records:
        return (
            f"The audit trail of {workspace_name} has {records} records, fewer than the "
            f"{last.records} this computer saw on {last.seen_at[:10] or 'an earlier day'}: "
            "records were removed, or the file was replaced by an older copy. Run "
            "chronology audit verify, and restore from a backup if the work is missing."
        )
    if not contains_head:
        return (
            f"The audit trail of {workspace_name} no longer holds record {last.records} "
            f"(fingerprint {last.fingerprint}) that this computer saw on "
            f"{last.seen_at[:10] or 'an earlier day'}: the trail was rewritten or the file "
            "was replaced by another copy. Run chronology audit verify."
        )
    return None
