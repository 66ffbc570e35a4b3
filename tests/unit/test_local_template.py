"""The local stack reads template.yaml: routes, event sources and filters as deployed."""

import json

from local import cfn
from local.event_filter import matches, matches_any

SPECS = {spec.logical_id: spec for spec in cfn.functions(cfn.load_template())}


def stream_record(entity: str, author_kind: str | None = None, event_name: str = "INSERT") -> dict:
    image = {"entity": {"S": entity}}
    if author_kind:
        image["author_kind"] = {"S": author_kind}
    return {"eventName": event_name, "dynamodb": {"NewImage": image}}


def test_every_function_of_the_template_is_found_with_its_handler_folder():
    assert set(SPECS) == {
        "WebhookFunction",
        "ProcessorFunction",
        "AdminFunction",
        "ErpFunction",
        "PortalFunction",
        "NotifierFunction",
        "StatsFunction",
        "TranscriberFunction",
    }
    assert all((spec.code_dir / "app.py").is_file() for spec in SPECS.values())


def test_the_synchronous_functions_have_snapstart():
    # Their containers run the before-snapshot hooks once loaded (local/lambdas.py), as AWS does.
    snapstart = {name for name, spec in SPECS.items() if spec.snapstart}
    assert snapstart == {"WebhookFunction", "AdminFunction", "ErpFunction", "PortalFunction"}


def test_the_transcribers_rule_takes_this_stacks_job_changes_only():
    from local.event_filter import matches

    [rule] = SPECS["TranscriberFunction"].rules
    change = {
        "source": "aws.transcribe",
        "detail-type": "Transcribe Job State Change",
        "detail": {"TranscriptionJobName": "helpdesk-abc", "TranscriptionJobStatus": "COMPLETED"},
    }
    assert matches(rule.pattern, change)
    assert not matches(
        rule.pattern, {**change, "detail": {**change["detail"], "TranscriptionJobName": "other-abc"}}
    )
    assert not matches(rule.pattern, {**change, "source": "aws.s3"})
    spec = SPECS["TranscriberFunction"]
    assert (spec.async_retries, spec.dead_letter_queue) == (2, "TranscriberFailureQueue")


def test_routes_and_their_authorization():
    routes = {route.route_key: route.authorized for spec in SPECS.values() for route in spec.routes}
    assert routes["POST /webhooks/evolution"] is False
    assert routes["ANY /admin/{proxy+}"] is True
    admin = next(r for r in SPECS["AdminFunction"].routes if r.path == "/admin/{proxy+}")
    assert admin.match("GET", "/admin/instances/suporte/stats") == {"proxy": "instances/suporte/stats"}
    assert admin.match("GET", "/portal") is None
    # The console's files are public (a login page); only /admin/... carries data.
    assert routes["GET /console"] is False and routes["GET /console/{proxy+}"] is False
    console = {r.path for r in SPECS["AdminFunction"].routes if not r.authorized}
    assert console == {"/console", "/console/{proxy+}"}


def test_the_processor_consumes_the_fifo_queue_and_the_table_stream_has_two_readers():
    assert SPECS["ProcessorFunction"].queue == "InboundQueue"
    # DynamoDB advises at most two readers per stream shard: each event source mapping is one.
    readers = [(spec.logical_id, source.name) for spec in SPECS.values() for source in spec.streams]
    assert readers == [("NotifierFunction", "TableChanges"), ("StatsFunction", "CountedChanges")]
    [source] = SPECS["NotifierFunction"].streams
    assert source.table == "Table" and source.on_failure == "StreamFailureBucket" and source.retries > 0
    assert SPECS["StatsFunction"].streams[0].on_failure == "StreamFailureBucket"


def test_the_notifiers_source_takes_new_actions_but_no_conversation_change():
    [source] = SPECS["NotifierFunction"].streams
    assert matches_any(source.filters, stream_record("action", "agent"))
    assert matches_any(source.filters, stream_record("action", "requester"))  # for the ERP
    assert not matches_any(source.filters, stream_record("conversation"))
    assert not matches_any(source.filters, stream_record("action", "agent", event_name="MODIFY"))


def test_filter_rules_beyond_exact_values():
    event = json.loads('{"a": {"b": "ticket-42", "n": 7}}')
    assert matches({"a": {"b": [{"prefix": "ticket-"}]}}, event)
    assert matches({"a": {"c": [{"exists": False}]}}, event)
    assert not matches({"a": {"b": [{"anything-but": ["ticket-42"]}]}}, event)
    assert matches({"a": {"n": [{"numeric": [">", 5, "<=", 7]}]}}, event)


def test_make_dev_registers_its_own_evolution_webhook_unless_told_another_address():
    from local.stack import local_environment

    env = local_environment("http://127.0.0.1:3000", "evolution", {})
    assert env["WEBHOOK_PUBLIC_URL"] == "http://127.0.0.1:3000/webhooks/evolution"
    assert env["WHATSAPP_GATEWAY"] == "evolution"
    docker = {"WEBHOOK_PUBLIC_URL": "http://host.docker.internal:3000/webhooks/evolution"}
    assert local_environment("http://127.0.0.1:3000", "evolution", docker)["WEBHOOK_PUBLIC_URL"] == (
        "http://host.docker.internal:3000/webhooks/evolution"
    )


def test_the_sent_log_and_lid_aliases_never_wake_the_notifier():
    notifier = SPECS["NotifierFunction"]
    for entity in ("sent", "lid"):
        for source in notifier.streams:
            assert not matches_any(source.filters, stream_record(entity))


def test_the_stats_consumer_reads_conversations_failed_deliveries_and_ticket_changes_in_whole_batches():
    [source] = SPECS["StatsFunction"].streams
    assert matches_any(source.filters, stream_record("conversation", event_name="MODIFY"))
    assert matches_any(source.filters, stream_record("conversation"))
    assert not matches_any(source.filters, stream_record("conversation", event_name="REMOVE"))
    # A delivery WhatsApp reported failed is counted too; the sent log's other changes are not.
    failed = stream_record("sent", event_name="MODIFY")
    failed["dynamodb"]["NewImage"]["status"] = {"S": "failed"}
    assert matches_any(source.filters, failed)
    read = stream_record("sent", event_name="MODIFY")
    read["dynamodb"]["NewImage"]["status"] = {"S": "read"}
    assert not matches_any(source.filters, read)
    assert not matches_any(source.filters, stream_record("sent"))
    # Tickets per status: created, changed, deleted (a REMOVE record has only the old image).
    assert matches_any(source.filters, stream_record("ticket"))
    assert matches_any(source.filters, stream_record("ticket", event_name="MODIFY"))
    removed = {"eventName": "REMOVE", "dynamodb": {"OldImage": {"entity": {"S": "ticket"}}}}
    assert matches_any(source.filters, removed)
    for entity in ("action", "stats", "status_count", "stats_batch"):
        assert not matches_any(source.filters, stream_record(entity))
    events = cfn.load_template()["Resources"]["StatsFunction"]["Properties"]["Events"]
    props = events["CountedChanges"]["Properties"]
    # A retried batch must be the same batch: its marker is what makes a redelivery count nothing.
    assert props["BisectBatchOnFunctionError"] is False and "FunctionResponseTypes" not in props
