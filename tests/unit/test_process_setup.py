"""How a process starts and is reset: configuration checked at a Lambda cold start, every cache
forgotten by one `caches.reset()`, and tracing configured only where something traces."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpdesk import caches, config

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "common"
SOURCES = sorted([*(LAYER / "helpdesk").rglob("*.py"), *(ROOT / "functions").rglob("*.py")], key=str)


@pytest.fixture
def environment(monkeypatch):
    yield monkeypatch
    monkeypatch.undo()
    caches.reset()


@pytest.mark.parametrize(
    "name", ["TABLE_NAME", "QUEUE_URL", "MEDIA_BUCKET", "WHATSAPP_GATEWAY", "PORTAL_URL"]
)
def test_in_lambda_a_missing_required_variable_is_an_error_naming_it(environment, name):
    environment.setenv("AWS_LAMBDA_FUNCTION_NAME", "helpdesk-Processor")
    for each in ("TABLE_NAME", "QUEUE_URL", "MEDIA_BUCKET", "WHATSAPP_GATEWAY", "PORTAL_URL"):
        environment.setenv(each, "set")
    environment.delenv(name)
    with pytest.raises(config.ConfigError, match=name):
        config.Settings.from_env()
    environment.setenv(name, "")  # empty is as missing: a template parameter left blank
    with pytest.raises(config.ConfigError, match=name):
        config.Settings.from_env()


def test_outside_lambda_the_local_defaults_stand(environment):
    environment.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    environment.delenv("TABLE_NAME", raising=False)
    assert config.Settings.from_env().table_name == "helpdesk"


def cold_start(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Imports what every handler imports, in a fresh interpreter, as Lambda would."""
    return subprocess.run(
        [sys.executable, "-c", "import helpdesk.storage.models"],
        cwd=LAYER,
        env={"PATH": os.environ.get("PATH", ""), "AWS_DEFAULT_REGION": "us-east-1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_cold_start_without_the_table_name_fails_at_import_naming_it():
    lambda_env = {
        "AWS_LAMBDA_FUNCTION_NAME": "helpdesk-Processor",
        "QUEUE_URL": "https://sqs.example/q.fifo",
        "MEDIA_BUCKET": "media",
        "WHATSAPP_GATEWAY": "simulator",
        "PORTAL_URL": "https://example.com/portal",
    }
    failed = cold_start(lambda_env)
    assert failed.returncode != 0
    assert "ConfigError" in failed.stderr and "TABLE_NAME" in failed.stderr
    assert cold_start({**lambda_env, "TABLE_NAME": "helpdesk-Table"}).returncode == 0


def test_one_reset_forgets_the_cached_settings(environment):
    environment.setenv("CONVERSATION_TTL_MINUTES", "30")
    caches.reset()
    assert config.settings().conversation_ttl_minutes == 30
    environment.setenv("CONVERSATION_TTL_MINUTES", "45")
    assert config.settings().conversation_ttl_minutes == 30  # cached for the container's life
    caches.reset()
    assert config.settings().conversation_ttl_minutes == 45


def bare_caches(path: Path) -> list[int]:
    """Lines using functools.cache / lru_cache directly (unregistered: `reset()` would miss it)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "functools":
            lines += [node.lineno for alias in node.names if alias.name in ("cache", "lru_cache")]
        elif isinstance(node, ast.Attribute) and node.attr in ("cache", "lru_cache"):
            if isinstance(node.value, ast.Name) and node.value.id == "functools":
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_process_cache_is_registered(path):
    if path == LAYER / "helpdesk" / "caches.py":
        return
    assert not bare_caches(path), f"{path.name}: use helpdesk.caches.cached (or register the cache)"


def test_tracing_is_on_only_where_a_tracer_is_used():
    template = (ROOT / "template.yaml").read_text()
    traced = "Tracing: Active" in template
    handlers = [p.read_text() for p in (ROOT / "functions").glob("*/app.py")]
    assert traced == any("Tracer" in source for source in handlers)


# What a cold start loads: boto3 (with s3transfer) only where a Powertools utility needs it (the
# idempotency store: ERP, notifier); qrcode only when a number is linked; the notifier's concerns
# with their first record (the ERP's HTTP client, the conversation, Transcribe); the admin's route
# modules (with their logic, the table's models and the texts) with the first request for them.
NOTIFIER_CONCERNS = (
    "helpdesk.logic.notifications",
    "helpdesk.logic.erp_outbound",
    "helpdesk.logic.transcription",
    "helpdesk.domain.conversation",
    "requests",
)
UNNEEDED_AT_IMPORT = {
    "notifier": ("qrcode", *NOTIFIER_CONCERNS),
    "webhook": ("boto3", "s3transfer", "qrcode", "helpdesk.domain.menus"),
    "processor": ("boto3", "s3transfer", "qrcode"),
    "admin": (
        "boto3",
        "s3transfer",
        "qrcode",
        "pynamodb",
        "helpdesk.texts",
        *sorted(path.stem for path in (ROOT / "functions" / "admin").glob("*_routes.py")),
    ),
    "portal": ("boto3", "s3transfer", "qrcode"),
    "stats": ("boto3", "s3transfer", "qrcode"),
    # Its idempotency store, which imports boto3, is made at the first event (or before a snapshot).
    "erp": (
        "boto3",
        "s3transfer",
        "qrcode",
        "aws_lambda_powertools.utilities.idempotency.persistence.dynamodb",
    ),
}


@pytest.mark.parametrize("function", sorted(UNNEEDED_AT_IMPORT))
def test_a_handler_import_leaves_out_what_its_cold_path_does_not_use(function):
    probe = (
        f"import sys; sys.path[:0] = [{str(ROOT / 'functions' / function)!r}, {str(LAYER)!r}]; import app; "
        f"print(' '.join(name for name in {UNNEEDED_AT_IMPORT[function]!r} if name in sys.modules))"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_LAMBDA_FUNCTION_NAME": f"helpdesk-{function}",
        "TABLE_NAME": "helpdesk-Table",
        "QUEUE_URL": "https://sqs.example/q.fifo",
        "MEDIA_BUCKET": "media",
        "WHATSAPP_GATEWAY": "simulator",
        "PORTAL_URL": "https://example.com/portal",
        "POWERTOOLS_METRICS_NAMESPACE": "Helpdesk",
    }
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd="/", env=env, capture_output=True, text=True, timeout=60
    )
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert loaded.stdout.split() == []
