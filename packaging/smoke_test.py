"""Smoke test of a built bundle: it starts, says its version, and passes its self-test.

    python packaging/smoke_test.py [BUNDLE_FOLDER]     (default: dist/NAME-VERSION)

Standard library only, so any Python 3.11 runs it. The bundle is run from an empty folder with
a throw-away home and no Python variables set, so it can only use what it carries. Checks:

1. `chronology-app --version` prints the version in pyproject.toml;
2. `chronology-app --self-test` (offscreen: demo workspace, main window, conference report
   drawn by PDFium) prints "self-test ok" and exits 0;
3. the files loaded by path are in the bundle (resources, Alembic migrations, PDFium, Qt's
   offscreen platform), and no test package is.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_PACKAGES = {"pytest", "_pytest", "pytestqt", "hypothesis", "mypy", "ruff", "pypdf"}
# glob patterns, relative to the bundle's contents folder, that must each match a file
REQUIRED = (
    "resources/icons/chronology.svg",
    "resources/fonts/DejaVuSans.ttf",
    "resources/default-settings.json",
    "resources/demo/family-*.json",
    "chronology_app/core/store/migrations/env.py",
    "chronology_app/core/store/migrations/script.py.mako",
    "chronology_app/core/store/migrations/versions/0001_*.py",
    "pypdfium2_raw/*pdfium*",
    "PySide6/Qt/plugins/platforms/*qoffscreen*",
)


def project() -> dict[str, object]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return dict(tomllib.loads(text)["project"])


def executable(folder: Path, app: str) -> Path:
    for candidate in (folder / app, folder / f"{app}.exe"):
        if candidate.is_file():
            return candidate
    raise SystemExit(f"no {app} executable in {folder}: build it with `make package`")


def contents(folder: Path) -> Path:
    """Where PyInstaller put everything but the executable (`_internal` since version 6)."""
    internal = folder / "_internal"
    return internal if internal.is_dir() else folder


def size_mb(folder: Path) -> float:
    total = sum(path.lstat().st_size for path in folder.rglob("*") if path.is_file())
    return total / 1e6


def run(command: list[str], home: Path) -> tuple[str, float]:
    """Run in an empty folder, with a throw-away home and no Python settings inherited."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "QT_", "XDG_"))
    }
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(home))
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=home, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    seconds = time.perf_counter() - started
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise SystemExit(f"FAILED: {' '.join(command[1:])} exited {result.returncode}:\n{output}")
    return output, seconds


def main() -> int:
    meta = project()
    app = next(iter(meta["gui-scripts"]))  # type: ignore[call-overload]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", nargs="?", type=Path)
    args = parser.parse_args()
    folder: Path = args.bundle or ROOT / "dist" / f"{meta['name']}-{meta['version']}"
    exe = executable(folder, app)
    inside = contents(folder)

    missing = [pattern for pattern in REQUIRED if not any(inside.glob(pattern))]
    if missing:
        raise SystemExit(f"FAILED: not in the bundle: {', '.join(missing)}")
    tests = sorted({p.name for p in inside.iterdir() if p.name.split("-")[0] in TEST_PACKAGES})
    if tests:
        raise SystemExit(f"FAILED: test packages in the bundle: {', '.join(tests)}")
    print(f"bundle {folder}: {size_mb(folder):.0f} MB, the files loaded by path are all there")

    with tempfile.TemporaryDirectory(prefix="chronology-smoke-") as home:
        output, seconds = run([str(exe), "--version"], Path(home))
        expected = f"{app} {meta['version']}"
        if output != expected:
            raise SystemExit(f"FAILED: --version printed {output!r}, expected {expected!r}")
        print(f"$ {app} --version  ({seconds:.2f} s)\n{output}")
        output, seconds = run([str(exe), "--self-test"], Path(home))
        if output.splitlines()[-1:] != ["self-test ok"]:
            raise SystemExit(f"FAILED: --self-test printed:\n{output}")
        print(f"$ {app} --self-test  ({seconds:.2f} s)\n{output}")
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
