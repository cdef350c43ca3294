"""Case bundles: a case file sealed with a passphrase, to move a case between workspaces.

A plain case file is readable by anyone who gets hold of it; a bundle is not. It is a small
JSON envelope around the encrypted case file:

    {
      "format": "chronology-bundle",
      "version": 1,
      "kdf": {"name": "scrypt", "n": 262144, "r": 8, "p": 1, "salt": "<base64, 16 bytes>"},
      "cipher": {"name": "AES-256-GCM", "nonce": "<base64, 12 bytes>"},
      "ciphertext": "<base64: the case file's UTF-8 JSON, encrypted, and GCM's 16-byte tag>"
    }

The key is scrypt of the passphrase (Unicode NFC, UTF-8), so the same passphrase typed on
another computer opens it. Everything but the ciphertext is bound to it as associated data: a
changed parameter fails exactly as a wrong passphrase does. Reading is strict, and the scrypt
cost a file may ask for is capped, so a hostile bundle cannot exhaust a laptop's memory. The
case file inside is checked like any other: a bundle never bypasses validation.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import secrets
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from chronology_app.core import casefile
from chronology_app.core.errors import InvalidBundle, WorkspaceError, WrongPassphrase
from chronology_app.core.files import check_replaceable, write_atomically
from chronology_app.core.files import is_bundle as looks_like_bundle
from chronology_app.core.store.engine import check_new_passphrase, check_passphrase

log = logging.getLogger(__name__)

FORMAT = "chronology-bundle"
VERSION = 1
KDF = "scrypt"
CIPHER = "AES-256-GCM"
# What sealing uses: 256 MiB and about half a second on a laptop, as `age` chooses.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**18, 8, 1
# The most a bundle may ask of the reader. scrypt's memory is about 128 * r * (n + p + 2)
# bytes (V, then B and XY); its work is n * r * p. Both are capped a little above what
# sealing uses, so a hostile header can neither exhaust memory (a large r with a small n and
# a large p once drove it to 1.6 GB) nor keep the laptop busy for minutes.
MAX_SCRYPT_MEMORY = 257 * 2**20
MAX_SCRYPT_WORK = 2 * SCRYPT_N * SCRYPT_R * SCRYPT_P
MAX_SCRYPT_P = 4
# A bundle is the case file in base64 (4/3 of its size) inside a small envelope.
MAX_BUNDLE_BYTES = casefile.MAX_FILE_BYTES * 4 // 3 + 64 * 1024
SALT_BYTES, NONCE_BYTES, TAG_BYTES = 16, 12, 16
_KEYS = {"format", "version", "kdf", "cipher", "ciphertext"}


def seal(
    document: casefile.Document, passphrase: str, *, cost: int | None = None
) -> dict[str, Any]:
    """The bundle (as a JSON object) holding `document`, sealed with `passphrase`. `cost` is
    scrypt's n (default SCRYPT_N)."""
    check_new_passphrase(passphrase)
    cost = cost or SCRYPT_N
    salt, nonce = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(NONCE_BYTES)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "kdf": {"name": KDF, "n": cost, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)},
        "cipher": {"name": CIPHER, "nonce": _b64(nonce)},
    }
    key = _derive(passphrase, salt, cost, SCRYPT_R, SCRYPT_P)
    plaintext = casefile.dumps(document).encode("utf-8")
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, _associated(header))
    return {**header, "ciphertext": _b64(ciphertext)}


def write(
    document: casefile.Document,
    path: str | os.PathLike[str],
    passphrase: str,
    *,
    cost: int | None = None,
    force: bool = True,
) -> None:
    """Seal a case into a bundle file, written atomically (nothing plain touches the disk).
    As with a case file, the case is checked first and only an earlier export is replaced."""
    target = Path(path)
    check_replaceable(target, same_kind=looks_like_bundle, what="case bundle", force=force)
    casefile.check(document, target.name)
    data = json.dumps(seal(document, passphrase, cost=cost), indent=2) + "\n"
    write_atomically(target, data.encode("ascii"))
    log.info("wrote a case bundle")


def is_bundle(value: object) -> bool:
    return isinstance(value, dict) and value.get("format") == FORMAT


def open_bundle(value: object, passphrase: str, source: str | None = None) -> casefile.Document:
    """The case file inside a bundle, decrypted and validated. Raises InvalidBundle for a
    damaged envelope, WrongPassphrase when it does not open, InvalidCaseFile for its content."""
    name = source or "the bundle"
    header, salt, nonce, ciphertext = _parse(value, name)
    check_passphrase(passphrase)
    kdf = header["kdf"]
    key = _derive(passphrase, salt, kdf["n"], kdf["r"], kdf["p"])
    try:
        plaintext = AESGCM(key).decrypt(nonce, ciphertext, _associated(header))
    except InvalidTag:
        raise WrongPassphrase(
            f"The passphrase does not open {name}, or the bundle was changed after it was "
            "made. Check the passphrase with whoever sent it."
        ) from None
    return casefile.check(casefile.parse_json(plaintext, source), source)


def read_case(path: str | os.PathLike[str], passphrase: Callable[[], str]) -> casefile.Document:
    """A validated case file from `path`, which may be a plain case file or a bundle (then
    `passphrase()` is asked for the bundle's passphrase)."""
    source = Path(path).name
    try:
        with open(path, "rb") as handle:
            casefile.check_size(os.fstat(handle.fileno()).st_size, source, MAX_BUNDLE_BYTES)
            data = handle.read(MAX_BUNDLE_BYTES + 1)
    except OSError as err:
        raise WorkspaceError(f"{path}: cannot read the file ({err.strerror})") from None
    if looks_like_bundle(data[:256].lstrip(b"\xef\xbb\xbf \t\r\n")):
        # The envelope may be a third larger than the case file inside, which is held to the
        # case file's own limit once decrypted.
        try:
            value = casefile.parse_json(data.decode("utf-8-sig"), source)
        except UnicodeDecodeError:
            raise InvalidBundle(f"{source} is not a usable case bundle: not UTF-8 text.") from None
    else:
        casefile.check_size(len(data), source)
        value = casefile.parse_json(data, source)
    if is_bundle(value):
        return open_bundle(value, passphrase(), source)
    return casefile.check(value, source)


# --- the envelope ---------------------------------------------------------------------------


def _parse(value: object, name: str) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    def broken(why: str) -> InvalidBundle:
        return InvalidBundle(f"{name} is not a usable case bundle: {why}.")

    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise broken('it does not say "format": "chronology-bundle"')
    if set(value) != _KEYS:
        raise broken("it should have exactly the keys " + ", ".join(sorted(_KEYS)))
    if _whole(value["version"]) != VERSION:
        raise broken(f"version {value['version']!r} is not known (this app reads version 1)")
    kdf, cipher = value["kdf"], value["cipher"]
    if not isinstance(kdf, dict) or set(kdf) != {"name", "n", "r", "p", "salt"}:
        raise broken("kdf must be an object with name, n, r, p and salt")
    if kdf["name"] != KDF:
        raise broken(f"the key derivation must be {KDF}")
    n, r, p = _whole(kdf["n"]), _whole(kdf["r"]), _whole(kdf["p"])
    if n is None or r is None or p is None or n < 2 or n & (n - 1) or r < 1 or p < 1:
        raise broken("the scrypt parameters are not valid")
    if (
        scrypt_memory(n, r, p) > MAX_SCRYPT_MEMORY
        or n * r * p > MAX_SCRYPT_WORK
        or p > MAX_SCRYPT_P
    ):
        raise broken("it asks for more memory or work than a bundle may")
    if not isinstance(cipher, dict) or set(cipher) != {"name", "nonce"}:
        raise broken("cipher must be an object with name and nonce")
    if cipher["name"] != CIPHER:
        raise broken(f"the cipher must be {CIPHER}")
    salt = _unb64(kdf["salt"], "the salt", broken)
    nonce = _unb64(cipher["nonce"], "the nonce", broken)
    ciphertext = _unb64(value["ciphertext"], "the ciphertext", broken)
    if not SALT_BYTES <= len(salt) <= 64:
        raise broken(f"the salt must be {SALT_BYTES} to 64 bytes")
    if len(nonce) != NONCE_BYTES:
        raise broken(f"the nonce must be {NONCE_BYTES} bytes")
    if len(ciphertext) < TAG_BYTES:
        raise broken("the ciphertext is too short")
    header = {key: value[key] for key in ("format", "version", "kdf", "cipher")}
    return header, salt, nonce, ciphertext


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _unb64(value: object, what: str, broken: Callable[[str], InvalidBundle]) -> bytes:
    if not isinstance(value, str):
        raise broken(f"{what} must be base64 text")
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise broken(f"{what} is not valid base64") from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _associated(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("ascii")


def scrypt_memory(n: int, r: int, p: int) -> int:
    """About how many bytes scrypt needs: V (128·r·n), B (128·r·p) and XY (256·r)."""
    return 128 * r * (n + p + 2)


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    try:
        return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(secret)
    except MemoryError:
        raise InvalidBundle(
            "This computer does not have the memory the bundle's key needs just now; close "
            "other programs and try again. Nothing was imported."
        ) from None
