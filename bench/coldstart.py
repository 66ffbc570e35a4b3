"""Cold start: the import time of each handler module, loaded as Lambda loads it (its folder and
the layer on sys.path, the deployed environment), as the median of fresh processes, beside the
floor `import boto3` measured in the same run; and, for the message path (webhook, processor,
stats), the time from a fresh process to its first handled event: import plus the first
invocation, against a moto server and a gateway stand-in in this process (so nothing the handler
imports on first use is loaded beforehand)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.harness import ROOT

RUNS = 9
# Issue #30: the requester's path (webhook, processor) within 1.3x `import boto3`, the others 1.5x.
GOALS = {"WebhookFunction": 1.3, "ProcessorFunction": 1.3}
OTHER_GOAL = 1.5
# Functions that import a route's modules with its first event, measured again with every route
# loaded: what a first event of each kind adds to the import (the idempotency store imports boto3
# where the first one is made; the ERP's SnapStart snapshot holds it).
_IDEMPOTENCY_STORE = "import helpdesk.storage.idempotency as store; store.preload()"
EVERY_ROUTE = {
    "NotifierFunction": "import helpdesk.logic.notifications, helpdesk.logic.erp_outbound, "
    f"helpdesk.logic.transcription; {_IDEMPOTENCY_STORE}",
    "ErpFunction": _IDEMPOTENCY_STORE,
}


def goal(name: str) -> float:
    return GOALS.get(name, OTHER_GOAL)


PROBE = r"""
import sys, time
sys.path[:0] = [{folder!r}, {layer!r}]
started = time.perf_counter()
{statement}
print(time.perf_counter() - started)
"""


def environment() -> dict[str, str]:
    from local import cfn
    from local.stack import LocalResources, function_environment

    template = cfn.load_template()
    made = LocalResources(
        tables={"Table": "helpdesk-Table"},
        queue_urls={
            "InboundQueue": "https://sqs.us-east-1.amazonaws.com/123456789012/helpdesk-InboundQueue.fifo"
        },
        buckets={"MediaBucket": "helpdesk-mediabucket"},
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_", "PYTHON"))}
    env.update(function_environment(template, made))
    env.update(
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="x",
        AWS_SECRET_ACCESS_KEY="x",
        AWS_LAMBDA_FUNCTION_NAME="bench",
        # Computed by CloudFormation in AWS (an !If over the API's URL); the handlers check it at import.
        PORTAL_URL="https://api.example/portal",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("SECRETS_NAMES", None)
    return env


def measure(statement: str, folder: str, env: dict[str, str]) -> float:
    code = PROBE.format(folder=folder, layer=str(ROOT / "layers" / "common"), statement=statement)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd="/", env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1]) * 1000


LIBRARIES_PROBE = r"""
import json, sys, sysconfig
sys.path[:0] = [{folder!r}, {layer!r}]
{statement}
site = sysconfig.get_paths()["purelib"]
print(json.dumps([n for n, m in list(sys.modules.items()) if (getattr(m, "__file__", None) or "").startswith(site)]))
print(json.dumps("helpdesk.lazy_packages" in sys.modules))
"""


def libraries_statement(statement: str, folder: str, env: dict[str, str]) -> str:
    """A statement importing exactly the installed libraries (pynamodb, Powertools, ...) that
    `statement` loads, in the order it loads them: its import time is the share of a handler's cold
    start that its own code cannot remove."""
    code = LIBRARIES_PROBE.format(folder=folder, layer=str(ROOT / "layers" / "common"), statement=statement)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd="/", env=env, capture_output=True, text=True, check=True
    )
    *_, listed, lazy = out.stdout.strip().splitlines()
    names = json.loads(listed)
    # Packages the handler enters without their __init__ are entered so here too.
    first = "import helpdesk.lazy_packages; " if json.loads(lazy) else ""
    return f"{first}[__import__(name) for name in {names!r}]"


FIRST_EVENT_RUNS = 5
FIRST_EVENT_PROBE = r"""
import json, sys, time
sys.path[:0] = [{folder!r}, {layer!r}]
started = time.perf_counter()
import app
imported = time.perf_counter()


class Context:
    function_name = {name!r}
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:" + {name!r}
    aws_request_id = "bench"

    def get_remaining_time_in_millis(self):
        return 10_000


with open({event!r}) as file:
    event = json.load(file)
result = app.handler(event, Context())
done = time.perf_counter()
print(json.dumps({{"import_ms": (imported - started) * 1000, "first_event_ms": (done - started) * 1000,
                  "result": str(result)[:200]}}))
"""


class _GatewaySink(BaseHTTPRequestHandler):
    """Answers every send like the simulator does (a message id), at once."""

    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("content-length") or 0))
        body = b'{"seq": 1, "id": "bench"}'
        self.send_response(201)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _aws_and_gateway() -> Iterator[dict[str, str]]:
    """A moto server with the template's resources and a gateway sink; the functions' environment."""
    import boto3
    from moto.server import ThreadedMotoServer

    from local import cfn, moto_fixes
    from local.stack import create_resources, free_port, function_environment

    moto_fixes.install()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    sink = ThreadingHTTPServer(("127.0.0.1", 0), _GatewaySink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        session = boto3.session.Session(
            aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1"
        )

        class _Endpoint:  # create_resources takes a session whose clients reach moto
            def client(self, name):
                return session.client(name, endpoint_url=endpoint)

        template = cfn.load_template()
        made = create_resources(template, _Endpoint())
        env = environment()
        env.update(function_environment(template, made))
        env.pop("SECRETS_NAMES", None)
        env.update(
            AWS_ENDPOINT_URL=endpoint,
            WHATSAPP_GATEWAY="simulator",
            SIMULATOR_URL=f"http://127.0.0.1:{sink.server_address[1]}",
            WEBHOOK_TOKEN="bench-webhook-token",
            ERP_HMAC_SECRET="bench",
            PORTAL_SESSION_KEY="bench",
            POWERTOOLS_TRACE_DISABLED="true",
            POWERTOOLS_METRICS_NAMESPACE="Helpdesk",
        )
        yield env
    finally:
        sink.shutdown()
        moto.stop()


def first_event(name: str, n: int) -> dict:
    """The first event a fresh container of `name` handles on the message path."""
    from bench.harness import evolution_text, webhook_event
    from helpdesk.storage.conversations import conversation_key
    from local.testing.whatsapp import text

    phone = f"55319{n:08d}"
    if name == "WebhookFunction":
        return webhook_event(evolution_text(phone, f"COLD{n:06d}", "oi"))
    if name == "ProcessorFunction":
        message = text(phone, "oi", f"COLD{n:06d}")
        body = json.dumps(message.to_dict())
        return {
            "Records": [
                {
                    "messageId": f"m-{n}",
                    "receiptHandle": "r",
                    "body": body,
                    "attributes": {"MessageGroupId": f"suporte#{phone}"},
                    "messageAttributes": {},
                    "md5OfBody": "",
                    "eventSource": "aws:sqs",
                    "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q.fifo",
                    "awsRegion": "us-east-1",
                }
            ]
        }
    pk, sk = conversation_key(phone)
    image = {
        "pk": {"S": pk},
        "sk": {"S": sk},
        "entity": {"S": "conversation"},
        "instance": {"S": "suporte"},
        "outbox_message_id": {"S": f"COLD{n:06d}"},
        "last_activity": {"S": "2026-11-27T10:00:00.000000+0000"},
        "turn_counts": {"M": {"sent": {"N": "2"}, "conversations": {"N": "1"}, "tickets": {"N": "0"}}},
    }
    return {
        "Records": [
            {
                "eventID": f"e{n}",
                "eventName": "INSERT",
                "eventSource": "aws:dynamodb",
                "dynamodb": {
                    "NewImage": image,
                    "SequenceNumber": f"{n:021d}",
                    "StreamViewType": "NEW_AND_OLD_IMAGES",
                },
            }
        ]
    }


FIRST_EVENT_FUNCTIONS = ("WebhookFunction", "ProcessorFunction", "StatsFunction")


def first_events(runs: int = FIRST_EVENT_RUNS) -> dict[str, dict]:
    from local import cfn

    specs = {s.logical_id: s for s in cfn.functions(cfn.load_template())}
    samples: dict[str, list[dict]] = {name: [] for name in FIRST_EVENT_FUNCTIONS}
    with _aws_and_gateway() as env, tempfile.TemporaryDirectory() as tmp:
        for n in range(runs):
            for name in FIRST_EVENT_FUNCTIONS:
                path = Path(tmp) / f"{name}-{n}.json"
                path.write_text(json.dumps(first_event(name, n)))
                code = FIRST_EVENT_PROBE.format(
                    folder=str(specs[name].code_dir),
                    layer=str(ROOT / "layers" / "common"),
                    name=name,
                    event=str(path),
                )
                out = subprocess.run(
                    [sys.executable, "-c", code], cwd="/", env=env, capture_output=True, text=True
                )
                if out.returncode:
                    raise RuntimeError(f"{name} first event failed:\n{out.stderr[-2000:]}")
                samples[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {
        name: {
            "import_ms": statistics.median(s["import_ms"] for s in values),
            "first_event_ms": statistics.median(s["first_event_ms"] for s in values),
            "result": values[0]["result"],
        }
        for name, values in samples.items()
    }


def run(runs: int = RUNS) -> dict:
    from local import cfn

    env = environment()
    targets = {"floor: import boto3": ("import boto3", "/")}
    handlers = []
    for spec in cfn.functions(cfn.load_template()):
        module = spec.handler.rsplit(".", 1)[0]
        targets[spec.logical_id] = (f"import {module}", str(spec.code_dir))
        handlers.append(spec.logical_id)
    for name in handlers:
        statement, folder = targets[name]
        targets[f"{name} libraries"] = (libraries_statement(statement, folder, env), folder)
        if name in EVERY_ROUTE:
            targets[f"{name}, every route"] = (f"{statement}; {EVERY_ROUTE[name]}", folder)
    samples: dict[str, list[float]] = {name: [] for name in targets}
    for statement, folder in targets.values():
        measure(statement, folder, env)  # warm the page cache and __pycache__ once
    for _ in range(runs):  # interleaved, so a noisy moment hits every target alike
        for name, (statement, folder) in targets.items():
            samples[name].append(measure(statement, folder, env))
    floor = statistics.median(samples["floor: import boto3"])

    def figures(values: list[float]) -> dict:
        return {
            "median_ms": statistics.median(values),
            "min_ms": min(values),
            "max_ms": max(values),
            "ratio_to_boto3": statistics.median(values) / floor,
            "samples_ms": values,
        }

    modules = {name: figures(samples[name]) for name in ["floor: import boto3", *handlers]}
    for name in handlers:
        modules[name]["libraries"] = figures(samples[f"{name} libraries"])
        modules[name]["goal"] = goal(name)
        if name in EVERY_ROUTE:
            modules[name]["every_route"] = figures(samples[f"{name}, every route"])
    return {
        "runs": runs,
        "python": sys.version.split()[0],
        "modules": modules,
        "first_event": first_events(),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
