"""What every Chronology program does to itself first: no core dumps, private files.

A crash with core dumps enabled writes the program's memory to disk, and that memory holds
decrypted case text. So both entry points (the `chronology` command and the desktop app) turn
core dumps off before anything is opened: the core-file size limit goes to zero, and on Linux
the process is also marked not dumpable (which stops a crash handler such as systemd-coredump
from keeping a copy, and other programs of the same user from attaching a debugger). The file
mode mask is set so that every file the program creates, whichever library writes it (SQLite,
Qt's image and PDF writers), is readable by its owner only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys

log = logging.getLogger(__name__)

PRIVATE_UMASK = 0o077
_PR_SET_DUMPABLE = 4  # from <linux/prctl.h>


def harden_process() -> None:
    """Turn core dumps off and make new files private. Safe to call more than once."""
    os.umask(PRIVATE_UMASK)
    if sys.platform == "win32":
        return  # Windows writes no core files unless the user sets up crash dumps
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (OSError, ValueError):
        log.warning("could not turn core dumps off")
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
                log.warning("could not mark the process not dumpable")
