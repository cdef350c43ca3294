# Chronology: the two set-up commands are `make run` and `make test`.
# Both create .venv when it is missing and install the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR := .demo
DEMO_WS := $(DEMO_DIR)/demo.chronology

.PHONY: run test lint typecheck pytest bench package screenshots clean fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Checks first that the system has the libraries Qt's X11 plugin needs; if not, prints the one
# `apt-get install` line that adds them, and stops.
run: $(STAMP)
	@$(BIN)/python -m chronology_app.gui.qt_libs
	@mkdir -p $(DEMO_DIR)
	$(BIN)/chronology-app --demo $(DEMO_WS)

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m chronology_app.gui.screenshots docs/screenshots

lint: $(STAMP)
	$(BIN)/ruff check chronology_app tests benchmarks
	$(BIN)/ruff format --check chronology_app tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -u benchmarks/bench_all.py

# The desktop app as one folder in dist/ (PyInstaller, from a clean venv), then its smoke test.
# Not part of `make test`: it takes minutes.
package:
	PYTHON=$(PYTHON) bash packaging/build.sh

# Hostile input for every reader (case files, bundles, dates, settings, imports) for minutes;
# the test suite runs the same properties briefly. FUZZ_MINUTES=30 make fuzz for longer.
FUZZ_MINUTES ?= 5
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz.run --minutes $(FUZZ_MINUTES)

clean:
	rm -rf $(VENV) $(DEMO_DIR) .mypy_cache .pytest_cache .ruff_cache build *.egg-info

# --- Team-server tests (issue 18) -------------------------------------------------------------
# The tests start a throwaway PostgreSQL server (tests/server/pg_cluster.py). This finds its
# programs (Debian: /usr/lib/postgresql/<version>/bin), installs them as root with apt-get where
# the machine allows it, and otherwise stops with the one command that installs them.
.PHONY: pg-server
pg-server: $(STAMP)
	$(BIN)/python -m tests.server.pg_cluster
pytest: pg-server
