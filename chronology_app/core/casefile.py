"""Case files: read, validate and write the JSON format of docs/case-file-format.md.

A document is kept as the plain JSON value it was read as, so that importing and exporting
gives an equal document: every id, list order and unknown key survives. Validation reports every
problem as `JSON-path: message` and a file with any problem is rejected whole.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from chronology_app.core import validation as v
from chronology_app.core.errors import InvalidCaseFile, WorkspaceError
from chronology_app.core.files import (
    check_replaceable,
    is_case_file,
    wide_encoding,
    write_atomically,
)
from chronology_app.core.model import schemas

log = logging.getLogger(__name__)

Document = dict[str, Any]

# The format's structure as a JSON Schema (draft 2020-12), published for other systems to check
# what they send; this module's `validate` checks all of it and the cross-references besides.
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "case-file.schema.json"

# A case file larger than this is refused before it is read: no real chronology comes near
# it (50 MiB is about 80,000 entries), and reading and importing take about twenty times the
# file's size in memory (a 12.5 MiB file peaks at 270 MB), so this bounds an import to about a
# gigabyte and a hostile file cannot exhaust a laptop's memory.
MAX_FILE_BYTES = 50 * 1024 * 1024


class _DuplicateKey(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a case file")


def parse_json(data: bytes | str, source: str | None = None) -> Any:
    """Parse JSON text strictly: UTF-8, no duplicate keys, no NaN or Infinity."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise InvalidCaseFile(
                [f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB"], source
            )
        wide = wide_encoding(data[:64])
        if wide is not None:
            raise InvalidCaseFile(
                [f"{wide} text: a case file must be UTF-8 (save it again as UTF-8)"], source
            )
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise InvalidCaseFile(
                [f"not UTF-8 text (byte {err.start} cannot be read)"], source
            ) from None
    try:
        value = json.loads(data, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except _DuplicateKey as err:
        raise InvalidCaseFile([f'the key "{err}" appears twice in one object'], source) from None
    except json.JSONDecodeError as err:
        raise InvalidCaseFile(
            [f"not valid JSON at line {err.lineno}, column {err.colno}: {err.msg}"], source
        ) from None
    except (ValueError, RecursionError) as err:
        raise InvalidCaseFile([f"not valid JSON: {err}"], source) from None
    _check_text(value, source)
    return value


def _check_text(value: Any, source: str | None) -> None:
    """JSON escapes can make text that is not Unicode (a lone surrogate such as \\ud800); it
    could be neither stored nor printed, so the file is refused, saying where."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        path = _bad_text_path(value, "")
        raise InvalidCaseFile(
            [f"{path or 'a key'}: text that is not valid Unicode (an unpaired surrogate)"], source
        ) from None


def _bad_text_path(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        here = f"{path}[{key}]" if isinstance(key, int) else (f"{path}.{key}" if path else str(key))
        found = _bad_text_path(item, here)
        if found is not None:
            return found
    return None


def validate(document: object) -> list[v.Problem]:
    """Every problem in a case-file document, in document order. Empty means valid."""
    if not isinstance(document, dict):
        return [v.Problem("", "a case file must be a JSON object")]
    problems = v.check_shape(schemas.CaseFileHeader, document, "")
    if problems:
        return problems
    problems.extend(v.check_case(document["case"]))

    persons = document["persons"]
    for index, person in enumerate(persons):
        problems.extend(v.check_person(person, f"persons[{index}]"))
    problems.extend(v.check_unique_ids(persons, "persons"))
    person_ids = v.ids_of(persons)

    relationships = document.get("relationships") or []
    for index, relationship in enumerate(relationships):
        problems.extend(v.check_relationship(relationship, f"relationships[{index}]", person_ids))
    problems.extend(v.check_unique_ids(relationships, "relationships"))
    relationship_ids = v.ids_of(relationships)

    entries = document["entries"]
    for index, entry in enumerate(entries):
        problems.extend(v.check_entry(entry, f"entries[{index}]", person_ids, relationship_ids))
    problems.extend(v.check_unique_ids(entries, "entries"))
    problems.extend(v.check_same_events(entries))
    entry_ids = v.ids_of(entries)

    for index, review in enumerate(document.get("flag_reviews") or []):
        problems.extend(v.check_flag_review(review, f"flag_reviews[{index}]", entry_ids))
    return problems


def check(document: object, source: str | None = None) -> Document:
    """Return the document if it is valid; otherwise raise InvalidCaseFile with every problem."""
    problems = validate(document)
    if problems:
        raise InvalidCaseFile([str(p) for p in problems], source)
    assert isinstance(document, dict)
    return document


def read(path: str | os.PathLike[str]) -> Document:
    """Read and validate a case file. Raises InvalidCaseFile (problems) or WorkspaceError (I/O)."""
    source = Path(path).name
    try:
        with open(path, "rb") as handle:
            check_size(os.fstat(handle.fileno()).st_size, source)  # before reading it
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise WorkspaceError(f"{path}: cannot read the file ({err.strerror})") from None
    return check(parse_json(data, source), source)


def check_size(size: int, source: str | None, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse a file too large to read safely, before any of it is read."""
    if size > limit:
        raise InvalidCaseFile(
            [
                f"the file is {size / 2**20:.0f} MiB, larger than the {limit // 2**20} MiB "
                "Chronology reads (about 80,000 entries); nothing was read. Split the case, "
                "or check that this is the file you meant"
            ],
            source,
        )


def dumps(document: Document) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _refuse_to_replace_other_files(target: Path, force: bool = True) -> None:
    """An export may replace an earlier case file (when asked), never anything else."""
    check_replaceable(target, same_kind=is_case_file, what="case file", force=force)


def write(document: Document, path: str | os.PathLike[str], *, force: bool = True) -> None:
    """Write a case file atomically: a failure (full disk, no permission, Ctrl+C) leaves any
    earlier file at `path` as it was, and no partial copy. The document is checked first, so
    nothing is written that a workspace could not import again."""
    target = Path(path)
    _refuse_to_replace_other_files(target, force)
    check(document, target.name)
    text = dumps(document).encode("utf-8")
    write_atomically(target, text)
    log.info("wrote a case file of %d bytes", len(text))
