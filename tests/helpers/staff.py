"""Staff accounts in tests: the one password every test account has, and signing in."""

from __future__ import annotations

PASSWORD = "correct horse battery staple"  # noqa: S105 - test accounts only


def sign_in(client, email: str, password: str = PASSWORD, **extra):
    """Post the sign-in form (extra fields such as csrf_token go with it)."""
    return client.post("/staff/sign-in", data={"email": email, "password": password, **extra})
