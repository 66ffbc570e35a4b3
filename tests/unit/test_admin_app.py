"""The admin function imports a route module with the first request under its paths (app.ROUTES),
every module for a path under none of them (so nothing is missed: the answer is a route's or the
JSON 404), and every module before a SnapStart snapshot (the local stack's containers do that too:
tests/integration/test_local_containers.py)."""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import sys
import types
from pathlib import Path

import pytest

from local.lambdas import LambdaContext
from local.testing.apigw import http_event

FOLDER = Path(__file__).resolve().parents[2] / "functions" / "admin"
NOT_FOUND = {"message": "Endereço não encontrado na API.", "code": "not_found", "field": None}


def load_app(monkeypatch) -> types.ModuleType:
    """The handler's module as a new execution environment imports it (its folder on sys.path)."""
    monkeypatch.syspath_prepend(str(FOLDER))
    spec = importlib.util.spec_from_file_location("_test_admin_app", FOLDER / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def admin(monkeypatch) -> types.ModuleType:
    return load_app(monkeypatch)


def call(admin: types.ModuleType, method: str, path: str) -> tuple[int, dict]:
    result = admin.handler(http_event(method, path), LambdaContext("AdminFunction", 512, 20))
    return int(result["statusCode"]), json.loads(result["body"])


def served(admin: types.ModuleType) -> set[tuple[str, str]]:
    return {(route.method, route.path) for route in admin.app._static_routes + admin.app._dynamic_routes}


def routes_of(*names: str) -> set[tuple[str, str]]:
    return {
        (method.upper(), key[0])
        for name in names
        for key in importlib.import_module(name).router._routes
        for method in key[1]
    }


def test_a_request_loads_the_route_modules_of_its_path_only(admin):
    assert served(admin) == set()

    status, config = call(admin, "GET", "/console/config.json")
    assert status == 200 and "client_id" in config
    assert admin.included == {"console_routes"}
    assert served(admin) == routes_of("console_routes")

    # Without the authorizer's claims: the route is there (its claims check refuses, not a 404).
    status, refused = call(admin, "GET", "/admin/instances/suporte/hours")
    assert (status, refused["code"]) == (401, "unauthorized")
    assert admin.included == {"console_routes", "instance_routes", "hours_routes"}
    assert served(admin) == routes_of("console_routes", "instance_routes", "hours_routes")


@pytest.mark.parametrize("path", ["/admin/nowhere", "/admin/ticketsx", "/consoles", "/", ""])
def test_a_path_under_no_prefix_loads_every_module_then_gets_the_json_404(admin, path):
    assert call(admin, "GET", path) == (404, NOT_FOUND)
    assert admin.included == set(admin.EVERY_MODULE)
    assert served(admin) == routes_of(*admin.EVERY_MODULE)


def test_every_route_module_is_in_the_table_under_the_prefix_of_each_of_its_paths(admin):
    assert set(admin.EVERY_MODULE) == {path.stem for path in FOLDER.glob("*_routes.py")}
    for name in admin.EVERY_MODULE:
        for _, rule in routes_of(name):
            path = re.sub(r"<\w+>", "x", rule)
            assert name in admin.modules_for(path), f"{rule} is not under a prefix of {name} in ROUTES"
            assert admin.modules_for(path) != admin.EVERY_MODULE, f"{rule} is under no prefix of ROUTES"


def test_before_a_snapshot_every_route_module_is_loaded(monkeypatch):
    hooks: list = []
    runtime = types.ModuleType("snapshot_restore_py")
    runtime.register_before_snapshot = hooks.append  # type: ignore[attr-defined]
    runtime.register_after_restore = lambda hook: hook  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", runtime)
    admin = load_app(monkeypatch)
    assert admin.included == set()

    assert hooks == [admin.prime]
    for hook in hooks:
        hook()
    assert admin.included == set(admin.EVERY_MODULE)
    assert served(admin) == routes_of(*admin.EVERY_MODULE)
