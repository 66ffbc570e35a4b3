"""docs/openapi.yaml documents exactly the admin routes the function serves."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "docs" / "openapi.yaml"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture(scope="module")
def spec() -> dict:
    return yaml.safe_load(SPEC_PATH.read_text())


@pytest.fixture(scope="module")
def resolver():
    """The admin function's resolver, loaded as Lambda loads it (its folder on sys.path)."""
    code_dir = ROOT / "functions" / "admin"
    if str(code_dir) not in sys.path:
        sys.path.insert(0, str(code_dir))
    name = "_test_openapi_admin_app"
    loader = importlib.util.spec_from_file_location(name, code_dir / "app.py")
    module = importlib.util.module_from_spec(loader)
    sys.modules[name] = module
    loader.loader.exec_module(module)
    module.prime()  # every route module, as before a SnapStart snapshot (else each loads on first use)
    return module.app


def served_admin_routes(resolver) -> set[tuple[str, str]]:
    routes = resolver._static_routes + resolver._dynamic_routes
    return {
        (route.openapi_path, route.method.lower()) for route in routes if route.path.startswith("/admin/")
    }


def documented_routes(spec: dict) -> set[tuple[str, str]]:
    return {
        (path, method) for path, item in spec["paths"].items() for method in item if method in HTTP_METHODS
    }


def test_the_spec_documents_exactly_the_served_admin_routes(spec, resolver):
    served = served_admin_routes(resolver)
    assert served, "no admin routes registered"
    assert documented_routes(spec) == served


def test_the_spec_has_the_required_fields(spec):
    assert str(spec["openapi"]).startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"]
    assert spec["components"]["securitySchemes"]["adminJwt"]["scheme"] == "bearer"
    assert spec["security"] == [{"adminJwt": []}]
    for path, item in spec["paths"].items():
        assert path.startswith("/admin/")
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            assert operation.get("operationId") and operation.get("summary"), (method, path)
            assert "401" in operation["responses"], (method, path)
            assert any(code.startswith("2") for code in operation["responses"]), (method, path)
    operation_ids = [
        op["operationId"] for item in spec["paths"].values() for m, op in item.items() if m in HTTP_METHODS
    ]
    assert len(operation_ids) == len(set(operation_ids))


def test_the_spec_is_a_valid_openapi_document(spec):
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(spec)
