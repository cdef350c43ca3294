"""Packaging: the PyInstaller spec, the desktop metadata and `chronology-app --self-test`.

Building the bundle takes minutes, so `make package` is not part of the test run; these are
the quick checks that keep its inputs right. The spec is run with stand-ins for PyInstaller's
build steps, which record what they are given.
"""

from __future__ import annotations

import configparser
import os
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from chronology_app import __version__

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "chronology.spec"
ICONS = ROOT / "resources" / "icons"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
APP = next(iter(PROJECT["gui-scripts"]))


class Step:
    """Stands in for Analysis, PYZ, EXE, COLLECT and BUNDLE: keeps its arguments."""

    made: list[Step]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs
        # what the spec reads from an Analysis
        self.scripts: list[Any] = []
        self.pure: list[Any] = []
        self.binaries: list[Any] = []
        self.datas: list[Any] = []
        self.made.append(self)


def run_spec(root: Path) -> dict[str, Step]:
    """Run the spec as PyInstaller would for a project at `root`; its steps by kind."""
    made: list[Step] = []
    names = ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")
    steps = {name: type(name, (Step,), {"made": made}) for name in names}
    spec = root / "packaging" / "chronology.spec"
    exec(
        compile(spec.read_text(encoding="utf-8"), str(spec), "exec"),
        {
            "SPECPATH": str(spec.parent),
            "__name__": "__main__",
            **steps,
        },
    )
    return {type(step).__name__: step for step in made}


def test_the_spec_names_the_bundle_from_pyproject() -> None:
    steps = run_spec(ROOT)
    assert steps["EXE"].kwargs["name"] == APP == "chronology-app"
    assert steps["COLLECT"].kwargs["name"] == f"{PROJECT['name']}-{PROJECT['version']}"
    assert PROJECT["version"] == __version__


def test_the_spec_reads_the_version_when_it_changes(tmp_path: Path) -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    line = f'version = "{PROJECT["version"]}"'
    (tmp_path / "pyproject.toml").write_text(text.replace(line, 'version = "9.8.7"'), "utf-8")
    (tmp_path / "packaging").mkdir()
    (tmp_path / "packaging" / "chronology.spec").write_bytes(SPEC.read_bytes())
    for part in ("resources", "chronology_app"):
        (tmp_path / part).symlink_to(ROOT / part)
    assert run_spec(tmp_path)["COLLECT"].kwargs["name"] == f"{PROJECT['name']}-9.8.7"


def test_the_spec_bundles_what_is_loaded_by_path() -> None:
    analysis = run_spec(ROOT)["Analysis"].kwargs
    datas = {
        (Path(source).relative_to(ROOT).as_posix(), target)
        for source, target in analysis["datas"]
        if Path(source).is_relative_to(ROOT)
    }
    migrations = "chronology_app/core/store/migrations"
    assert ("resources", "resources") in datas
    assert (f"{migrations}/env.py", migrations) in datas
    assert (f"{migrations}/script.py.mako", migrations) in datas
    for version in sorted((ROOT / migrations / "versions").glob("*.py")):
        assert (f"{migrations}/versions/{version.name}", f"{migrations}/versions") in datas
    assert any("pdfium" in Path(source).name for source, _ in analysis["binaries"])
    assert {"alembic.op", "alembic.context", "sqlcipher3._sqlite3"} <= set(
        analysis["hiddenimports"]
    )


def test_desktop_file_and_appstream_agree_with_pyproject() -> None:
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str  # type: ignore[assignment,method-assign]
    desktop.read(ROOT / "resources" / "chronology.desktop", encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert entry["Exec"].split()[0] == entry["TryExec"] == APP
    assert (ICONS / f"{entry['Icon']}.svg").is_file()

    component = ET.parse(ROOT / "resources" / "org.chronology.Chronology.metainfo.xml").getroot()
    assert component.findtext("id") == "org.chronology.Chronology"
    assert component.findtext("launchable") == "chronology.desktop"
    assert component.findtext("provides/binary") == APP
    newest = component.find("releases/release")
    assert newest is not None and newest.get("version") == PROJECT["version"]


@pytest.mark.parametrize("size", [16, 32, 48, 64, 128, 256])
def test_icon_png_sizes(size: int) -> None:
    header = (ICONS / f"chronology-{size}.png").read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (size, size)


def test_self_test_from_the_installed_app(tmp_path: Path) -> None:
    app = Path(sys.executable).parent / APP
    if not app.exists():
        pytest.skip(f"{APP} is not installed beside {sys.executable}")
    env = dict(os.environ, HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [str(app), "--self-test"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "self-test ok"), result.stderr


def test_a_failing_self_test_says_why_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from chronology_app.gui import app

    def broken() -> None:
        raise RuntimeError("the conference report is not a readable PDF")

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(app, "self_test", broken)
    assert app.main(["--self-test"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "self-test failed: RuntimeError: the conference report is not a readable PDF\n"
