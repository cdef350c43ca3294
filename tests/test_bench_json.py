"""`make bench` writes its figures to benchmarks/out/latest.json: one key per figure (seconds or
bytes), with the machine and the commit; every key is listed in docs/benchmarks.md. The row
builders are fed the output the five benchmark scripts printed in a --quick run
(tests/fixtures/bench/), so no benchmark runs here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmarks import bench_all
from tests.conftest import ROOT

SAMPLES = ROOT / "tests" / "fixtures" / "bench"


def sample(script: str) -> bench_all.Run:
    text = (SAMPLES / f"{Path(script).stem}.txt").read_text(encoding="utf-8")
    printed, _, peaks = text.rpartition("@peak-rss ")
    own, children = (int(n) for n in peaks.split()[:2])
    return bench_all.Run(
        script, printed, bench_all.peak_mb(own), bench_all.peak_mb(children), seconds=1.0
    )


def rows() -> list[bench_all.Row]:
    runs = {script: sample(script) for script in bench_all.FULL}
    heap = [bench_all.Row("heap", "1 MB", key=key, amount=1_000_000) for key in bench_all.HEAP_KEYS]
    return [
        *bench_all.start_rows(runs["bench_start.py"]),
        *bench_all.casefile_rows(runs["bench_casefile.py"]),
        *bench_all.rules_rows(runs["bench_rules.py"]),
        *bench_all.report_rows(runs["bench_report.py"]),
        *bench_all.gui_rows(runs["bench_gui.py"]),
        *bench_all.import_rows(runs["bench_import.py"]),
        *bench_all.matching_rows(runs["bench_matching.py"]),
        *bench_all.memory_rows(runs),
        *heap,
    ]


@pytest.fixture
def written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    monkeypatch.setattr(bench_all, "OUT", tmp_path)
    path = bench_all.write_json(rows(), bench_all.machine_info(), quick=True)
    assert path == tmp_path / "latest.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_figure_has_its_own_key_in_seconds_or_bytes(written: dict[str, object]) -> None:
    figures = written["figures"]
    assert isinstance(figures, dict)
    shown = [row for row in rows() if row.figure and row.key]
    assert len(figures) == len([row for row in rows() if row.key])
    assert len(shown) == len([row for row in rows() if row.figure])  # no table row without a key
    for key, value in figures.items():
        assert key.endswith(("_s", "_bytes")), key
        assert isinstance(value, int | float) and value >= 0, key


def test_the_start_up_figures_are_there(written: dict[str, object]) -> None:
    figures = written["figures"]
    assert isinstance(figures, dict)
    for key in (
        "bare_python_s",
        "bare_qt_window_s",
        "cli_version_s",
        "cli_flags_small_s",
        "gui_start_welcome_s",
        "gui_key_derivation_s",
        "gui_start_passphrase_to_case_s",
        "gui_entry_edit_shown_s",
    ):
        assert figures[key] > 0


def test_the_machine_and_the_commit_are_recorded(written: dict[str, object]) -> None:
    assert written["format"] == "chronology-bench" and written["quick"] is True
    assert re.fullmatch(r"[0-9a-f]{40}", str(written["commit"]))
    for key in ("cpu", "cores", "memory_bytes", "platform", "python", "libraries", "run_at"):
        assert written[key], key


def test_docs_benchmarks_lists_every_key() -> None:
    documented = set(
        re.findall(r"`([a-z0-9_]+_(?:s|bytes))`", (ROOT / "docs" / "benchmarks.md").read_text())
    )
    keys = {row.key for row in rows() if row.key}
    assert keys - documented == set()
