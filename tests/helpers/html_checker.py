"""The Nu Html Checker (vnu-jar from npm, run with the machine's Java): the `vnu` fixture's
command (tests/browser/conftest.py) and reading its report."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def missing(what: str):
    # In CI a missing checker is a failure, never a silent skip.
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; CI must install it")
    pytest.skip(reason=f"{what} is not installed")


def vnu_command() -> list[str]:
    """Java running the checker; skips (fails in CI) when either is missing."""
    java = shutil.which("java")
    if java is None:
        missing("Java (for the Nu Html Checker)")
    if not VNU.exists():
        missing(f"the Nu Html Checker ({VNU}); run `npm ci`")
    return [java, "-Xss8m", "-jar", str(VNU)]


def check_html(vnu: list[str], files: list[Path]) -> list[dict]:
    """Errors reported by the checker for the files, in one run of the JVM."""
    result = subprocess.run(  # noqa: S603 - fixed command, files we wrote
        [*vnu, "--errors-only", "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # The checker writes its report to stderr.
    try:
        report = json.loads(result.stderr or "{}")
    except json.JSONDecodeError:
        pytest.fail(f"the Nu Html Checker did not answer in JSON: {result.stderr[:2000]}")
    return [message for message in report.get("messages", []) if message.get("type") == "error"]


def describe(errors: list[dict], names: dict[str, str]) -> str:
    lines = [f"Nu Html Checker found {len(errors)} error(s):"]
    for error in errors:
        file_name = Path(unquote(urlsplit(error.get("url", "")).path)).name
        where = names.get(file_name, file_name)
        extract = " ".join(error.get("extract", "").split())[:120]
        lines.append(
            f"  {where} line {error.get('lastLine', '?')}: {error['message']}  «{extract}»"
        )
    return "\n".join(lines)
