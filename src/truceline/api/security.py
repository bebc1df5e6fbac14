"""API tokens and secrets: making, parsing, hashing and verifying tokens; refusing weak keys.

A token reads ``tl_<id>.<secret>``: the id is public (it finds the stored hash), the secret
is 32 random bytes shown once. The store keeps ``argon2(HMAC-SHA256(key, secret))``, keyed
with ``TRUCELINE_API_SECRET_KEY`` (a pepper). Pure apart from the argon2 calls.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from truceline.errors import InputError
from truceline.settings import Settings

TOKEN_PREFIX = "tl_"
_TOKEN_RE = re.compile(r"^tl_([0-9a-f]{16})\.([A-Za-z0-9_-]{20,100})$")
WEAK_KEYS = frozenset({"", "changethis", "secret", "changeme", "password", "truceline"})
MIN_KEY_LENGTH = 32
_HASHER = PasswordHasher()


@dataclass(frozen=True)
class NewToken:
    """A freshly made token: the text to hand out once, its id, and the hash to store."""

    text: str
    token_id: str
    secret_hash: str


def make_token(key: str) -> NewToken:
    """A new random token and the hash of its secret under ``key``."""
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return NewToken(f"{TOKEN_PREFIX}{token_id}.{secret}", token_id, hash_secret(secret, key))


def parse_token(text: str) -> tuple[str, str] | None:
    """The (id, secret) of a well-formed token, None for anything else.

    >>> parse_token("tl_0123456789abcdef.abcdefghijklmnopqrstuvwxyz")
    ('0123456789abcdef', 'abcdefghijklmnopqrstuvwxyz')
    >>> parse_token("Bearer nonsense") is None
    True
    """
    match = _TOKEN_RE.match(text)
    return None if match is None else (match.group(1), match.group(2))


def hash_secret(secret: str, key: str) -> str:
    """The argon2 hash (with salt and parameters) of the keyed secret."""
    return _HASHER.hash(_keyed(secret, key))


def verify_secret(secret: str, secret_hash: str, key: str) -> bool:
    """Whether ``secret`` is the one hashed in ``secret_hash`` (argon2, constant time)."""
    try:
        return _HASHER.verify(secret_hash, _keyed(secret, key))
    except (VerificationError, InvalidHashError):
        return False


def token_fingerprint(text: str) -> str:
    """A SHA-256 of the whole token: the key of the verified-token cache (never stored)."""
    return hashlib.sha256(text.encode()).hexdigest()


def check_secrets(settings: Settings) -> None:
    """Refuse default or weak secrets outside development (InputError naming the setting)."""
    if settings.environment not in ("development", "test", "production"):
        raise InputError(
            f"must be development, test or production, got {settings.environment!r}",
            column="TRUCELINE_ENVIRONMENT",
        )
    if settings.environment == "development":
        return
    key = settings.api_secret_key
    if key.strip().lower() in WEAK_KEYS or len(key) < MIN_KEY_LENGTH:
        raise InputError(
            f"a default or weak key is refused in {settings.environment}: set at least "
            f"{MIN_KEY_LENGTH} random characters (e.g. `python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))'`)",
            column="TRUCELINE_API_SECRET_KEY",
        )


def _keyed(secret: str, key: str) -> str:
    return hmac.new(key.encode(), secret.encode(), hashlib.sha256).hexdigest()
