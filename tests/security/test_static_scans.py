"""static_and_dependency_scans: bandit at medium severity and above finds nothing in engage/."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_bandit_finds_no_medium_or_high_issues():
    bandit = shutil.which("bandit") or str(Path(sys.executable).with_name("bandit"))
    if not Path(bandit).exists():
        pytest.skip(reason="bandit is not installed")
    result = subprocess.run(
        [bandit, "-ll", "-r", "engage", "-f", "json", "-q"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    findings = [
        f"{item['filename']}:{item['line_number']} {item['test_id']} {item['issue_text']}"
        for item in report["results"]
    ]
    assert not findings, "\n".join(findings)


def _locked() -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[_canonical(name)] = version
    return pins


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def test_every_dependency_is_locked_and_installed_at_its_locked_version():
    import tomllib
    from importlib import metadata

    from packaging.requirements import Requirement

    pins = _locked()
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    missing = [spec for spec in declared if _canonical(Requirement(spec).name) not in pins]
    assert missing == [], f"not in requirements.lock (run make lock): {missing}"
    drift = {
        dist.metadata["Name"]: (dist.version, pins[_canonical(dist.metadata["Name"])])
        for dist in metadata.distributions()
        if _canonical(dist.metadata["Name"]) in pins
        and dist.version != pins[_canonical(dist.metadata["Name"])]
    }
    assert drift == {}, f"installed vs locked: {drift}"


def test_sbom_lists_every_locked_package_with_its_version():
    sbom = json.loads((REPO / "docs" / "sbom.cdx.json").read_text())
    assert sbom["bomFormat"] == "CycloneDX"
    listed = {(_canonical(c["name"]), c.get("version")) for c in sbom["components"]}
    absent = [f"{n}=={v}" for n, v in _locked().items() if (n, v) not in listed]
    assert absent == [], f"not in docs/sbom.cdx.json (run make sbom): {absent}"


def test_ruff_finds_nothing_and_the_code_is_formatted():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.fail("ruff is not installed (it is in the test extras)")
    for args in (
        ["check", "engage", "tests", "bench"],
        ["format", "--check", "engage", "tests", "bench"],
    ):
        result = subprocess.run(
            [ruff, *args], cwd=REPO, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
