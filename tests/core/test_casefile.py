"""Case files: validation with JSON paths, strict parsing, lossless round trips."""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate_case
from chronology_app.core import casefile
from chronology_app.core.errors import Conflict, InvalidCaseFile, WorkspaceError
from chronology_app.core.store.workspace import raw_execute
from chronology_app.resources import demo_case_files
from tests.conftest import EXAMPLES, minimal_case


def problems(document: Any) -> list[str]:
    return [str(p) for p in casefile.validate(document)]


EXAMPLE_CASES = sorted(p for p in EXAMPLES.glob("*.json") if not p.name.endswith(".expected.json"))


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda p: p.name)
def test_examples_are_valid(path: Path) -> None:
    assert problems(json.loads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", demo_case_files(), ids=lambda p: p.name)
def test_demo_families_are_valid(path: Path) -> None:
    assert problems(json.loads(path.read_text(encoding="utf-8"))) == []


def test_minimal_case_is_valid() -> None:
    assert problems(minimal_case()) == []


def _set(document: dict[str, Any], path: str, value: Any) -> None:
    """Set a value at a dotted path such as 'entries.1.persons.0.person' (None deletes)."""
    *parents, last = path.split(".")
    target: Any = document
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    key: Any = int(last) if last.isdigit() else last
    if value is _DELETE:
        del target[key]
    else:
        target[key] = value


_DELETE = object()

BAD_FILES = [
    ("format", "nonsense", "format: must be one of: chronology-case"),
    ("version", 2, "version: must be one of: 1"),
    ("version", True, "version: must be one of: 1"),
    ("entries", _DELETE, "entries: required"),
    ("case.reference", _DELETE, "case.reference: required"),
    ("case.title", "  ", "case.title: must not be empty"),
    ("case.status", "archived", "case.status: must be one of: open, closed"),
    ("persons.0.name", 42, "persons[0].name: must be text"),
    ("persons.1.date_of_birth", "02/01/2020", 'persons[1].date_of_birth: "02/01/2020" is not'),
    ("persons.1.sex", "F", "persons[1].sex: must be one of: female, male, other, unknown"),
    ("persons.1.restricted", "yes", "persons[1].restricted: must be true or false"),
    ("persons.2.id", "p1", 'persons[2].id: "p1" is already the id of persons[0]'),
    ("relationships.0.persons", ["p1"], "relationships[0].persons: must name exactly two persons"),
    ("relationships.0.persons.1", "p9", 'relationships[0].persons[1]: no person with id "p9"'),
    ("relationships.0.kind", "married", "relationships[0].kind: must be one of: intimate_partner"),
    ("entries.1.persons.0.person", "p9", 'entries[1].persons[0].person: no person with id "p9"'),
    ("entries.1.persons.0.role", "abuser", "entries[1].persons[0].role: must be one of: subject"),
    ("entries.1.date", "2021-02-30", 'entries[1].date: "2021-02-30" is not a real date'),
    ("entries.1.kind", "fight", "entries[1].kind: must be one of: incident, disclosure"),
    ("entries.1.summary", "", "entries[1].summary: must not be empty"),
    ("entries.1.source", _DELETE, "entries[1].source: required"),
    ("entries.1.source.agency", _DELETE, "entries[1].source.agency: required"),
    ("entries.1.source.type", "gossip", "entries[1].source.type: must be one of: observation"),
    ("entries.1.sequence", "1", "entries[1].sequence: must be a whole number"),
    ("entries.1.significance", "huge", "entries[1].significance: must be one of: low, medium"),
    ("entries.1.restricted", True, "entries[1].restricted_reason: required when the entry is"),
    ("entries.1.attributes.police_attended", "yes", "entries[1].attributes.police_attended: must"),
    ("entries.0.relationship", _DELETE, "entries[0].relationship: required for a relationship"),
    ("entries.0.relationship", "r9", 'entries[0].relationship: no relationship with id "r9"'),
    ("entries.1.id", "e1", 'entries[1].id: "e1" is already the id of entries[0]'),
    ("entries.1.tags", "physical", "entries[1].tags: must be a list"),
]


@pytest.mark.parametrize(("path", "value", "expected"), BAD_FILES, ids=[b[2] for b in BAD_FILES])
def test_each_problem_is_reported_with_its_json_path(path: str, value: Any, expected: str) -> None:
    document = minimal_case()
    _set(document, path, value)
    found = problems(document)
    assert any(p.startswith(expected) for p in found), found


def test_every_problem_in_a_file_is_reported_not_just_the_first() -> None:
    document = minimal_case()
    document["entries"][0]["kind"] = "fight"
    document["entries"][1]["persons"][1]["person"] = "p7"
    document["persons"][0]["sex"] = "X"
    found = problems(document)
    assert len(found) == 3, found
    assert found[0].startswith("persons[0].sex")


def test_kind_specific_attribute_values_are_checked_and_unknown_ones_kept() -> None:
    document = minimal_case()
    document["entries"].append(
        {
            "id": "e3",
            "date": "2021-07",
            "kind": "risk_assessment",
            "summary": "DASH completed.",
            "source": {"agency": "IDVA service"},
            "attributes": {"answers": {"1": "yes", "2": "maybe"}, "score": "14", "x_local": [1]},
        }
    )
    assert problems(document) == [
        "entries[2].attributes.answers.2: must be one of: yes, no, unknown",
        "entries[2].attributes.score: must be a whole number",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b'{"format": "chronology-case",', "not valid JSON at line 1"),
        (b'{"a": 1, "a": 2}', 'the key "a" appears twice'),
        (b'{"a": NaN}', "not valid JSON: NaN is not allowed in a case file"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b"[]", "a case file must be a JSON object"),
        (b"null", "a case file must be a JSON object"),
    ],
)
def test_malformed_files_get_one_clear_message(tmp_path: Path, text: bytes, expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(text)
    with pytest.raises(InvalidCaseFile) as caught:
        casefile.read(path)
    assert caught.value.problems[0].startswith(expected)
    assert "bad.json" in str(caught.value)


def test_deeply_nested_json_is_a_clear_error_not_a_crash() -> None:
    with pytest.raises(InvalidCaseFile):
        casefile.parse_json("[" * 100_000 + "]" * 100_000)


def test_round_trip_through_a_workspace_gives_an_equal_document(
    service: Any, family_b: Any
) -> None:
    service.import_case(family_b)
    assert service.document("BD-2020-0193") == family_b


def test_round_trip_keeps_unknown_keys_and_absent_optional_lists(service: Any) -> None:
    document = minimal_case()
    del document["relationships"]
    document["entries"][0]["kind"] = "note"
    del document["entries"][0]["relationship"]
    document["x_authority_extension"] = {"batch": 7}
    document["case"]["x_case_field"] = "kept"
    document["persons"][0]["x_person_field"] = [1, 2]
    document["entries"][1]["attributes"]["x_unknown"] = None
    document["entries"][1]["x_entry_field"] = {"nested": True}
    service.import_case(document)
    exported = service.document("TS-2024-0001")
    assert exported == document
    assert "relationships" not in exported and "flag_reviews" not in exported


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000), size=st.integers(0, 60))
def test_generated_cases_round_trip(service: Any, seed: int, size: int) -> None:
    document = generate_case(size, seed=seed, reference=f"GEN-{seed}-{size}")
    assert problems(document) == []
    with contextlib.suppress(Conflict):  # hypothesis may repeat an example in one workspace
        service.import_case(document)
    assert service.document(document["case"]["reference"]) == document


def test_a_rejected_import_leaves_the_workspace_as_it_was(service: Any, workspace: Any) -> None:
    service.import_case(minimal_case("TS-1"))
    before = [raw_execute(workspace, f"SELECT * FROM {t}") for t in _TABLES]
    bad = minimal_case("TS-2")
    bad["entries"][1]["persons"][0]["person"] = "nobody"
    with pytest.raises(InvalidCaseFile) as caught:
        service.import_case(bad)
    assert caught.value.problems == ['entries[1].persons[0].person: no person with id "nobody"']
    assert [raw_execute(workspace, f"SELECT * FROM {t}") for t in _TABLES] == before


def test_importing_a_reference_already_there_is_refused(service: Any) -> None:
    service.import_case(minimal_case())
    with pytest.raises(Conflict, match="already in this workspace"):
        service.import_case(minimal_case())
    assert len(service.cases()) == 1


_TABLES = ("case_record", "person", "entry", "entry_person", "entry_tag", "audit_record")


def test_write_replaces_atomically_and_keeps_the_old_file_on_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    document = minimal_case()
    casefile.write(document, target)
    assert json.loads(target.read_text(encoding="utf-8")) == document

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("chronology_app.core.casefile.os.fsync", disk_full)
    changed = copy.deepcopy(document)
    changed["case"]["notes"] = "a newer version"
    with pytest.raises(WorkspaceError, match="No space left on device"):
        casefile.write(changed, target)
    assert json.loads(target.read_text(encoding="utf-8")) == document
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_text_is_kept_literally(service: Any) -> None:
    document = minimal_case()
    document["entries"][1]["summary"] = 'He said "<b>leave</b>" & left.\nŁukasz, Ayşe, Дмитрий'
    service.import_case(document)
    assert service.document("TS-2024-0001")["entries"][1]["summary"] == (
        'He said "<b>leave</b>" & left.\nŁukasz, Ayşe, Дмитрий'
    )


# --- regressions from review -------------------------------------------------------------


def test_export_never_writes_over_a_workspace(tmp_path: Path, service: Any, workspace: Any) -> None:
    service.import_case(minimal_case())
    with pytest.raises(WorkspaceError, match="not a case file is already there"):
        casefile.write(service.document("TS-2024-0001"), workspace.path)
    assert not workspace.path.read_bytes().startswith(b"{")


def test_an_interrupted_export_leaves_no_plain_text_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(_fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("chronology_app.core.casefile.os.fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        casefile.write(minimal_case(), tmp_path / "out.json")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b'{"a": ["ok", "\\ud800"]}', "a[1]: text that is not valid Unicode"),
        (b'{"\\udfff": 1}', "a key: text that is not valid Unicode"),
    ],
)
def test_text_that_is_not_unicode_is_refused_with_its_place(text: bytes, expected: str) -> None:
    with pytest.raises(InvalidCaseFile) as caught:
        casefile.parse_json(text)
    assert caught.value.problems[0].startswith(expected)


def test_an_enormous_sequence_and_null_lists_are_refused() -> None:
    document = minimal_case()
    document["entries"][0]["sequence"] = 2**70
    document["relationships"] = None
    found = problems(document)
    assert any(p.startswith("relationships: must be a list") for p in found), found
    document["relationships"] = []
    found = problems(document)
    assert found[0].startswith("entries[0].sequence:"), found


def test_a_workspace_starting_with_a_brace_is_not_taken_for_json() -> None:
    """A workspace begins with SQLCipher's random salt, "{" one time in 256: a check of the
    first byte alone once let an export replace such a workspace and the command line read it
    as a case file."""
    import random

    from chronology_app.core.files import is_bundle, is_case_file, is_json_text

    chance = random.Random(256)
    for _ in range(2_000):
        start = b"{" + chance.randbytes(255)
        assert not (is_json_text(start) or is_case_file(start) or is_bundle(start))
    text = json.dumps(minimal_case(), ensure_ascii=False).replace("Ann", "Łukasz").encode()
    assert is_case_file(text[:64]) and is_case_file(text[:256])
    assert is_case_file(text[: text.index("Ł".encode()) + 1])  # cut inside a character
    assert is_case_file(b'{\n\t"format": "x"\r\n') and not is_bundle(b'{\n\t"format": "x"')
    assert is_bundle(b'{"format": "chronology-bundle", "version": 1}')
    assert not is_case_file(b'{"summary": "a \x07 bell"}')  # JSON allows no control character
