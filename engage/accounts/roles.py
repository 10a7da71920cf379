"""The role matrix: which roles may open each endpoint, kept in docs/roles.yaml.

Every endpoint in the app must appear there (tests/security/test_role_matrix.py), so a new page
is classified by a person, not by accident. `engage security roles` lists what is missing.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from flask import Flask

from engage.accounts.access import ALWAYS_PUBLIC, is_public_endpoint
from engage.accounts.models import Role

ROLES_FILE = Path(__file__).resolve().parents[2] / "docs" / "roles.yaml"
PUBLIC = "public"
# Shorthand in the YAML for "any signed-in staff role".
STAFF = "staff"
ALL_ROLES = frozenset(role.value for role in Role)


class RoleMatrixError(ValueError):
    """docs/roles.yaml cannot be read or names an unknown role."""


def load(path: Path = ROLES_FILE) -> dict[str, str | frozenset[str]]:
    """Endpoint -> "public" or the set of role values allowed."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    matrix: dict[str, str | frozenset[str]] = {}
    for endpoint, access in raw.items():
        if access == PUBLIC:
            matrix[endpoint] = PUBLIC
            continue
        names = [access] if isinstance(access, str) else list(access or [])
        roles: set[str] = set()
        for name in names:
            if name == STAFF:
                roles |= ALL_ROLES
            elif name in ALL_ROLES:
                roles.add(name)
            else:
                raise RoleMatrixError(f"{path.name}: {endpoint}: unknown role {name!r}")
        if not roles:
            raise RoleMatrixError(f"{path.name}: {endpoint}: give 'public', 'staff' or roles")
        matrix[endpoint] = frozenset(roles)
    return matrix


def endpoints(app: Flask) -> list[str]:
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()} - ALWAYS_PUBLIC)


def declared(app: Flask, endpoint: str) -> str | frozenset[str]:
    """What the view's decorators say: @public, @roles_required(...) or any staff."""
    if is_public_endpoint(app, endpoint):
        return PUBLIC
    roles = getattr(app.view_functions.get(endpoint), "required_roles", None)
    if roles:
        return frozenset(role.value for role in roles)
    return ALL_ROLES


def as_yaml(access: str | frozenset[str]) -> str:
    if access == PUBLIC:
        return PUBLIC
    if access == ALL_ROLES:
        return STAFF
    return "[" + ", ".join(sorted(access)) + "]"


def problems(app: Flask, matrix: dict[str, str | frozenset[str]]) -> tuple[list[str], list[str]]:
    """(endpoints missing from the YAML, YAML entries with no endpoint)."""
    present = set(endpoints(app))
    return sorted(present - matrix.keys()), sorted(matrix.keys() - present)


def suggestions(app: Flask, missing: list[str]) -> str:
    """YAML lines for missing endpoints, from their decorators: review before committing."""
    return "".join(f"{endpoint}: {as_yaml(declared(app, endpoint))}\n" for endpoint in missing)
