"""Engage uses no deprecated API: the suite turns our deprecation warnings into errors, every
form builds without one, and the package metadata is in the form build tools keep."""

from __future__ import annotations

import importlib
import pkgutil
import tomllib
import warnings

import pytest
from flask_wtf import FlaskForm

import engage
from tests.conftest import REPO


def _subclasses(cls) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def _engage_forms() -> list[type]:
    for info in pkgutil.walk_packages(engage.__path__, "engage."):
        importlib.import_module(info.name)
    return sorted(
        (form for form in _subclasses(FlaskForm) if form.__module__.startswith("engage.")),
        key=lambda form: (form.__module__, form.__name__),
    )


def test_a_deprecation_warning_in_our_code_fails_the_test():
    with pytest.raises(DeprecationWarning):
        warnings.warn("an API on its way out", DeprecationWarning, stacklevel=1)


def test_every_form_builds_without_a_deprecation_warning(app):
    forms = _engage_forms()
    assert len(forms) >= 20, [form.__name__ for form in forms]
    with app.test_request_context(), warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        for form in forms:
            form()


def test_the_licence_is_an_spdx_expression():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
