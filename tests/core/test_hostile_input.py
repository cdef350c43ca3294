"""Hostile input wherever data enters: case files, bundles, typed dates, passphrases, settings.

Each property runs briefly here; `make fuzz` runs the same ones for minutes. Whatever comes in
ends in success or a ChronologyError with a message, never a traceback, and a refused import
changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chronology_app.core import bundle, casefile
from chronology_app.core.errors import (
    ChronologyError,
    InvalidCaseFile,
    InvalidDate,
    WorkspaceError,
    WrongPassphrase,
)
from chronology_app.core.service import Service
from chronology_app.core.settings import InvalidSettings, load_settings
from chronology_app.core.store.workspace import Workspace
from tests.conftest import PASSPHRASE, minimal_case
from tests.fuzz import strategies as fz

SHORT = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def fuzz_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One workspace for every example (a fresh one each would spend the time on keys)."""
    workspace = Workspace.create(tmp_path_factory.mktemp("fuzz") / "f.chronology", PASSPHRASE)
    service = Service(workspace, "Fuzz")
    service.import_case(minimal_case("OTHER-1"))  # something for a refusal to leave alone
    yield service
    workspace.close()


@pytest.mark.parametrize("target", sorted(fz.TARGETS))
def test_every_reader_succeeds_or_refuses_clearly(target: str) -> None:
    strategy, check = fz.TARGETS[target]

    @SHORT
    @given(strategy)
    def run(value: Any) -> None:
        assert check(value) in {"valid", "refused", "opened"}

    run()


@SHORT
@given(st.one_of(fz.mutated_case(), fz.json_value))
def test_a_refused_import_changes_nothing(fuzz_service: Service, document: Any) -> None:
    fz.import_document(fuzz_service, document)


# --- case files, one hostile shape at a time ------------------------------------------------


def _import_refused(service: Service, document: Any) -> InvalidCaseFile:
    before = fz.tables_digest(service)
    with pytest.raises(InvalidCaseFile) as caught:
        service.import_case(document)
    assert fz.tables_digest(service) == before
    return caught.value


def test_a_lone_surrogate_is_refused_with_its_path(service: Service) -> None:
    document = minimal_case()
    document["persons"][0]["name"] = "Ann \ud800"
    error = _import_refused(service, document)
    assert error.problems == [
        "persons[0].name: contains text that is not valid Unicode (a lone surrogate such as "
        "\\ud800)"
    ]


def test_nan_and_infinity_are_refused_in_files_and_documents(service: Service) -> None:
    with pytest.raises(InvalidCaseFile, match="NaN is not allowed"):
        casefile.parse_json(b'{"format": NaN}')
    document = minimal_case()
    document["entries"][0]["sequence"] = float("nan")
    _import_refused(service, document)


def test_deep_nesting_is_refused_not_a_crash() -> None:
    with pytest.raises(InvalidCaseFile):
        casefile.parse_json(b"[" * 200_000)


def test_huge_numbers_and_strings_are_refused_or_kept_never_a_crash(service: Service) -> None:
    document = minimal_case()
    document["entries"][1]["sequence"] = 2**70
    fz.import_document(service, document)
    document = minimal_case()
    document["entries"][1]["summary"] = "x" * 2_000_000
    assert fz.import_document(service, document) == "refused"  # over what happened's cap
    document = minimal_case()
    document["persons"][0]["notes"] = "x" * 2_000_000  # a field with no cap: kept
    assert fz.import_document(service, document) == "imported"


def test_bytes_that_are_not_utf8_say_where() -> None:
    with pytest.raises(InvalidCaseFile, match=r"not UTF-8 text \(byte 2 cannot be read\)"):
        casefile.parse_json(b'{"\xff": 1}')


# --- typed dates ------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["", "\x00", "\ud800", "31/02/2019", "² March 2019", "9" * 500])
def test_typed_dates_are_read_or_refused_with_the_text(typed: str) -> None:
    with pytest.raises(InvalidDate):
        fz.parse_practitioner_date(typed)


# --- passphrases ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "passphrase", ["", "nul\x00inside", "bytes \udcff from env", "x" * 100_000]
)
def test_hostile_passphrases_are_one_clear_error(tmp_path: Path, passphrase: str) -> None:
    path = tmp_path / "w.chronology"
    Workspace.create(path, PASSPHRASE).close()
    with pytest.raises(WrongPassphrase) as caught:
        Workspace.open(path, passphrase)
    assert "\n" not in str(caught.value)
    Workspace.open(path, PASSPHRASE).close()


@settings(max_examples=8, deadline=None)
@given(passphrase=st.one_of(fz.text, fz.nasty_text))
def test_any_passphrase_opens_or_is_refused(
    tmp_path_factory: pytest.TempPathFactory, passphrase: str
) -> None:
    path = tmp_path_factory.mktemp("pass") / "w.chronology"
    Workspace.create(path, PASSPHRASE).close()
    try:
        Workspace.open(path, passphrase).close()
    except WorkspaceError as error:
        fz.refused_clearly(error)
    else:
        assert passphrase == PASSPHRASE


def test_a_user_name_that_is_not_text_is_refused(workspace: Workspace) -> None:
    with pytest.raises(ChronologyError):
        Service(workspace, "bytes \udcff from env").import_case(minimal_case())


# --- bundles ----------------------------------------------------------------------------------


def test_a_bundle_asking_for_huge_scrypt_work_is_refused_before_deriving() -> None:
    envelope = fz.sealed_bundle()
    envelope["kdf"]["n"] = 2**30
    with pytest.raises(ChronologyError, match="more memory or work than a bundle may"):
        bundle.open_bundle(envelope, fz.BUNDLE_PASSPHRASE)


def test_a_bundle_with_a_flipped_bit_fails_like_a_wrong_passphrase() -> None:
    envelope = fz.sealed_bundle()
    envelope["kdf"]["r"] = 9  # the header is bound to the ciphertext
    with pytest.raises(WrongPassphrase, match="changed after it was made"):
        bundle.open_bundle(envelope, fz.BUNDLE_PASSPHRASE)


# --- settings files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff\xfe",
        b"[]",
        b'{"edit_reason_after_hours": true}',
        b'{"edit_reason_after_hours": -1}',
        b'{"backups_kept": 1e9}',
        b'{"rules": {"potential-escalation": {"window_days": "30"}}}',
        b'{"as_of": null}',
        b"{" * 100_000,
        b"[" * 100_000,
        json.dumps({"x" * 10: 1}).encode(),
    ],
)
def test_hostile_settings_files_are_refused_with_path_and_message(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    with pytest.raises(InvalidSettings) as caught:
        load_settings(path)
    fz.refused_clearly(caught.value)


def test_an_oversized_settings_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b" " * (2 * 1024 * 1024))
    with pytest.raises(InvalidSettings, match="too large"):
        load_settings(path)
