"""Ed25519 keys of a log: generate, store (private key 0600, outside the log), sign, verify."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from truceline.errors import ConflictError, InputError, NotFoundError


def generate_private_key() -> Ed25519PrivateKey:
    """A fresh Ed25519 key pair."""
    return Ed25519PrivateKey.generate()


def public_key_pem(key: Ed25519PublicKey) -> bytes:
    """The public key as PEM (SubjectPublicKeyInfo), as ``log.pub`` holds it."""
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def write_private_key(key: Ed25519PrivateKey, path: Path) -> None:
    """Write the private key as PKCS#8 PEM, created with mode 0600; never overwrite a key."""
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ConflictError(
            f"{path}: a key file already exists; refusing to overwrite it"
        ) from None
    except FileNotFoundError:
        raise NotFoundError(f"{path.parent}: no such directory for the key file") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Read a private key written by `write_private_key`; refuse one others can read."""
    data = _read_key_file(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise InputError(
            f"the private key is readable by others (mode {mode:04o}); run chmod 600 on it",
            file=str(path),
        )
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"not a PEM private key without passphrase ({exc})", file=str(path)
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError("not an Ed25519 private key", file=str(path))
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Read a PEM Ed25519 public key (a log's ``log.pub`` or a copy kept by a party)."""
    return parse_public_key(_read_key_file(path), str(path))


def parse_public_key(data: bytes, source: str) -> Ed25519PublicKey:
    """Parse PEM bytes into an Ed25519 public key; InputError names ``source``."""
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise InputError(f"not a PEM public key ({exc})", file=source) from None
    if not isinstance(key, Ed25519PublicKey):
        raise InputError("not an Ed25519 public key", file=source)
    return key


def same_public_key(a: Ed25519PublicKey, b: Ed25519PublicKey) -> bool:
    """True when the two keys are the same key."""
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    return a.public_bytes(*raw) == b.public_bytes(*raw)


def sign(key: Ed25519PrivateKey, message: bytes) -> bytes:
    """The Ed25519 signature of ``message`` (64 bytes)."""
    return key.sign(message)


def signature_is_valid(key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    """True when ``signature`` is the key's signature of ``message``."""
    try:
        key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def _read_key_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"{path}: no such key file") from None
    except OSError as exc:
        raise InputError(f"cannot read the key file ({exc.strerror})", file=str(path)) from None
