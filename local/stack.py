"""The whole product on one machine: moto in server mode for AWS, the template's resources, the
same handlers that deploy to Lambda, the HTTP API, the queue and stream pollers, the simulator."""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from local import cfn, cognito
from local.moto_process import MotoProcess

log = logging.getLogger("local.stack")

LOCAL_SECRETS = ("ADMIN_TOKEN", "WEBHOOK_TOKEN", "ERP_HMAC_SECRET", "PORTAL_SESSION_KEY", "CLOUD_APP_SECRET")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LocalResources:
    """Local names of the template's resources, by logical id."""

    tables: dict[str, str] = field(default_factory=dict)
    queue_urls: dict[str, str] = field(default_factory=dict)
    queue_arns: dict[str, str] = field(default_factory=dict)
    buckets: dict[str, str] = field(default_factory=dict)
    stream_arns: dict[str, str] = field(default_factory=dict)
    user_pools: dict[str, str] = field(default_factory=dict)
    user_pool_clients: dict[str, str] = field(default_factory=dict)

    def ref(self, logical_id: str) -> str | None:
        for names in (self.tables, self.queue_urls, self.buckets, self.user_pools, self.user_pool_clients):
            if logical_id in names:
                return names[logical_id]
        return None


def create_resources(template: dict[str, Any], session, prefix: str = "helpdesk") -> LocalResources:
    """Creates the tables, queues and buckets of the template with their deployed properties."""
    made = LocalResources()
    create_tables(template, session, made, prefix)
    create_queues(template, session, made, prefix)
    create_buckets(template, session, made, prefix)
    made.user_pools, made.user_pool_clients = cognito.create_user_pools(template, session, prefix)
    return made


def create_tables(template: dict[str, Any], session, made: LocalResources, prefix: str = "helpdesk") -> None:
    dynamodb = session.client("dynamodb")
    for logical_id, props in cfn.resources_of_type(template, "AWS::DynamoDB::Table").items():
        name = f"{prefix}-{logical_id}"
        args = {
            key: props[key]
            for key in ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode")
            if key in props
        }
        if "StreamSpecification" in props:
            args["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
        table = dynamodb.create_table(TableName=name, **args)["TableDescription"]
        if ttl := props.get("TimeToLiveSpecification"):
            dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        made.tables[logical_id] = name
        if "LatestStreamArn" in table:
            made.stream_arns[logical_id] = table["LatestStreamArn"]


def create_queues(template: dict[str, Any], session, made: LocalResources, prefix: str = "helpdesk") -> None:
    sqs = session.client("sqs")
    queues = cfn.resources_of_type(template, "AWS::SQS::Queue")
    # Dead-letter queues first: the others' redrive policies point at them.
    for logical_id, props in sorted(queues.items(), key=lambda item: "RedrivePolicy" in item[1]):
        fifo = bool(props.get("FifoQueue"))
        attributes = {"FifoQueue": "true"} if fifo else {}
        for key in ("ContentBasedDeduplication", "VisibilityTimeout", "MessageRetentionPeriod"):
            if key in props:
                attributes[key] = str(props[key]).lower() if isinstance(props[key], bool) else str(props[key])
        if policy := props.get("RedrivePolicy"):
            target = policy["deadLetterTargetArn"]["Fn::GetAtt"][0]
            attributes["RedrivePolicy"] = json.dumps(
                {
                    "deadLetterTargetArn": made.queue_arns[target],
                    "maxReceiveCount": int(policy["maxReceiveCount"]),
                }
            )
        if os.environ.get("LOCAL_VISIBILITY_TIMEOUT") and "RedrivePolicy" in props:
            attributes["VisibilityTimeout"] = os.environ["LOCAL_VISIBILITY_TIMEOUT"]
        name = f"{prefix}-{logical_id}" + (".fifo" if fifo else "")
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        made.queue_urls[logical_id] = url
        made.queue_arns[logical_id] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]


def create_buckets(template: dict[str, Any], session, made: LocalResources, prefix: str = "helpdesk") -> None:
    s3 = session.client("s3")
    for logical_id in cfn.resources_of_type(template, "AWS::S3::Bucket"):
        name = f"{prefix}-{logical_id}".lower()
        s3.create_bucket(Bucket=name)
        made.buckets[logical_id] = name


def function_environment(template: dict[str, Any], made: LocalResources) -> dict[str, str]:
    """The Globals environment, and each function's own (the local functions share one process),
    with every Ref resolved: resources to their local names, parameters to the variable already set
    in this environment, else their default.

    Values computed in AWS (portal URL, secret names) are set by the local stack itself.
    """
    parameters = {name: str(p.get("Default", "")) for name, p in template.get("Parameters", {}).items()}
    variables = dict(
        template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    )
    for props in cfn.resources_of_type(template, "AWS::Serverless::Function").values():
        variables.update(props.get("Environment", {}).get("Variables", {}))
    env = {}
    for name, value in variables.items():
        if isinstance(value, str):
            env[name] = value
        elif isinstance(value, dict) and "Ref" in value:
            resolved = cfn.STACK_NAME if value["Ref"] == "AWS::StackName" else made.ref(value["Ref"])
            if resolved is None and value["Ref"] in parameters:
                resolved = os.environ.get(name) or parameters[value["Ref"]]
            if resolved is not None:
                env[name] = resolved
    return env


def local_environment(url: str, gateway: str, environ: Mapping[str, str]) -> dict[str, str]:
    """What AWS computes and the local stack must set itself. WEBHOOK_PUBLIC_URL is this stack's
    Evolution webhook, registered on every instance the console creates (so a real Evolution
    server next to `make dev` reports here); set it to the address that server reaches this stack
    by (e.g. http://host.docker.internal:3000/webhooks/evolution, with LOCAL_BIND=0.0.0.0)."""
    return {
        "WHATSAPP_GATEWAY": gateway,
        "PORTAL_URL": environ.get("LOCAL_PORTAL_URL") or f"{url}/portal",
        "SIMULATOR_URL": f"{url}/simulator",
        # The console reaches moto's Cognito through this stack (same origin: CSP 'self', no CORS).
        "COGNITO_ENDPOINT_URL": f"{url}{cognito.PROXY_PATH}/",
        "WEBHOOK_PUBLIC_URL": environ.get("WEBHOOK_PUBLIC_URL") or f"{url}/webhooks/evolution",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "Helpdesk",
    }


class LocalStack:
    def __init__(self, port: int = 3000, gateway: str = "simulator", seed: bool = True) -> None:
        self.port = port
        self.gateway = gateway
        self.seed = seed
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []
        self.moto: MotoProcess | None = None
        self.moto_url = ""
        self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        started = time.perf_counter()
        moto_port = int(os.environ.get("MOTO_PORT") or free_port())
        # moto starts in its own process while this one imports the handlers' libraries.
        self.moto = MotoProcess(moto_port)
        self.moto.start()
        self.moto_url = self.moto.url
        os.environ.update(
            AWS_ENDPOINT_URL=self.moto_url,
            AWS_ACCESS_KEY_ID="local",
            AWS_SECRET_ACCESS_KEY="local",
            AWS_SESSION_TOKEN="local",
            AWS_DEFAULT_REGION="us-east-1",
            AWS_REGION="us-east-1",
        )
        import boto3

        template = cfn.load_template()
        session = boto3.session.Session()
        self.moto.wait_ready()
        made = create_resources(template, session)
        for name in LOCAL_SECRETS:
            os.environ.setdefault(name, secrets.token_urlsafe(24))
        os.environ.update(function_environment(template, made))
        os.environ.update(local_environment(self.url, self.gateway, os.environ))
        os.environ.pop("SECRETS_NAMES", None)
        sys.path.insert(0, str(cfn.ROOT / "layers" / "common"))

        from helpdesk import caches
        from helpdesk.storage import models  # noqa: F401  (bound to the table named above, at import)

        caches.reset()
        if self.seed:
            from local.seed import seed_demo_data

            seed_demo_data()
        self.create_first_admin(session, made)
        self.serve(template, made, session)
        log.info("local stack up in %.1f s", time.perf_counter() - started)

    def create_first_admin(self, session, made: LocalResources) -> None:
        from local import moto_fixes

        os.environ.setdefault("ADMIN_EMAIL", "admin@example.com")
        os.environ.setdefault("ADMIN_TEMPORARY_PASSWORD", moto_fixes.temporary_password())
        cognito.create_admin(
            session,
            os.environ["ADMIN_USER_POOL_ID"],
            os.environ["ADMIN_EMAIL"],
            os.environ["ADMIN_TEMPORARY_PASSWORD"],
        )

    def serve(self, template: dict[str, Any], made: LocalResources, session) -> None:
        from werkzeug.serving import make_server

        from local.apigw import LocalHttpApi
        from local.eventbus import LocalEventBus
        from local.lambdas import Containers, LocalFunction
        from local.pollers import SqsEventSourceMapping, StreamPoller, StreamReader
        from local.queue_depths import QueueDepths
        from local.simulator import SimulatorApp
        from local.transcribe import SaidRegistry, TranscribeStandIn

        functions = [LocalFunction(spec) for spec in cfn.functions(template)]
        pool, client = next(iter(made.user_pools.values())), next(iter(made.user_pool_clients.values()))
        api = LocalHttpApi(
            functions,
            admin_token=os.environ["ADMIN_TOKEN"],
            authorizer=cognito.authorizer(self.moto_url, pool, client),
        )
        # The simulator, the path to moto's Cognito and the invitations' mailbox exist only here; the
        # pages of the console and the portal are served by their functions through the template's
        # routes, as in AWS.
        said = SaidRegistry()  # what the simulator's voice notes say (read by the Transcribe stand-in)
        api.mount(
            "/simulator",
            SimulatorApp(
                webhook_url=f"{self.url}/webhooks/evolution",
                webhook_token=os.environ["WEBHOOK_TOKEN"],
                send_delay=float(os.environ.get("SIMULATOR_SEND_DELAY_MS") or 0) / 1000,
                cloud_app_secret=os.environ.get("CLOUD_APP_SECRET", ""),
                said=said,
            ),
        )
        api.mount(cognito.PROXY_PATH, cognito.CognitoProxy(self.moto_url))
        api.mount("/local/mail", cognito.Mailbox(self.invitations))
        sqs, s3 = session.client("sqs"), session.client("s3")
        api.mount("/local/queues", QueueDepths(sqs, made.queue_urls))
        streams = session.client("dynamodbstreams")
        readers = {table: StreamReader(streams, arn) for table, arn in made.stream_arns.items()}
        # EventBridge's targets run in containers of their own (asynchronous invocations).
        bus = LocalEventBus(
            [Containers(LocalFunction(f.spec)) for f in functions if f.spec.rules], sqs, made.queue_urls
        )
        bus.stop = self.stop_event
        self.threads.append(
            TranscribeStandIn(
                session.client("transcribe"), session.client("s3"), said, bus.put, self.stop_event
            )
        )
        for function in functions:
            spec = function.spec
            if spec.queue:
                # One container per batch in flight, as Lambda runs one execution environment each.
                containers = iter([function])
                self.threads.append(
                    SqsEventSourceMapping(
                        lambda spec=spec, containers=containers: (
                            next(containers, None) or LocalFunction(spec)
                        ),
                        sqs,
                        made.queue_urls[spec.queue],
                        made.queue_arns[spec.queue],
                        self.stop_event,
                        concurrency=spec.concurrency,
                        batch_size=spec.batch_size,
                        name=spec.logical_id,
                    )
                )
            for source in spec.streams:
                self.threads.append(
                    StreamPoller(
                        function,
                        source,
                        streams,
                        made.stream_arns[source.table],
                        self.stop_event,
                        sqs,
                        made.queue_urls.get(source.on_failure or ""),
                        reader=readers[source.table],
                        s3=s3,
                        failure_bucket=made.buckets.get(source.on_failure or ""),
                    )
                )
        bind = os.environ.get("LOCAL_BIND", "127.0.0.1")  # 0.0.0.0 lets a Docker gateway reach it
        self.server = make_server(bind, self.port, api, threaded=True)
        self.threads.append(threading.Thread(target=self.server.serve_forever, name="http", daemon=True))
        for thread in self.threads:
            thread.start()

    def invitations(self) -> list[tuple[str, str]]:
        return self.moto.pending_invitations() if self.moto else []

    def stop(self) -> None:
        self.stop_event.set()
        if self.server:
            self.server.shutdown()
        for thread in self.threads:
            thread.join(timeout=5)
        if self.moto:
            self.moto.stop()
