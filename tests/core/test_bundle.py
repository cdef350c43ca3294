"""Encrypted case bundles: sealed, opened, refused when wrong or damaged, strict when hostile."""

from __future__ import annotations

import base64
import copy
import json
import tracemalloc
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from chronology_app.core import bundle, casefile
from chronology_app.core.errors import (
    InvalidBundle,
    InvalidCaseFile,
    WorkspaceError,
    WrongPassphrase,
)
from tests.conftest import minimal_case

SECRET = "a passphrase for the receiving team"
CHEAP = 2**10  # a cheap scrypt cost keeps these tests fast; one test checks the real one


def sealed(document: Any = None, passphrase: str = SECRET) -> dict[str, Any]:
    return bundle.seal(document or minimal_case(), passphrase, cost=CHEAP)


def test_a_sealed_case_opens_with_its_passphrase_as_an_equal_document() -> None:
    assert bundle.open_bundle(sealed(), SECRET) == minimal_case()


def test_sealing_uses_strong_parameters_and_fresh_randomness() -> None:
    envelope = bundle.seal(minimal_case(), SECRET)
    assert envelope["kdf"]["name"] == "scrypt"
    assert (envelope["kdf"]["n"], envelope["kdf"]["r"], envelope["kdf"]["p"]) == (2**18, 8, 1)
    assert envelope["cipher"]["name"] == "AES-256-GCM"
    assert len(base64.b64decode(envelope["kdf"]["salt"])) == 16
    assert len(base64.b64decode(envelope["cipher"]["nonce"])) == 12
    again = sealed()
    assert again["kdf"]["salt"] != sealed()["kdf"]["salt"]
    assert bundle.open_bundle(envelope, SECRET) == minimal_case()


def test_nothing_of_the_case_shows_in_a_bundle() -> None:
    text = json.dumps(sealed())
    for secret in ("Ann Test", "Cal", "TS-2024-0001", "Family T", "pushed"):
        assert secret not in text


def test_a_wrong_passphrase_is_one_clear_sentence() -> None:
    with pytest.raises(WrongPassphrase) as caught:
        bundle.open_bundle(sealed(), "not the passphrase", "case.bundle")
    assert str(caught.value) == (
        "The passphrase does not open case.bundle, or the bundle was changed after it was "
        "made. Check the passphrase with whoever sent it."
    )


def test_the_passphrase_is_the_same_however_its_accents_were_typed() -> None:
    composed = "café au lait, twice over"
    envelope = sealed(passphrase=composed)
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert bundle.open_bundle(envelope, decomposed) == minimal_case()


@pytest.mark.parametrize("passphrase", ["short", "", "nul \x00 in the middle of it"])
def test_a_weak_or_impossible_passphrase_cannot_seal(passphrase: str) -> None:
    with pytest.raises(WrongPassphrase):
        bundle.seal(minimal_case(), passphrase, cost=CHEAP)


def flip(value: str) -> str:
    data = bytearray(base64.b64decode(value))
    data[-1] ^= 1
    return base64.b64encode(bytes(data)).decode()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda e: e.update(ciphertext=flip(e["ciphertext"])),
        lambda e: e["kdf"].update(salt=flip(e["kdf"]["salt"])),
        lambda e: e["cipher"].update(nonce=flip(e["cipher"]["nonce"])),
        lambda e: e["kdf"].update(n=2**11),
        lambda e: e["kdf"].update(p=2),
    ],
)
def test_any_change_to_a_bundle_fails_like_a_wrong_passphrase(tamper: Any) -> None:
    envelope = sealed()
    tamper(envelope)
    with pytest.raises(WrongPassphrase, match="changed after it was made"):
        bundle.open_bundle(envelope, SECRET)


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda e: e.pop("kdf"), "exactly the keys cipher, ciphertext, format, kdf, version"),
        (lambda e: e.update(extra=1), "exactly the keys"),
        (lambda e: e.update(version=2), "version 2 is not known"),
        (lambda e: e.update(version=True), "version True is not known"),
        (lambda e: e["kdf"].update(name="pbkdf2"), "key derivation must be scrypt"),
        (lambda e: e["kdf"].update(n=1000), "scrypt parameters are not valid"),
        (lambda e: e["kdf"].update(n="1024"), "scrypt parameters are not valid"),
        (lambda e: e["kdf"].update(r=0), "scrypt parameters are not valid"),
        (lambda e: e["kdf"].update(n=2**20), "more memory or work than a bundle may"),
        (lambda e: e["kdf"].update(p=64), "more memory or work than a bundle may"),
        # a large r with a tiny n once passed the old 128·n·r cap and took 1.6 GB (B = 128·r·p)
        (lambda e: e["kdf"].update(n=2, r=2**20, p=4), "more memory or work than a bundle may"),
        # within memory, but four times the work sealing asks for
        (lambda e: e["kdf"].update(n=2**18, r=8, p=3), "more memory or work than a bundle may"),
        (lambda e: e["cipher"].update(name="AES-128-CBC"), "cipher must be AES-256-GCM"),
        (lambda e: e["cipher"].update(nonce="AAAA"), "nonce must be 12 bytes"),
        (lambda e: e["kdf"].update(salt="AAAA"), "salt must be 16 to 64 bytes"),
        (lambda e: e.update(ciphertext="not base64!"), "ciphertext is not valid base64"),
        (lambda e: e.update(ciphertext="é"), "ciphertext is not valid base64"),
        (lambda e: e.update(ciphertext=42), "ciphertext must be base64 text"),
        (lambda e: e.update(ciphertext=""), "ciphertext is too short"),
        (lambda e: e.update(cipher=[]), "cipher must be an object"),
    ],
)
def test_a_damaged_envelope_says_what_is_wrong(tamper: Any, message: str) -> None:
    envelope = copy.deepcopy(sealed())
    tamper(envelope)
    with pytest.raises(InvalidBundle) as caught:
        bundle.open_bundle(envelope, SECRET, "case.bundle")
    assert str(caught.value).startswith("case.bundle is not a usable case bundle: ")
    assert message in str(caught.value)


def test_the_case_inside_a_bundle_is_validated_like_any_case_file() -> None:
    bad = minimal_case()
    bad["entries"][1]["persons"][1]["person"] = "p9"
    with pytest.raises(InvalidCaseFile, match=r"entries\[1\]\.persons\[1\]\.person: no person"):
        bundle.open_bundle(sealed(bad), SECRET)


def test_write_and_read_a_bundle_file(tmp_path: Path) -> None:
    target = tmp_path / "case.bundle"
    bundle.write(minimal_case(), target, SECRET, cost=CHEAP)
    asked: list[str] = []

    def passphrase() -> str:
        asked.append("bundle")
        return SECRET

    assert bundle.read_case(target, passphrase) == minimal_case()
    assert asked == ["bundle"]
    plain = tmp_path / "case.json"
    casefile.write(minimal_case(), plain)
    assert bundle.read_case(plain, passphrase) == minimal_case()
    assert asked == ["bundle"]  # a plain case file asks for nothing


def test_a_bundle_never_replaces_a_file_that_is_not_an_export(tmp_path: Path) -> None:
    target = tmp_path / "w.chronology"
    target.write_bytes(b"\x8a\x13 encrypted workspace bytes")
    with pytest.raises(WorkspaceError, match="not a case bundle is already there"):
        bundle.write(minimal_case(), target, SECRET, cost=CHEAP)
    assert target.read_bytes() == b"\x8a\x13 encrypted workspace bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["w.chronology"]


def test_an_invalid_case_is_not_sealed(tmp_path: Path) -> None:
    bad = minimal_case()
    del bad["case"]["title"]
    with pytest.raises(InvalidCaseFile):
        bundle.write(bad, tmp_path / "x.bundle", SECRET, cost=CHEAP)
    assert not (tmp_path / "x.bundle").exists()


@pytest.mark.parametrize(
    ("n", "r", "p", "allowed"),
    [
        (2**18, 8, 1, True),  # what sealing uses
        (2**18, 8, 2, True),  # twice the work, the most allowed
        (2**18, 8, 4, False),
        (2**19, 8, 1, False),  # 512 MiB
        (2, 2**20, 4, False),  # B alone would be 512 MiB
        (2**10, 2**12, 1, False),  # 512 MiB through r rather than n
    ],
)
def test_the_scrypt_caps_bound_memory_and_work(n: int, r: int, p: int, allowed: bool) -> None:
    memory = bundle.scrypt_memory(n, r, p)
    within = (
        memory <= bundle.MAX_SCRYPT_MEMORY
        and n * r * p <= bundle.MAX_SCRYPT_WORK
        and p <= bundle.MAX_SCRYPT_P
    )
    assert within == allowed
    assert bundle.MAX_SCRYPT_MEMORY < 300 * 2**20


def test_a_key_derivation_out_of_memory_is_a_clear_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Starved:
        def __init__(self, **_kwargs: object) -> None:
            pass

        def derive(self, _secret: bytes) -> bytes:
            raise MemoryError

    monkeypatch.setattr(bundle, "Scrypt", Starved)
    with pytest.raises(InvalidBundle, match="does not have the memory"):
        bundle.open_bundle(sealed(), SECRET)


@pytest.mark.parametrize("kind", ["case file", "bundle"])
def test_a_file_over_the_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    target = tmp_path / "huge.json"
    with open(target, "wb") as handle:  # sparse: 300 MiB that take no disk space
        handle.write(b'{"format": "chronology-bundle"' if kind == "bundle" else b"{")
        handle.truncate(300 * 2**20)
    tracemalloc.start()
    try:
        with pytest.raises(InvalidCaseFile, match="300 MiB, larger than the"):
            bundle.read_case(target, lambda: SECRET)
        with pytest.raises(InvalidCaseFile, match="300 MiB, larger than the"):
            casefile.read(target)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2**20  # nothing of the file was read into memory
