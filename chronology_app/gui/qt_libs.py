"""Before the window opens: are the system libraries Qt's X11 (xcb) platform plugin needs there?

    python -m chronology_app.gui.qt_libs        (`make run` runs it before the app)

A fresh Debian or Ubuntu machine often lacks a few of them (libxcb-icccm4 and libxcb-keysyms1 on
a clean install), and Qt then fails with a message that blames another library. This asks `ldd`
what PySide6's `libqxcb.so` links against, adds libxcb-cursor (which Qt 6.5 and later needs and
loads at run time), and when any is missing prints the one `apt-get install` line that fixes it
and exits 1. When nothing is missing it prints nothing and exits 0; so it does off Linux, when
`ldd` or PySide6 cannot be found, or when QT_QPA_PLATFORM names another platform (offscreen,
wayland).

Imports nothing from Qt (loading the plugin is what fails) and nothing from the app.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

# The library Qt 6.5+ needs for the mouse cursor, whether or not the plugin links it directly.
CURSOR_LIBRARY = "libxcb-cursor.so.0"

# Debian and Ubuntu package names of the libraries the xcb plugin links against (PySide6 6.12
# on Debian 12), where the usual naming (libfoo.so.1 -> libfoo1) does not give them.
PACKAGES: dict[str, str] = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libz.so.1": "zlib1g",
    "libpng16.so.16": "libpng16-16",
    "libzstd.so.1": "libzstd1",
    "libexpat.so.1": "libexpat1",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
    "libpcre2-8.so.0": "libpcre2-8-0",
    "libbsd.so.0": "libbsd0",
    "libmd.so.0": "libmd0",
    "libc.so.6": "libc6",
    "libm.so.6": "libc6",
    "libdl.so.2": "libc6",
    "libpthread.so.0": "libc6",
    "libgcc_s.so.1": "libgcc-s1",
    "libstdc++.so.6": "libstdc++6",
}

_LDD_LINE = re.compile(r"^\s*(\S+)\s+=>\s+(not found|\S+)", re.MULTILINE)
_SONAME = re.compile(r"^(lib.+?)\.so\.(\d+)")

Run = Callable[[Sequence[str]], str]


def plugin_path() -> Path | None:
    """PySide6's xcb platform plugin, found without importing PySide6."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if path.is_file():
            return path
    return None


def missing_from_ldd(output: str) -> list[str]:
    """The libraries `ldd` reports as "not found", each once, in its order."""
    missing: list[str] = []
    for name, where in _LDD_LINE.findall(output):
        if where == "not found" and name not in missing:
            missing.append(name)
    return missing


def resolved_by_ldd(output: str) -> set[str]:
    return {name for name, where in _LDD_LINE.findall(output) if where != "not found"}


def package_for(library: str) -> str:
    """The Debian package that holds a library: from the table, else by Debian's naming rule
    (libfoo.so.1 -> libfoo1; libfoo-x11.so.0 -> libfoo-x11-0)."""
    if library in PACKAGES:
        return PACKAGES[library]
    found = _SONAME.match(library)
    if found is None:
        return library
    stem, version = found[1].lower(), found[2]
    return f"{stem}-{version}" if stem[-1].isdigit() else f"{stem}{version}"


def _run(command: Sequence[str]) -> str:
    result = subprocess.run(list(command), capture_output=True, text=True, check=False)
    return result.stdout + result.stderr


def missing_libraries(plugin: Path, run: Run = _run) -> list[str]:
    """Every library the plugin needs that the system cannot load, the cursor library included."""
    output = run(["ldd", str(plugin)])
    missing = missing_from_ldd(output)
    if CURSOR_LIBRARY not in missing and CURSOR_LIBRARY not in resolved_by_ldd(output):
        known = run(["ldconfig", "-p"]) if shutil.which("ldconfig") else ""
        if CURSOR_LIBRARY not in known:
            missing.append(CURSOR_LIBRARY)
    return missing


def advice(missing: Sequence[str]) -> str:
    packages = sorted({package_for(library) for library in missing})
    return (
        "Chronology cannot open its window yet: Qt needs system libraries that are not "
        f"installed ({', '.join(missing)}).\n"
        "Install them with this command, then run `make run` again:\n\n"
        f"    sudo apt-get install {' '.join(packages)}\n"
    )


def _xcb_wanted(environ: dict[str, str] | os._Environ[str]) -> bool:
    platform = environ.get("QT_QPA_PLATFORM", "")
    return not platform or platform.startswith("xcb")


def main(run: Run = _run, plugin: Path | None = None) -> int:
    if not sys.platform.startswith("linux") or not _xcb_wanted(os.environ):
        return 0
    plugin = plugin or plugin_path()
    if plugin is None or shutil.which("ldd") is None:
        return 0
    missing = missing_libraries(plugin, run)
    if not missing:
        return 0
    print(advice(missing), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
