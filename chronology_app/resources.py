"""Where the shipped resources are: `resources/` beside the package, or inside a bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def demo_case_files() -> list[Path]:
    return sorted((resource_dir() / "demo").glob("family-*.json"))
