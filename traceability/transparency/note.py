"""C2SP signed notes, tlog checkpoints and tlog cosignatures, with Ed25519.

Pure functions over text and keys, importable without Django.

* A checkpoint (c2sp.org/tlog-checkpoint) is a note body of three lines: the log's
  origin, the tree size in decimal and the root hash in standard base64.
* A signed note (c2sp.org/signed-note) is the body, a blank line, then signature lines
  ``— <key name> <base64(key hash (4 bytes) || signature)>``. For Ed25519 the key hash is
  the first four bytes of SHA-256(key name || "\\n" || 0x01 || public key) and the
  signature covers the body's bytes. A verifier key is written
  ``<name>+<hex key hash>+<base64(0x01 || public key)>``.
* A witness cosignature (c2sp.org/tlog-cosignature, ``cosignature/v1``) uses algorithm
  byte 0x04 in its key hash; its signature is an 8-byte big-endian UNIX time followed by
  the Ed25519 signature of ``"cosignature/v1\\ntime <time>\\n" + body``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG_ED25519 = 0x01
ALG_COSIGNATURE_V1 = 0x04
SIGNATURE_PREFIX = "\u2014 "  # an em dash and a space


class NoteError(ValueError):
    """A note, checkpoint, key or signature is malformed or does not verify."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root_hash).decode(), *self.extensions]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Signature:
    name: str
    key_hash: bytes
    signature: bytes

    def line(self) -> str:
        return f"{SIGNATURE_PREFIX}{self.name} {base64.b64encode(self.key_hash + self.signature).decode()}\n"


@dataclass(frozen=True)
class Verifier:
    name: str
    algorithm: int
    public_key: Ed25519PublicKey

    @property
    def key_hash(self) -> bytes:
        return key_hash(self.name, self.algorithm, raw_public_key(self.public_key))

    def vkey(self) -> str:
        raw = raw_public_key(self.public_key)
        return f"{self.name}+{self.key_hash.hex()}+{base64.b64encode(bytes([self.algorithm]) + raw).decode()}"


def raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_hash(name: str, algorithm: int, raw_public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([algorithm]) + raw_public).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c.isspace() for c in name) or "+" in name:
        raise NoteError(f"a key name must be non-empty, without spaces or '+': {name!r}")


# --- Keys -------------------------------------------------------------------------------

def load_private_key(text: str | bytes) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM (PKCS#8) or base64 of its 32-byte seed."""
    data = text.encode() if isinstance(text, str) else text
    data = data.strip()
    if data.startswith(b"-----BEGIN"):
        key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise NoteError("the PEM key is not an Ed25519 key")
        return key
    try:
        raw = base64.b64decode(data, validate=True)
    except binascii.Error as error:
        raise NoteError("the key is neither PEM nor base64") from error
    if len(raw) != 32:
        raise NoteError("a base64 Ed25519 private key must decode to 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(raw)


def private_key_text(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def parse_verifier(text: str, *, name: str | None = None, algorithm: int = ALG_ED25519) -> Verifier:
    """A verifier from a vkey (``name+hash+base64``), a PEM public key or base64 raw key.

    A PEM or raw key needs ``name``, the key name the signature line carries.
    """
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise NoteError("the PEM key is not an Ed25519 key")
        if not name:
            raise NoteError("a PEM public key needs the key name")
        return Verifier(name, algorithm, key)
    if text.count("+") >= 2:
        vname, hash_hex, encoded = text.split("+", 2)
        _check_name(vname)
        try:
            raw = base64.b64decode(encoded, validate=True)
            expected_hash = bytes.fromhex(hash_hex)
        except (binascii.Error, ValueError) as error:
            raise NoteError("malformed verifier key") from error
        if len(raw) != 33 or raw[0] not in (ALG_ED25519, ALG_COSIGNATURE_V1):
            raise NoteError("only Ed25519 verifier keys are supported")
        verifier = Verifier(vname, raw[0], Ed25519PublicKey.from_public_bytes(raw[1:]))
        if verifier.key_hash != expected_hash:
            raise NoteError("the verifier key's hash does not match its name and key")
        return verifier
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise NoteError("the public key is neither a vkey, PEM nor base64") from error
    if len(raw) != 32 or not name:
        raise NoteError("a base64 public key must be 32 bytes and needs the key name")
    return Verifier(name, algorithm, Ed25519PublicKey.from_public_bytes(raw))


def verifier_for(key: Ed25519PrivateKey, name: str, *, algorithm: int = ALG_ED25519) -> Verifier:
    _check_name(name)
    return Verifier(name, algorithm, key.public_key())


# --- Notes --------------------------------------------------------------------------------

def split_note(note: str) -> tuple[str, list[Signature]]:
    """(body, signatures) of a signed note; the body keeps its final newline."""
    body, separator, signatures = note.rpartition("\n\n")
    if not separator or not body:
        raise NoteError("a signed note needs a body, a blank line and at least one signature")
    body += "\n"
    lines = signatures.split("\n")
    if lines[-1] != "":
        raise NoteError("a signed note must end with a newline")
    parsed = []
    for line in lines[:-1]:
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError(f"not a signature line: {line[:40]!r}")
        try:
            name, encoded = line[len(SIGNATURE_PREFIX):].split(" ")
            raw = base64.b64decode(encoded, validate=True)
        except (ValueError, binascii.Error) as error:
            raise NoteError("malformed signature line") from error
        if len(raw) < 5:
            raise NoteError("signature too short")
        parsed.append(Signature(name, raw[:4], raw[4:]))
    if not parsed:
        raise NoteError("a signed note needs at least one signature")
    return body, parsed


def sign_note(body: str, key: Ed25519PrivateKey, name: str) -> str:
    _check_name(name)
    if not body.endswith("\n"):
        raise NoteError("a note body must end with a newline")
    raw = raw_public_key(key.public_key())
    signature = Signature(name, key_hash(name, ALG_ED25519, raw), key.sign(body.encode()))
    return body + "\n" + signature.line()


def add_signature_lines(note: str, lines: list[str]) -> str:
    return note + "".join(lines)


def verify_note(note: str, verifier: Verifier) -> str:
    """The body of ``note`` if it carries a valid signature by ``verifier``; NoteError otherwise."""
    body, signatures = split_note(note)
    for signature in signatures:
        if signature.name == verifier.name and signature.key_hash == verifier.key_hash:
            try:
                verifier.public_key.verify(signature.signature, body.encode())
            except InvalidSignature as error:
                raise NoteError(f"the signature by {verifier.name} does not verify") from error
            return body
    raise NoteError(f"the note carries no signature by {verifier.name}")


# --- Cosignatures -------------------------------------------------------------------------

def cosignature_message(body: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + body.encode()


def cosign(body: str, key: Ed25519PrivateKey, name: str, *, timestamp: int) -> str:
    """The signature line a witness adds to a checkpoint note."""
    _check_name(name)
    raw = raw_public_key(key.public_key())
    signature = struct.pack(">Q", timestamp) + key.sign(cosignature_message(body, timestamp))
    return Signature(name, key_hash(name, ALG_COSIGNATURE_V1, raw), signature).line()


def verify_cosignature(note: str, verifier: Verifier) -> int:
    """The time (UNIX seconds) of the witness's valid cosignature on ``note``; NoteError otherwise."""
    body, signatures = split_note(note)
    expected = key_hash(verifier.name, ALG_COSIGNATURE_V1, raw_public_key(verifier.public_key))
    for signature in signatures:
        if signature.name == verifier.name and signature.key_hash == expected:
            if len(signature.signature) != 8 + 64:
                raise NoteError("malformed cosignature")
            (timestamp,) = struct.unpack(">Q", signature.signature[:8])
            try:
                verifier.public_key.verify(signature.signature[8:], cosignature_message(body, timestamp))
            except InvalidSignature as error:
                raise NoteError(f"the cosignature by {verifier.name} does not verify") from error
            return timestamp
    raise NoteError(f"the checkpoint carries no cosignature by {verifier.name}")


# --- Checkpoints --------------------------------------------------------------------------

def parse_checkpoint(body: str) -> Checkpoint:
    lines = body.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("a checkpoint has an origin, a size and a root hash, each on its own line")
    origin, size_text, root_text, *extensions = lines[:-1]
    if not origin:
        raise NoteError("a checkpoint needs an origin")
    if not size_text.isascii() or not size_text.isdigit() or (size_text.startswith("0") and size_text != "0"):
        raise NoteError("the checkpoint's tree size is not a decimal number")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error as error:
        raise NoteError("the checkpoint's root hash is not base64") from error
    if len(root) != 32:
        raise NoteError("the checkpoint's root hash is not 32 bytes")
    return Checkpoint(origin, int(size_text), root, tuple(extensions))


def open_checkpoint(note: str, verifier: Verifier, *, origin: str | None = None) -> Checkpoint:
    """The checkpoint in ``note`` once the log's signature verifies (and the origin matches)."""
    checkpoint = parse_checkpoint(verify_note(note, verifier))
    if origin is not None and checkpoint.origin != origin:
        raise NoteError(f"the checkpoint is for log {checkpoint.origin!r}, not {origin!r}")
    return checkpoint
