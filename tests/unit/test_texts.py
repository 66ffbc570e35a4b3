"""The pt-BR texts live in one package, a module per flow, all read through `helpdesk.texts`."""

from __future__ import annotations

import importlib
import pkgutil

from helpdesk import texts


def flow_modules():
    return [importlib.import_module(f"helpdesk.texts.{m.name}") for m in pkgutil.iter_modules(texts.__path__)]


def public_names(module) -> set[str]:
    """Its texts and text functions (a string has no __module__; what it imports has another)."""
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and getattr(value, "__module__", module.__name__) == module.__name__
    }


def test_every_text_is_defined_once_and_read_through_the_package():
    seen: dict[str, str] = {}
    for module in flow_modules():
        for name in public_names(module):
            assert name not in seen, f"{name} in both {seen[name]} and {module.__name__}"
            seen[name] = module.__name__
            assert getattr(texts, name) is getattr(module, name)
    assert {"WELCOME", "HELP", "ticket_detail", "notify_header", "my_data", "file_received"} <= set(seen)
