"""The published JSON Schema of the case file (chronology_app/core/schema/case-file.schema.json):
a valid draft 2020-12 schema, met by every case file in the repository, refusing what the
validator refuses for its structure, naming the same closed lists of values as the vocabulary,
documented key by key in docs/case-file-format.md, and shipped with the package."""

from __future__ import annotations

import copy
import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from benchmarks.generate import generate_case
from chronology_app.core import casefile
from chronology_app.core.dates import parse_expression
from chronology_app.core.errors import InvalidDate
from chronology_app.core.model import vocabulary
from tests.conftest import ROOT, minimal_case

SCHEMA_PATH = ROOT / "chronology_app" / "core" / "schema" / "case-file.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)
DOC = ROOT / "docs" / "case-file-format.md"
SKIPPED_FOLDERS = {".git", ".venv", "node_modules", "build", "dist", ".demo"}


def schema_errors(document: Any) -> list[str]:
    return sorted(
        "/".join(str(part) for part in error.absolute_path) or "(top)"
        for error in VALIDATOR.iter_errors(document)
    )


def repository_case_files() -> Iterator[Path]:
    """Every JSON file in the repository that says it is a case file."""
    for path in sorted(ROOT.rglob("*.json")):
        if SKIPPED_FOLDERS.intersection(path.relative_to(ROOT).parts):
            continue
        text = path.read_text(encoding="utf-8")
        if '"chronology-case"' in text and path != SCHEMA_PATH:
            yield path


CASE_FILES = list(repository_case_files())


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_repository_holds_the_examples_and_demo_families() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in CASE_FILES}
    assert "tests/fixtures/examples/family-b.json" in names
    assert {"resources/demo/family-a.json", "resources/demo/family-c.json"} <= names


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_case_file_in_the_repository_meets_the_schema(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    assert casefile.validate(document) == []
    assert schema_errors(document) == []


def test_the_tests_minimal_case_and_generated_cases_meet_the_schema() -> None:
    assert schema_errors(minimal_case()) == []
    for seed, size in ((1, 0), (2, 30), (3, 250)):
        assert schema_errors(generate_case(size, seed=seed)) == []


def test_the_new_fields_meet_the_schema() -> None:
    document = minimal_case()
    document["persons"][0]["date_of_death"] = "about 2023-05"
    document["entries"][1]["same_event_as"] = "e1"
    assert schema_errors(document) == []


# (where, value, the JSON path the schema names): structural mistakes both refuse.
REFUSED = [
    ("format", "nonsense", "format"),
    ("version", 2, "version"),
    ("version", True, "version"),
    ("entries", None, "entries"),
    ("case.reference", "  ", "case/reference"),
    ("case.status", "archived", "case/status"),
    ("persons.0.name", 42, "persons/0/name"),
    ("persons.0.id", "", "persons/0/id"),
    ("persons.1.date_of_birth", "02/01/2020", "persons/1/date_of_birth"),
    ("persons.1.date_of_death", "last spring", "persons/1/date_of_death"),
    ("persons.1.sex", "F", "persons/1/sex"),
    ("persons.1.roles", ["mother"], "persons/1/roles/0"),
    ("persons.1.restricted", "yes", "persons/1/restricted"),
    ("relationships.0.persons", ["p1"], "relationships/0/persons"),
    ("relationships.0.kind", "married", "relationships/0/kind"),
    ("entries.1.persons.0.role", "abuser", "entries/1/persons/0/role"),
    ("entries.1.date", "March 2021", "entries/1/date"),
    ("entries.1.date", "2021-13", "entries/1/date"),
    ("entries.1.date", "about 1750", "entries/1/date"),
    ("entries.1.kind", "fight", "entries/1/kind"),
    ("entries.1.summary", "", "entries/1/summary"),
    ("entries.1.source.type", "gossip", "entries/1/source/type"),
    ("entries.1.sequence", "1", "entries/1/sequence"),
    ("entries.1.significance", "huge", "entries/1/significance"),
    ("entries.1.tags", "physical", "entries/1/tags"),
    ("entries.1.attributes", [], "entries/1/attributes"),
    ("entries.1.same_event_as", 2, "entries/1/same_event_as"),
    ("entries.1.same_event_as", " ", "entries/1/same_event_as"),
]


def _with(where: str, value: Any) -> dict[str, Any]:
    document = copy.deepcopy(minimal_case())
    *parents, last = where.split(".")
    target: Any = document
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    return document


@pytest.mark.parametrize(
    ("where", "value", "path"), REFUSED, ids=[f"{r[0]}={r[1]!r}" for r in REFUSED]
)
def test_structural_mistakes_are_refused_by_the_schema_and_the_validator(
    where: str, value: Any, path: str
) -> None:
    document = _with(where, value)
    assert path in schema_errors(document)
    assert casefile.validate(document) != []


def test_unknown_keys_are_allowed_as_the_format_keeps_them() -> None:
    document = minimal_case()
    document["x_authority"] = {"batch": 7}
    document["persons"][0]["x_field"] = [1]
    document["entries"][0]["attributes"] = {"x_unknown": None}
    assert schema_errors(document) == []


READ = [
    "2019-03-12",
    "2019-03-12T14:30",
    "2019-03",
    "2019",
    "about 2019-03",
    "about 2019-03-12",
    "before 2019-03-12",
    "after 2019",
    "2019-03-01/2019-05-31",
    "2019/2020-02",
    "1800",
    "2199-12-31",
]
NOT_THE_FORM = [
    "12/03/2019",
    "March 2019",
    "1799",
    "2200",
    "2019-00",
    "2019-3",
    "2019-03-12T24:00",
    "2019-03-12T14:60",
    "about 2019-03-12T14:30",
    "before 2019/2020",
    " 2019",
    "2019 ",
    "",
]
# The form is right, but only the reader knows the calendar.
NOT_REAL = ["2019-04-31", "2023-02-29", "2020-03/2019"]
DATE_PATTERN = SCHEMA["$defs"]["dateExpression"]["pattern"]


def _readable(text: str) -> bool:
    try:
        parse_expression(text)
    except InvalidDate:
        return False
    return True


@pytest.mark.parametrize(
    ("text", "matches", "readable"),
    [(t, True, True) for t in READ]
    + [(t, False, False) for t in NOT_THE_FORM]
    + [(t, True, False) for t in NOT_REAL],
)
def test_the_date_pattern_is_the_form_the_reader_reads(
    text: str, matches: bool, readable: bool
) -> None:
    """Every text the reader accepts matches the pattern, and no text that fails the pattern is
    read; real days (no 31 April) and forward ranges are the reader's to check."""
    assert (re.search(DATE_PATTERN, text) is not None, _readable(text)) == (matches, readable)


ENUMS = [
    ("case", "status", vocabulary.CASE_STATUSES),
    ("person", "sex", vocabulary.SEXES),
    ("person", "immigration_status", vocabulary.IMMIGRATION_STATUSES),
    ("relationship", "kind", vocabulary.RELATIONSHIP_KINDS),
    ("source", "type", vocabulary.SOURCE_TYPES),
    ("entryPerson", "role", vocabulary.ENTRY_ROLES),
    ("entry", "kind", tuple(vocabulary.ENTRY_KINDS)),
    ("entry", "significance", vocabulary.SIGNIFICANCES),
    ("flagReview", "decision", vocabulary.REVIEW_DECISIONS),
]


@pytest.mark.parametrize(
    ("definition", "key", "words"), ENUMS, ids=[f"{d}.{k}" for d, k, _ in ENUMS]
)
def test_the_closed_lists_are_the_vocabularys(
    definition: str, key: str, words: tuple[str, ...]
) -> None:
    """Add a word to the vocabulary and this fails until the schema has it too."""
    enum = SCHEMA["$defs"][definition]["properties"][key]["enum"]
    assert [word for word in enum if word is not None] == list(words)


def test_person_roles_are_the_vocabularys() -> None:
    roles = SCHEMA["$defs"]["person"]["properties"]["roles"]["items"]["enum"]
    assert roles == list(vocabulary.PERSON_ROLES)


def _keys(definition: dict[str, Any]) -> set[str]:
    return set(definition["properties"])


def test_every_key_of_the_schema_is_in_the_format_reference() -> None:
    documented = set(re.findall(r"^\| `([a-z_]+)`(?:, `([a-z_]+)`)?", DOC.read_text(), re.M))
    named = {key for pair in documented for key in pair if key}
    keys = _keys(SCHEMA).union(*(_keys(d) for d in SCHEMA["$defs"].values() if "properties" in d))
    assert keys - named == set()


def test_the_schema_ships_with_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = project["tool"]["setuptools"]["package-data"]["chronology_app.core"]
    assert "schema/*.json" in data
    assert casefile.SCHEMA_PATH == SCHEMA_PATH
