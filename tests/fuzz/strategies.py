"""Hostile inputs (hypothesis strategies) and the properties every input must keep.

The documents are mutations of valid cases (tests/conftest.py `minimal_case()` and the
family-b example in tests/fixtures/examples): wrong types, missing and unknown keys, duplicated
ids, odd Unicode (lone surrogates, bidi controls, NUL, combining marks), huge numbers, NaN, deep
nesting, and bytes that are not JSON or not UTF-8. The property is always the same: the input
is accepted, or it is refused with a ChronologyError that has a message, never anything else;
and a refused import leaves every table as it was.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from chronology_app.core import bundle, casefile
from chronology_app.core.dates import parse_expression, parse_practitioner_date
from chronology_app.core.errors import ChronologyError
from chronology_app.core.model.tables import SQLModel
from chronology_app.core.service import Service
from chronology_app.core.settings import parse_settings
from chronology_app.core.store.rows import SPEC_TOP_LEVEL
from tests.conftest import EXAMPLES, minimal_case

BUNDLE_PASSPHRASE = "fuzzing bundle passphrase"
BUNDLE_COST = 2**10  # cheap scrypt: the fuzz is about parsing, not about the key's strength


def valid_cases() -> list[dict[str, Any]]:
    family_b = json.loads((EXAMPLES / "family-b.json").read_text(encoding="utf-8"))
    return [minimal_case(), family_b]


VALID = valid_cases()

ODD_TEXT = [
    "",
    " ",
    "\x00",
    "\ud800",  # a lone surrogate: not a character, cannot be UTF-8 encoded
    "\udcff",  # what undecodable bytes become in an environment variable
    "\u202eevil\u202c",  # right-to-left override
    "\ufeff",
    "e\u0301",  # combining accent
    "𝔢𝔫𝔱𝔯𝔶",
    "٣",  # an Arabic-Indic digit
    "²",
    "Ⅻ",
    "<script>alert(1)</script>",
    "'; DROP TABLE entry; --",
    "%s%n%x",
    "\r\n\t",
    "2019-02-30",
    "0000-01-01",
    "9999-12-31",
    "2019-03-12T25:61",
    "about about 2019",
    "before after 2019",
    "2019-03-01/2018-01-01",
    "p1",
    "e1",
    "r1",
    "x" * 5000,
]
ODD_NUMBERS = [0, -1, 1, 2**31, 2**63, -(2**63) - 1, 2**64, 10**30, 1.5, -0.0, 1e308]
KEYS = [
    *SPEC_TOP_LEVEL,
    "id",
    "reference",
    "title",
    "name",
    "date",
    "kind",
    "summary",
    "source",
    "agency",
    "persons",
    "person",
    "role",
    "relationship",
    "tags",
    "attributes",
    "restricted",
    "sequence",
    "rule",
    "evidence",
    "decision",
    "same_event_as",
    "date_of_death",
]

text = st.one_of(st.sampled_from(ODD_TEXT), st.text(max_size=40))
# Include surrogates (hypothesis leaves them out of text() by default).
nasty_text = st.text(st.characters(categories=["Cs", "Cc", "Cf", "Mn", "Zl", "Zp"]), max_size=8)
leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(ODD_NUMBERS),
    st.floats(allow_nan=True, allow_infinity=True),
    text,
    nasty_text,
)
json_value = st.recursive(
    leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), text), children, max_size=4),
    ),
    max_leaves=20,
)

# Pieces of dates as practitioners write them, in hostile combinations.
DATE_PIECES = [
    "about",
    "approx.",
    "c.",
    "before",
    "after",
    "between",
    "and",
    "early",
    "mid",
    "late",
    "summer",
    "winter",
    "spring",
    "autumn",
    "w/c",
    "week",
    "of",
    "March",
    "mar",
    "Sept",
    "february",
    "1",
    "12",
    "29",
    "30",
    "31",
    "32",
    "0",
    "00",
    "2019",
    "19",
    "1900",
    "0000",
    "9999",
    "10000",
    "2019-03",
    "2019-02-29",
    "2020-02-29",
    "2019-13-01",
    "T14:30",
    "14:30",
    "2.30pm",
    "am",
    "pm",
    "/",
    "-",
    "–",
    ".",
    ",",
    "12/03/2019",
    "3/4/19",
    "2019-03-01/",
    "/2019-05-31",
    "\u00a0",
    "first",
    "1st",
    "2nd",
    "the",
    "of",
    "ish",
    "?",
]
date_like = st.lists(st.sampled_from(DATE_PIECES), min_size=1, max_size=6).map(" ".join)

Path = tuple[str | int, ...]


def _paths(value: Any, prefix: Path = ()) -> list[Path]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*prefix, index)))
    return found


def _parent(document: Any, path: Path) -> Any:
    for part in path[:-1]:
        document = document[part]
    return document


@st.composite
def mutated_case(draw: st.DrawFn) -> Any:
    """A valid case with one to four hostile changes."""
    document: Any = copy.deepcopy(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(document)
        path = draw(st.sampled_from(paths))
        how = draw(st.sampled_from(["replace", "delete", "add", "duplicate", "deepen", "swap"]))
        if not path:
            if how == "replace":
                document = draw(json_value)
            elif how == "deepen":
                document = [document]
            continue
        parent, last = _parent(document, path), path[-1]
        if how == "replace":
            parent[last] = draw(json_value)
        elif how == "delete":
            del parent[last]
        elif how == "add" and isinstance(parent[last], dict):
            parent[last][draw(st.one_of(st.sampled_from(KEYS), text))] = draw(json_value)
        elif how == "add" and isinstance(parent[last], list):
            parent[last].append(draw(json_value))
        elif how == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))  # e.g. the same id twice
        elif how == "deepen":
            parent[last] = [parent[last]] if draw(st.booleans()) else {"x": parent[last]}
        elif how == "swap":  # a value of the right shape but taken from elsewhere
            other = draw(st.sampled_from(paths))
            if other and other[: len(path)] != path and path[: len(other)] != other:
                parent[last] = copy.deepcopy(_parent(document, other)[other[-1]])
    return document


def _to_bytes(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")


@st.composite
def hostile_bytes(draw: st.DrawFn) -> bytes:
    """Case-file bytes: mutated cases, flipped, cut, spliced, or not JSON at all."""
    kind = draw(st.sampled_from(["document", "damaged", "random", "nesting", "constants"]))
    if kind == "random":
        return draw(st.binary(max_size=300))
    if kind == "nesting":
        depth = draw(st.integers(1, 200_000))
        return b"[" * depth + b"]" * draw(st.integers(0, depth))
    if kind == "constants":
        return draw(st.sampled_from([b"NaN", b'{"a": Infinity}', b"-Infinity", b'{"a":1,"a":2}']))
    data = bytearray(_to_bytes(draw(mutated_case())))
    if kind == "damaged" and data:
        for _ in range(draw(st.integers(1, 5))):
            at = draw(st.integers(0, len(data) - 1))
            how = draw(st.sampled_from(["flip", "cut", "insert"]))
            if how == "flip":
                data[at] ^= 1 << draw(st.integers(0, 7))
            elif how == "cut":
                del data[at:]
                if not data:
                    break
            else:
                data[at:at] = draw(st.binary(min_size=1, max_size=8))
    if draw(st.booleans()):
        data[:0] = b"\xef\xbb\xbf"  # a byte-order mark, as Windows editors write
    return bytes(data)


# --- the properties -------------------------------------------------------------------------


def refused_clearly(error: ChronologyError) -> None:
    """A refusal is a ChronologyError with a message, which can be printed."""
    message = str(error)
    assert message.strip(), "an error without a message"
    message.encode("utf-8", "backslashreplace")


def outcome(read: Callable[[], object], accepted: str = "valid") -> str:
    """Run one reader: "refused" if it refused clearly, else `accepted`. Anything but a
    ChronologyError escapes, and that is the failure the fuzz is looking for."""
    try:
        read()
    except ChronologyError as error:
        refused_clearly(error)
        return "refused"
    return accepted


def read_case_bytes(data: bytes) -> str:
    """The case-file reader: parse and validate."""
    return outcome(lambda: casefile.check(casefile.parse_json(data)))


def tables_digest(service: Service) -> str:
    """Everything in the workspace, as one hash. The audit trail, which only grows (each
    accepted import and its undo add whole case files to it), counts by its length and its
    newest record's hash: reading all of it every time would make a long run ever slower."""
    digest = hashlib.sha256()
    with service.workspace.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            query = (
                "SELECT count(*), max(id), (SELECT hash FROM audit_record ORDER BY id DESC "
                "LIMIT 1) FROM audit_record"
                if table.name == "audit_record"
                else f"SELECT * FROM {table.name} ORDER BY rowid"
            )
            for row in connection.exec_driver_sql(query):
                digest.update(repr(tuple(row)).encode("utf-8", "backslashreplace"))
    return digest.hexdigest()


def import_document(service: Service, document: Any) -> str:
    """Import through the service: a refusal changes nothing; an import gives back an equal
    document (and is undone, so the workspace stays small)."""
    before = tables_digest(service)
    try:
        result = service.import_case(document)
    except ChronologyError as error:
        refused_clearly(error)
        assert tables_digest(service) == before, "a refused import changed the workspace"
        return "refused"
    reference = result.case_reference
    assert reference is not None
    assert service.document(reference) == document, "import and export differ"
    service.undo()
    return "imported"


def sealed_bundle() -> dict[str, Any]:
    return bundle.seal(minimal_case(), BUNDLE_PASSPHRASE, cost=BUNDLE_COST)


SEALED = sealed_bundle()
SMALL_NUMBERS = [0, 1, 2, 3, 8, 16, 1024, 4096, -1, 2**40, True, None, "1024", 1024.0]


@st.composite
def hostile_bundle(draw: st.DrawFn) -> tuple[Any, str]:
    """A sealed bundle with hostile changes, and the passphrase to try."""
    envelope: Any = copy.deepcopy(SEALED)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(envelope)
        path = draw(st.sampled_from(paths))
        if not path:
            envelope = draw(json_value)
            continue
        parent, last = _parent(envelope, path), path[-1]
        how = draw(st.sampled_from(["replace", "number", "delete", "bits"]))
        if how == "replace":
            parent[last] = draw(json_value)
        elif how == "number":
            # Never a large power of two: a valid n would make scrypt slow, not wrong.
            parent[last] = draw(st.sampled_from(SMALL_NUMBERS))
        elif how == "delete":
            del parent[last]
        elif isinstance(parent[last], str) and parent[last]:
            value = parent[last]
            at = draw(st.integers(0, len(value) - 1))
            parent[last] = value[:at] + draw(st.sampled_from("A/+=-_ \n\x00")) + value[at + 1 :]
    passphrase = draw(st.one_of(st.just(BUNDLE_PASSPHRASE), text))
    return envelope, passphrase


# Each target: its strategy, and what to do with one example. The long run uses these names.
TARGETS: dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], str]]] = {
    "case-file bytes": (hostile_bytes(), read_case_bytes),
    "case documents": (mutated_case(), lambda document: outcome(lambda: casefile.check(document))),
    "settings": (
        st.one_of(json_value, mutated_case()),
        lambda value: outcome(lambda: parse_settings(value, "settings.json")),
    ),
    "typed dates": (
        st.one_of(date_like, text, nasty_text),
        lambda typed: outcome(lambda: parse_practitioner_date(typed)),
    ),
    "date expressions": (
        st.one_of(date_like, text, nasty_text),
        lambda expression: outcome(lambda: parse_expression(expression)),
    ),
    "bundles": (
        hostile_bundle(),
        lambda pair: outcome(lambda: bundle.open_bundle(*pair, "case.bundle"), "opened"),
    ),
}
