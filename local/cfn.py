"""Reads template.yaml so the local stack builds exactly what SAM deploys."""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
STACK_NAME = "helpdesk"  # the local stack's name: its resources' prefix, AWS::StackName


class _CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short-form tags (!Ref, !GetAtt, !Sub ...) as their long forms."""


def _tag(loader: yaml.Loader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _tag)


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    """The template as data: parsed once per process while the file is unchanged (parsing costs
    ~50 ms, and the tests ask for it in every fixture that loads a function); a copy each call,
    the caller's to change."""
    return copy.deepcopy(_parsed(path, path.stat().st_mtime_ns))


@functools.cache
def _parsed(path: Path, modified_ns: int) -> dict[str, Any]:
    return yaml.load(path.read_text(), Loader=_CfnLoader)


@dataclass(frozen=True)
class HttpRoute:
    method: str  # upper case, or ANY
    path: str  # API Gateway path, e.g. /admin/{proxy+}
    authorized: bool  # behind the API's default (JWT) authorizer
    pattern: re.Pattern = field(compare=False, hash=False)

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if self.method not in ("ANY", method):
            return None
        found = self.pattern.fullmatch(path)
        return found.groupdict() if found else None


def route_pattern(path: str) -> re.Pattern:
    regex = ""
    for part in re.split(r"(\{[^}]+\})", path):
        if part.startswith("{") and part.endswith("+}"):
            regex += f"(?P<{part[1:-2]}>.+)"
        elif part.startswith("{"):
            regex += f"(?P<{part[1:-1]}>[^/]+)"
        else:
            regex += re.escape(part)
    return re.compile(regex)


@dataclass(frozen=True)
class StreamSource:
    """A DynamoDB stream event source of a function, with its filters and failure handling."""

    name: str
    table: str  # logical id of the table
    filters: list[dict[str, Any]]
    retries: int
    on_failure: str | None  # logical id of the on-failure SQS queue or S3 bucket
    batch_size: int = 100


@dataclass(frozen=True)
class EventRule:
    """An EventBridge rule invoking a function (asynchronously, as EventBridge does)."""

    name: str
    pattern: dict[str, Any]


@dataclass
class FunctionSpec:
    logical_id: str
    code_dir: Path
    handler: str
    timeout: int
    memory: int
    routes: list[HttpRoute] = field(default_factory=list)
    queue: str | None = None  # logical id of the SQS queue it consumes
    batch_size: int = 10  # of the SQS event source
    # Batches of the SQS source in flight at once: ScalingConfig.MaximumConcurrency, else the
    # function's reserved concurrency, else the 5 pollers an SQS event source mapping starts with.
    concurrency: int = 5
    streams: list[StreamSource] = field(default_factory=list)
    rules: list[EventRule] = field(default_factory=list)
    # Asynchronous invocations (EventBridge): retries after a failure, then the dead-letter queue.
    async_retries: int = 2
    dead_letter_queue: str | None = None  # logical id
    # SnapStart on published versions: its before-snapshot hooks run when a container has loaded.
    snapstart: bool = False


def _logical_id(value: Any) -> str | None:
    if isinstance(value, dict):
        if "Ref" in value:
            return value["Ref"]
        if "Fn::GetAtt" in value:
            return value["Fn::GetAtt"][0]
    return None


def resolve_stack_name(value: Any, stack_name: str) -> Any:
    """`!Sub` strings naming only ${AWS::StackName}, resolved (what an event pattern may hold)."""
    if isinstance(value, dict) and set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
        return value["Fn::Sub"].replace("${AWS::StackName}", stack_name)
    if isinstance(value, dict):
        return {key: resolve_stack_name(item, stack_name) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_stack_name(item, stack_name) for item in value]
    return value


def functions(template: dict[str, Any], stack_name: str = STACK_NAME) -> list[FunctionSpec]:
    globals_ = template.get("Globals", {}).get("Function", {})
    specs = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        props = resource["Properties"]
        reserved = props.get("ReservedConcurrentExecutions")
        spec = FunctionSpec(
            logical_id=logical_id,
            code_dir=ROOT / props["CodeUri"],
            handler=props["Handler"],
            timeout=int(props.get("Timeout", globals_.get("Timeout", 3))),
            memory=int(props.get("MemorySize", globals_.get("MemorySize", 128))),
        )
        spec.async_retries = int(props.get("EventInvokeConfig", {}).get("MaximumRetryAttempts", 2))
        spec.dead_letter_queue = _logical_id(props.get("DeadLetterQueue", {}).get("TargetArn"))
        spec.snapstart = props.get("SnapStart", {}).get("ApplyOn") == "PublishedVersions"
        for event_name, event in props.get("Events", {}).items():
            eprops = event["Properties"]
            if event["Type"] == "HttpApi":
                authorizer = eprops.get("Auth", {}).get("Authorizer")
                spec.routes.append(
                    HttpRoute(
                        eprops["Method"].upper(),
                        eprops["Path"],
                        authorizer != "NONE",
                        route_pattern(eprops["Path"]),
                    )
                )
            elif event["Type"] == "SQS":
                spec.queue = _logical_id(eprops["Queue"])
                spec.batch_size = int(eprops.get("BatchSize", 10))
                maximum = eprops.get("ScalingConfig", {}).get("MaximumConcurrency")
                limits = [int(limit) for limit in (maximum, reserved) if limit]
                spec.concurrency = min(limits, default=spec.concurrency)
            elif event["Type"] == "EventBridgeRule":
                spec.rules.append(EventRule(event_name, resolve_stack_name(eprops["Pattern"], stack_name)))
            elif event["Type"] == "DynamoDB":
                destination = eprops.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
                spec.streams.append(
                    StreamSource(
                        name=event_name,
                        table=_logical_id(eprops["Stream"]),
                        filters=[
                            json.loads(f["Pattern"])
                            for f in eprops.get("FilterCriteria", {}).get("Filters", [])
                        ],
                        retries=int(eprops.get("MaximumRetryAttempts", 0)),
                        on_failure=_logical_id(destination),
                        batch_size=int(eprops.get("BatchSize", 100)),
                    )
                )
        specs.append(spec)
    return specs


def resources_of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == kind
    }
