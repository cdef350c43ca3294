"""`make run` checks the system libraries Qt's xcb platform plugin needs before the app starts
(chronology_app/gui/qt_libs.py): the `ldd` output is read, the packages named, one
`apt-get install` line printed; nothing is printed when all are there."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from chronology_app.gui import qt_libs

ROOT = Path(__file__).resolve().parent.parent

# What `ldd libqxcb.so` printed on a Debian 12 machine without two of the libraries (shortened).
LDD_TWO_MISSING = """\
\tlinux-vdso.so.1 (0x00007f9c09bb8000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f9c09aea000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f9c099ff000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f9c099f7000)
\tlibxcb-keysyms.so.1 => not found
\tlibX11-xcb.so.1 => /lib/x86_64-linux-gnu/libX11-xcb.so.1 (0x00007f9c09967000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f9c09bba000)
"""
LDD_ALL_THERE = LDD_TWO_MISSING.replace("not found", "/lib/x86_64-linux-gnu/libx.so (0x1)")
LDD_NO_CURSOR = "\n".join(
    line for line in LDD_ALL_THERE.splitlines() if "libxcb-cursor" not in line
)


def fake(ldd: str, ldconfig: str = "") -> qt_libs.Run:
    def run(command: Sequence[str]) -> str:
        return ldd if command[0] == "ldd" else ldconfig

    return run


def test_the_libraries_ldd_cannot_find_are_listed_once_each_in_order() -> None:
    assert qt_libs.missing_from_ldd(LDD_TWO_MISSING) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


@pytest.mark.parametrize(
    ("ldd", "ldconfig", "missing"),
    [
        (LDD_TWO_MISSING, "", ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]),
        (LDD_ALL_THERE, "", []),
        (LDD_NO_CURSOR, "\tlibxcb-cursor.so.0 (libc6,x86-64) => /lib/libxcb-cursor.so.0", []),
        (
            LDD_NO_CURSOR,
            "\tlibxcb-util.so.1 (libc6,x86-64) => /lib/libxcb-util.so.1",
            ["libxcb-cursor.so.0"],
        ),
    ],
    ids=["two missing", "all there", "cursor loaded at run time, installed", "cursor missing"],
)
def test_missing_libraries_include_the_cursor_library_qt_6_5_needs(
    ldd: str, ldconfig: str, missing: list[str]
) -> None:
    assert qt_libs.missing_libraries(Path("libqxcb.so"), fake(ldd, ldconfig)) == missing


@pytest.mark.parametrize(
    ("library", "package"),
    [
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
        # not in the table: Debian's naming rule
        ("libxcb-xinerama.so.0", "libxcb-xinerama0"),
        ("libfoo-x11.so.2", "libfoo-x11-2"),
    ],
)
def test_each_library_is_named_by_its_debian_package(library: str, package: str) -> None:
    assert qt_libs.package_for(library) == package


def test_the_advice_is_one_apt_get_line() -> None:
    text = qt_libs.advice(["libxcb-keysyms.so.1", "libxcb-icccm.so.4", "libxcb-cursor.so.0"])
    lines = [line.strip() for line in text.splitlines() if "apt-get" in line]
    assert lines == ["sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"]


def test_make_run_stops_with_the_advice_when_a_library_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(qt_libs.sys, "platform", "linux")
    code = qt_libs.main(fake(LDD_TWO_MISSING), Path("libqxcb.so"))
    err = capsys.readouterr().err
    assert code == 1
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1\n" in err


@pytest.mark.parametrize(
    ("platform", "qpa", "ldd"),
    [
        ("linux", None, LDD_ALL_THERE),
        ("linux", "offscreen", LDD_TWO_MISSING),  # no X11 window wanted
        ("linux", "wayland", LDD_TWO_MISSING),
        ("darwin", None, LDD_TWO_MISSING),
    ],
)
def test_nothing_is_said_and_the_app_starts_otherwise(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    platform: str,
    qpa: str | None,
    ldd: str,
) -> None:
    if qpa is None:
        monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    else:
        monkeypatch.setenv("QT_QPA_PLATFORM", qpa)
    monkeypatch.setattr(qt_libs.sys, "platform", platform)
    assert qt_libs.main(fake(ldd, "libxcb-cursor.so.0"), Path("libqxcb.so")) == 0
    assert capsys.readouterr() == ("", "")


def test_the_plugin_is_found_without_importing_qt() -> None:
    plugin = qt_libs.plugin_path()
    assert plugin is not None and plugin.name == "libqxcb.so"


def test_make_run_checks_before_starting_the_app_and_the_readme_lists_the_packages() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert run.index("chronology_app.gui.qt_libs") < run.index("chronology-app")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for package in ("libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0"):
        assert package in readme
