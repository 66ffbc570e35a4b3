"""The deployment artefacts: the template passes SAM's validation with cfn-lint, and builds."""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path

import pytest

from local import cfn

ROOT = Path(__file__).resolve().parents[2]
SAM = ROOT / ".venv-sam" / "bin" / "sam"

pytestmark = [pytest.mark.sam, pytest.mark.xdist_group("sam")]


def run_sam(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    if not SAM.exists():
        pytest.fail("SAM CLI missing: `make test` installs it in .venv-sam")
    python = subprocess.run(
        [ROOT / "scripts" / "find-python.sh", "3.12"], capture_output=True, text=True, check=True
    ).stdout.strip()
    env = {
        **os.environ,
        "SAM_CLI_TELEMETRY": "0",
        "PATH": f"{Path(python).parent}{os.pathsep}{os.environ['PATH']}",
        "AWS_DEFAULT_REGION": "us-east-1",
        "HOME": str(tmp_path),
    }
    return subprocess.run([str(SAM), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_template_is_valid_and_lint_clean(tmp_path):
    result = run_sam("validate", "--lint", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is a valid SAM Template" in result.stdout + result.stderr


def test_sam_build_packages_every_function_and_the_layer(tmp_path):
    build_dir = tmp_path / "build"
    result = run_sam("build", "--build-dir", str(build_dir), tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    for spec in cfn.functions(cfn.load_template()):
        assert (build_dir / spec.logical_id / "app.py").is_file()
    # The pages travel with the functions that serve them.
    assert (build_dir / "AdminFunction" / "static" / "assets" / "app.js").is_file()
    assert (build_dir / "PortalFunction" / "static" / "portal.js").is_file()
    layer = build_dir / "CommonLayer" / "python"
    # The dialog is a package: its flow modules travel with its entrance.
    assert (layer / "helpdesk" / "domain" / "dialog" / "__init__.py").is_file()
    assert (layer / "helpdesk" / "domain" / "dialog" / "new_ticket.py").is_file()
    assert (layer / "pynamodb").is_dir() and (layer / "aws_lambda_powertools").is_dir()
    # boto3 travels with the botocore it was released with, never the runtime's over ours.
    assert (layer / "boto3").is_dir() and (layer / "botocore").is_dir() and (layer / "s3transfer").is_dir()
    size = sum(f.stat().st_size for f in layer.rglob("*") if f.is_file())
    print(f"layer: {size / 2**20:.1f} MiB unzipped")  # Lambda's limit: 250 MiB with the function
    assert size < 150 * 2**20
    # Lambda mounts the layer read-only: without its bytecode every cold start compiles what it
    # imports. Every module ships compiled for 3.12, used without comparing source mtimes (which
    # the zip does not keep exactly).
    sources = sorted(layer.rglob("*.py"))
    assert len(sources) > 500
    for source in sources:
        compiled = source.parent / "__pycache__" / f"{source.stem}.cpython-312.pyc"
        assert compiled.is_file(), f"{source.relative_to(layer)} ships without its bytecode"
        header = compiled.read_bytes()[:8]
        assert header[:4] == importlib.util.MAGIC_NUMBER
        assert int.from_bytes(header[4:8], "little") == 0b01, "bytecode checked against the source's mtime"
    assert not (layer / "bin").exists()
