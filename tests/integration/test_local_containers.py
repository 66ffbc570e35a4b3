"""The local stack's containers: each loads its own copy of its function's modules, even when the
pollers start several at the same moment (as a burst makes them), and handles one event at a time.
A SnapStart function's container holds what its snapshot would: its before-snapshot hooks ran."""

from __future__ import annotations

from pathlib import Path

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from local.apigw import LocalHttpApi
from local.lambdas import load_function
from tests.support.threads import race

STATIC = Path(__file__).resolve().parents[2] / "functions" / "admin" / "static"


def test_containers_started_at_once_each_get_their_own_modules(aws):
    containers = []
    assert race([lambda: containers.append(load_function("ProcessorFunction"))] * 6) == []
    # fifo_batch (the batch's thread pool) is a sibling module: one copy per container.
    copies = {id(c.module.process_fifo_batch.__globals__) for c in containers}
    assert len(copies) == 6


def test_a_snapstart_containers_before_snapshot_hooks_load_its_own_copies(aws):
    # The admin's route modules, imported on first use without SnapStart, are all loaded by the
    # hook; each container's routes use its own admin_api (a test replaces its `services`), even
    # when containers start at once.
    containers = []
    assert race([lambda: containers.append(load_function("AdminFunction"))] * 4) == []
    for container in containers:
        app = container.module
        assert app.included == set(app.EVERY_MODULE)
        routes = app.app._static_routes + app.app._dynamic_routes
        shared = {id(route.func.__globals__.get("admin_api", app.admin_api)) for route in routes}
        assert shared == {id(app.admin_api)}


def test_the_local_api_answers_requests_at_once_each_in_a_container_of_its_own(aws):
    # Powertools' resolver keeps the current request on its app: one container, one request at a time.
    api = LocalHttpApi([load_function("AdminFunction")], admin_token="test")
    assets = STATIC.glob("assets/*")
    answers: list[tuple[str, bytes, int]] = []

    def get(path) -> None:
        request = Request(EnvironBuilder(path=f"/console/assets/{path.name}").get_environ())
        response = api.dispatch(request)
        answers.append((path.name, response.get_data(), response.status_code))

    files = sorted(assets) * 3
    assert race([lambda path=path: get(path) for path in files]) == []
    assert [status for _, _, status in answers] == [200] * len(files)
    assert all(body == (STATIC / "assets" / name).read_bytes() for name, body, _ in answers)
