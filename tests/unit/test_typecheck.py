"""mypy (pinned in requirements-dev.txt, settings in pyproject.toml) finds nothing in the layer or
in any function, each function's folder checked as the root it is deployed as."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MYPY = Path(sys.executable).with_name("mypy")


def test_mypy_is_clean():
    result = subprocess.run(
        ["sh", str(ROOT / "scripts" / "typecheck.sh")],
        cwd=ROOT,
        env={**os.environ, "MYPY": str(MYPY)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
