#!/usr/bin/env bash
# Build the one-folder app bundle in dist/NAME-VERSION/ and smoke-test it (`make package`).
#
# The build environment is made afresh each time (build/package-venv): the project is installed
# into it without its test extras, with a pinned PyInstaller, so the bundle holds exactly the
# pinned run-time dependencies. Needs Python 3.11+ and the network to the package index.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
PYINSTALLER=6.22.3
HOOKS_CONTRIB=2026.9
VENV=build/package-venv
WORK=build/pyinstaller
started=$SECONDS

"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
echo "== clean build environment in $VENV"
rm -rf "$VENV" "$WORK"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet . \
    "pyinstaller==$PYINSTALLER" "pyinstaller-hooks-contrib==$HOOKS_CONTRIB"
"$VENV/bin/python" - <<'PY'
import importlib.util, sys
found = [m for m in ("pytest", "pytestqt", "hypothesis", "pypdf", "mypy", "ruff")
         if importlib.util.find_spec(m)]
sys.exit(f"test packages in the build environment: {found}" if found else None)
PY
prepared=$SECONDS

echo "== PyInstaller $PYINSTALLER"
# Run from the venv's own script (not `python -m`), so the project is taken as installed in the
# venv and never from the source tree in the current folder.
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath dist --workpath "$WORK" packaging/chronology.spec
built=$SECONDS

echo "== smoke test"
"$VENV/bin/python" packaging/smoke_test.py
echo "environment $((prepared - started)) s, PyInstaller $((built - prepared)) s," \
    "smoke test $((SECONDS - built)) s; $((SECONDS - started)) s in all"
