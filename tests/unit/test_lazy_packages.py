"""Powertools' packages entered without their lists of everything (helpdesk.lazy_packages): a
function loads the modules it uses and nothing else changes for anyone else. Each case runs in a
fresh interpreter, since this one has loaded the packages already."""

import json
import subprocess
import sys
from pathlib import Path

LAYER = Path(__file__).resolve().parents[2] / "layers" / "common"


def run(code: str) -> dict:
    probe = f"import json, sys\nsys.path.insert(0, {str(LAYER)!r})\n{code}"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_stream_and_api_functions_load_only_the_event_classes_they_read():
    found = run(
        "import helpdesk.events, helpdesk.stream_batch, helpdesk.api.http\n"
        "print(json.dumps(sorted(m.rsplit('.', 1)[1] for m in sys.modules\n"
        "    if m.startswith('aws_lambda_powertools.utilities.data_classes.'))))"
    )
    assert "kinesis_firehose_event" not in found  # in the package's list, read by no function
    assert "appsync_resolver_event" not in found
    assert {"dynamo_db_stream_event", "event_bridge_event", "api_gateway_proxy_event"} <= set(found)
    assert "appsync" not in run(
        "import helpdesk.api.http\n"
        "print(json.dumps([m.rsplit('.', 1)[1] for m in sys.modules\n"
        "    if m.startswith('aws_lambda_powertools.event_handler.')]))"
    )


def test_a_name_the_package_reexports_loads_its_own_module_only():
    # Powertools' SQS event class imports S3Event from the package itself.
    found = run(
        "from helpdesk import lazy_packages\n"
        "from aws_lambda_powertools.utilities.data_classes import S3Event\n"
        "print(json.dumps([S3Event.__module__,\n"
        "    'aws_lambda_powertools.utilities.data_classes.ses_event' in sys.modules]))"
    )
    assert found == ["aws_lambda_powertools.utilities.data_classes.s3_event", False]


def test_any_other_name_runs_the_package_list_so_every_import_still_works():
    found = run(
        "from helpdesk import lazy_packages\n"
        "from aws_lambda_powertools.event_handler import AppSyncResolver, CORSConfig\n"
        "import aws_lambda_powertools.utilities.data_classes as classes\n"
        "print(json.dumps([AppSyncResolver.__name__, CORSConfig.__name__, len(classes.__all__) > 40,\n"
        "    hasattr(classes, 'no_such_name')]))"
    )
    assert found == ["AppSyncResolver", "CORSConfig", True, False]


def test_the_idempotency_store_and_boto3_load_where_a_store_is_made_or_preloaded():
    found = run(
        "from helpdesk.storage import idempotency\n"
        "loaded = lambda: ['boto3' in sys.modules,\n"
        "    'aws_lambda_powertools.utilities.idempotency.persistence.dynamodb' in sys.modules]\n"
        "before = loaded()\n"
        "idempotency.preload()\n"
        "print(json.dumps([before, loaded()]))"
    )
    assert found == [[False, False], [True, True]]
