"""Password rules for staff (ASVS 6.2): length, and not a commonly used or breached password.

The list is the 20,000 most common passwords from breach corpora (Royce Williams' list, as
shipped by Django's CommonPasswordValidator, BSD licence), bundled so no lookup leaves the
machine.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

MIN_PASSWORD_LENGTH = 12
# Long passphrases are welcome; the cap only bounds the hashing work per attempt.
MAX_PASSWORD_LENGTH = 256
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt.gz")
# "monkey2024!!" is "monkey" to a guesser: strip a short tail of digits and punctuation.
_SHORT_TAIL = re.compile(r"[\d\W_]{1,6}$")


class PasswordError(ValueError):
    """A password that the rules refuse."""


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


def is_common(password: str) -> bool:
    lowered = password.strip().lower()
    common = common_passwords()
    if lowered in common:
        return True
    base = _SHORT_TAIL.sub("", lowered)
    if len(base) >= 4 and base in common:
        return True
    # "passwordpassword", "qwertyqwerty": one common word repeated.
    for size in range(1, len(lowered) // 2 + 1):
        if len(lowered) % size == 0 and lowered[:size] * (len(lowered) // size) == lowered:
            return size < 4 or lowered[:size] in common
    return False


def check_password_rules(password: str) -> None:
    """Raise PasswordError unless the password may be used. No composition rules (ASVS 6.2.5)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordError(f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer")
    if is_common(password):
        raise PasswordError(
            "That password is too easy to guess because many people use it: choose another"
        )
