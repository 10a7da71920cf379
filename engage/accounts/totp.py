"""Time-based one-time codes (RFC 6238, HMAC-SHA1, 6 digits, 30 s) for the staff second factor.

Written against the standard library so no extra package is needed; checked against the
RFC's own test vectors in tests/security/test_authentication_controls.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from urllib.parse import quote

STEP_SECONDS = 30
DIGITS = 6
# Accept the code from one step either side, for clocks a little out.
WINDOW = 1


def new_secret() -> str:
    """A 160-bit random secret in base32, as authenticator apps expect (RFC 4226 §4)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    """RFC 4226 HOTP value for a counter, zero-padded to `digits`."""
    mac = hmac.new(key, counter.to_bytes(8, "big"), digest).digest()
    offset = mac[-1] & 0x0F
    number = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def time_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def code_at(secret: str, at: float | None = None) -> str:
    return hotp(_key(secret), time_step(at))


def verify(
    secret: str, code: str, last_used_step: int | None, at: float | None = None
) -> int | None:
    """The time step the code belongs to, or None if wrong or already used.

    Codes are single-use (ASVS 6.5.1): a step at or before `last_used_step` is refused, so a
    code seen over someone's shoulder cannot be replayed inside its 30 seconds.
    """
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = _key(secret)
    now = time_step(at)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """otpauth:// URI (Key Uri Format) that many authenticator apps accept pasted in."""
    label = quote(f"{issuer}:{account}")
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}&digits={DIGITS}&period={STEP_SECONDS}"
