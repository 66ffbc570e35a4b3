"""The domain stays pure: no AWS SDK, no storage, no gateway, no HTTP inside helpdesk.domain."""

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "layers" / "common" / "helpdesk" / "domain"
FORBIDDEN = (
    "boto3",
    "botocore",
    "pynamodb",
    "aws_lambda_powertools",
    "requests",
    "helpdesk.storage",
    "helpdesk.gateways",
    "helpdesk.logic",
    "helpdesk.aws",
)


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


DOMAIN_MODULES = sorted(DOMAIN.rglob("*.py"))


@pytest.mark.parametrize("path", DOMAIN_MODULES, ids=lambda p: str(p.relative_to(DOMAIN)))
def test_domain_module_imports_no_io(path):
    leaks = {m for m in imported_modules(path) if m.startswith(FORBIDDEN)}
    assert not leaks, f"{path.relative_to(DOMAIN)} imports {sorted(leaks)}"


def test_the_purity_check_walks_the_dialog_package():
    assert DOMAIN / "dialog" / "first_contact.py" in DOMAIN_MODULES


# --- storage owns the keys and pynamodb ---------------------------------------------------------

ROOT = DOMAIN.parents[3]
HELPDESK = DOMAIN.parent
STORAGE = HELPDESK / "storage"
NO_STORAGE_INTERNALS = sorted(
    [*(HELPDESK / "logic").rglob("*.py"), *(ROOT / "functions").rglob("*.py")], key=str
)
# Partition-key prefixes and fixed sort keys of the single table (see storage/models.py).
KEY_PREFIXES = (
    "PHONE#",
    "TICKET#",
    "INSTANCE#",
    "COMPANY#",
    "RTYPE#",
    "REQ#",
    "STATS#",
    "LOGIN#",
    "SENT#",
    "IDEMPOTENCY#",
    "ACTION#",
    "ACTIONID#",
    "DAY#",
    "TOTAL#",
)
SORT_KEYS = frozenset(
    {"PROFILE", "CONVERSATION", "META", "ATTEMPTS", "COUNTER", "INSTANCES", "COMPANIES", "RTYPES", "TICKETS"}
)
OUTSIDE_STORAGE = sorted(
    (
        path
        for path in [
            *HELPDESK.rglob("*.py"),
            *(ROOT / "functions").rglob("*.py"),
            *(ROOT / "local").rglob("*.py"),
        ]
        if STORAGE not in path.parents
    ),
    key=str,
)


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", NO_STORAGE_INTERNALS, ids=_rel)
def test_logic_and_functions_leave_pynamodb_to_storage(path):
    leaks = {
        m
        for m in imported_modules(path)
        if m.split(".")[0] == "pynamodb"
        or m in ("helpdesk.storage.models", "helpdesk.storage.attributes", "helpdesk.storage.table")
    }
    assert not leaks, f"{_rel(path)} imports {sorted(leaks)}: call a storage module instead"


DEPLOYED = sorted([*HELPDESK.rglob("*.py"), *(ROOT / "functions").rglob("*.py")], key=str)


@pytest.mark.parametrize("path", DEPLOYED, ids=_rel)
def test_deployed_records_are_structs_not_dataclasses(path):
    """A dataclass compiles its methods when its module is imported, about 1 ms per class on every
    cold start (70 ms of the processor's); a msgspec Struct is defined in 0.03 ms."""
    assert "dataclasses" not in imported_modules(path), f"{_rel(path)}: declare it as a msgspec Struct"


def key_literals(path: Path) -> list[str]:
    """String constants (f-string parts included) that spell a table key, docstrings aside."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and (node.value in SORT_KEYS or node.value.startswith(KEY_PREFIXES))
    ]


@pytest.mark.parametrize("path", OUTSIDE_STORAGE, ids=_rel)
def test_no_table_key_outside_storage(path):
    assert not key_literals(path), f"{_rel(path)} spells table keys: move them into helpdesk/storage"


def test_the_key_scan_finds_keys_where_they_belong():
    # The scan is only a proof if it recognizes the keys storage itself spells.
    found = {literal for path in STORAGE.glob("*.py") for literal in key_literals(path)}
    assert {"PHONE#", "PROFILE", "CONVERSATION", "META", "TICKET#", "LOGIN#", "ATTEMPTS"} <= found


# --- HTTP stays in helpdesk.api and functions/ --------------------------------------------------


@pytest.mark.parametrize("path", sorted((HELPDESK / "logic").rglob("*.py"), key=str), ids=_rel)
def test_logic_knows_no_http(path):
    # Logic returns domain values and raises its own errors; helpdesk.api shapes and answers them.
    leaks = {
        m
        for m in imported_modules(path)
        if m.startswith(("helpdesk.api", "aws_lambda_powertools.event_handler"))
    }
    assert not leaks, f"{_rel(path)} imports {sorted(leaks)}"


# --- time comes from the services' clock ----------------------------------------------------------

WALL_CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("time", "time")}
LOGIC = sorted((HELPDESK / "logic").rglob("*.py"), key=str)


def wall_clock_reads(path: Path) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and (node.func.value.id, node.func.attr) in WALL_CLOCK
    ]


@pytest.mark.parametrize("path", LOGIC, ids=_rel)
def test_logic_reads_time_only_from_the_services_clock(path):
    if path.name == "services.py":  # the live clock itself
        return
    assert not wall_clock_reads(path), f"{_rel(path)} reads the wall clock: use services.clock()"


# --- one way to inject ----------------------------------------------------------------------------

FUNCTION_MODULES = sorted((ROOT / "functions").rglob("*.py"), key=str)


def services_built_outside_a_factory(path: Path) -> list[int]:
    """Lines where a function module builds `Services(...)` anywhere but in its `services()`."""
    tree = ast.parse(path.read_text())
    factories = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "services"]
    inside = {id(call) for factory in factories for call in ast.walk(factory)}
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Services"
        and id(node) not in inside
    ]


@pytest.mark.parametrize("path", FUNCTION_MODULES, ids=_rel)
def test_functions_build_their_services_in_one_replaceable_factory(path):
    assert services_built_outside_a_factory(path) == []


FUNCTION_FOLDERS = sorted(path.parent for path in (ROOT / "functions").glob("*/app.py"))


def services_factories(folder: Path) -> list[Path]:
    """The modules of a function's folder that define its `services()` factory."""
    return [
        path
        for path in sorted(folder.glob("*.py"))
        if any(
            isinstance(node, ast.FunctionDef) and node.name == "services"
            for node in ast.parse(path.read_text()).body
        )
    ]


@pytest.mark.parametrize("folder", FUNCTION_FOLDERS, ids=lambda folder: folder.name)
def test_every_function_builds_its_services_in_a_factory(folder):
    # The clock and the gateway come from there, and a test replaces that one function.
    assert len(services_factories(folder)) == 1, f"functions/{folder.name} has no services() factory"


@pytest.mark.parametrize("path", FUNCTION_MODULES, ids=_rel)
def test_functions_read_time_only_from_their_services(path):
    assert not wall_clock_reads(path), f"{_rel(path)} reads the wall clock: use services().clock()"


def test_the_factory_scan_sees_a_function_without_one(tmp_path):
    (tmp_path / "app.py").write_text("def handler(event, context):\n    return work(datetime.now(UTC))\n")
    assert services_factories(tmp_path) == []
    assert wall_clock_reads(tmp_path / "app.py") == [2]


def test_the_services_scan_finds_a_services_built_inline(tmp_path):
    module = tmp_path / "routes.py"
    module.write_text("def services():\n    return Services()\n\ndef route():\n    return work(Services())\n")
    assert services_built_outside_a_factory(module) == [5]


# --- the bench and the local stack stand without the tests ----------------------------------------

OUTSIDE_TESTS = sorted([*(ROOT / "bench").rglob("*.py"), *(ROOT / "local").rglob("*.py")], key=str)


@pytest.mark.parametrize("path", OUTSIDE_TESTS, ids=_rel)
def test_bench_and_local_import_nothing_from_tests(path):
    # What both need lives in local/testing; the tests import it from there too.
    leaks = {m for m in imported_modules(path) if m == "tests" or m.startswith("tests.")}
    assert not leaks, f"{_rel(path)} imports {sorted(leaks)}: move what it needs into local/testing"


def test_the_tests_import_scan_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "bench.py"
    module.write_text("def run():\n    from tests.support.whatsapp import text\n    return text\n")
    assert imported_modules(module) == {"tests.support.whatsapp"}
