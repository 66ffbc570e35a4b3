"""Cold start: the import time of each handler module, loaded as Lambda loads it (its folder and
the layer on sys.path, the deployed environment), as the median of fresh processes, beside the
floor `import boto3` measured in the same run."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

from bench.harness import ROOT

RUNS = 9
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


def run(runs: int = RUNS) -> dict:
    from local import cfn

    env = environment()
    targets = {"floor: import boto3": ("import boto3", "/")}
    for spec in cfn.functions(cfn.load_template()):
        module = spec.handler.rsplit(".", 1)[0]
        targets[spec.logical_id] = (f"import {module}", str(spec.code_dir))
    samples: dict[str, list[float]] = {name: [] for name in targets}
    for statement, folder in targets.values():
        measure(statement, folder, env)  # warm the page cache and __pycache__ once
    for _ in range(runs):  # interleaved, so a noisy moment hits every target alike
        for name, (statement, folder) in targets.items():
            samples[name].append(measure(statement, folder, env))
    floor = statistics.median(samples["floor: import boto3"])
    return {
        "runs": runs,
        "python": sys.version.split()[0],
        "modules": {
            name: {
                "median_ms": statistics.median(values),
                "min_ms": min(values),
                "max_ms": max(values),
                "ratio_to_boto3": statistics.median(values) / floor,
                "samples_ms": values,
            }
            for name, values in samples.items()
        },
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
