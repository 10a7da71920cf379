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
