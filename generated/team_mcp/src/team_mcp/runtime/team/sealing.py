"""Secrets at rest: AES-256-GCM under the deployment's store key, so the store never holds a credential in plaintext.

The key is 32 random bytes, base64url (``<PREFIX>_STORE_KEY``; ``keys generate`` prints one). A sealed value is
``v1.<key id>.<base64url(nonce || ciphertext || tag)>``: a fresh 96-bit nonce per seal, and the row it belongs
to (the account's name) as associated data, so a sealed value copied onto another row does not open. The key id
(the first 8 hex digits of the key's SHA-256) says which key sealed it: during a rotation the old key
(``<PREFIX>_STORE_KEY_OLD``) still opens what it sealed, and ``keys rotate`` reseals everything under the new one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..failures import StoreKeyError

KEY_BYTES = 32
NONCE_BYTES = 12
VERSION = "v1"


def generate() -> str:
    """A new store key, base64url without padding."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).rstrip(b"=").decode("ascii")


def _decode(text: str, name: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != KEY_BYTES:
        raise StoreKeyError(f"{name} is not a store key: use 32 random bytes, base64url (`keys generate` prints one)")
    return raw


def key_id(key: bytes) -> str:
    """The short public name of a key, written beside each value it seals."""
    return hashlib.sha256(key).hexdigest()[:8]


@dataclass(frozen=True)
class Sealer:
    """Seals with the current key; opens with the current or the old one."""

    current: bytes
    old: bytes | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str], prefix: str) -> Sealer:
        """The keys in ``<prefix>_STORE_KEY`` (and ``<prefix>_STORE_KEY_OLD``); ``StoreKeyError`` when unset or bad."""
        name = f"{prefix}_STORE_KEY"
        if not env.get(name):
            raise StoreKeyError(f"{name} is not set: accounts need it (`{prefix.lower()}-mcp keys generate` makes one)")
        old = env.get(f"{name}_OLD")
        return cls(_decode(env[name], name), _decode(old, f"{name}_OLD") if old else None)

    @property
    def current_id(self) -> str:
        """The id of the key new values are sealed with."""
        return key_id(self.current)

    @property
    def held(self) -> tuple[str, ...]:
        """The ids of the keys this sealer opens with: the current one, then the old one."""
        return tuple(key_id(k) for k in (self.current, self.old) if k is not None)

    def seal(self, plain: bytes, row: str) -> str:
        """``plain`` encrypted and bound to ``row``."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.current).encrypt(nonce, plain, row.encode("utf-8"))
        body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
        return f"{VERSION}.{self.current_id}.{body}"

    def open(self, text: str, row: str) -> bytes:
        """The plaintext of a sealed value of ``row``; ``StoreKeyError`` when no key we hold opens it."""
        version, _, rest = text.partition(".")
        kid, _, body = rest.partition(".")
        key = {key_id(k): k for k in (self.current, self.old) if k is not None}.get(kid)
        if version != VERSION or key is None:
            raise StoreKeyError(f"a stored secret of {row!r} was sealed with a key this server does not hold ({kid})")
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], row.encode("utf-8"))
        except (InvalidTag, binascii.Error, ValueError):
            raise StoreKeyError(f"a stored secret of {row!r} does not open with the store key") from None
