"""The functions' IAM policies as template.yaml deploys them, and the checks on them.

`render` (run in .venv-lint, which has SAM's translator and cfn-lint's copy of the IAM Service
Authorization Reference) expands the template's SAM policy templates into statements, per function,
with resources as symbolic ARNs (`${Table}`, `${MediaBucket.Arn}/*`), and notes which of their
actions take no resource at all. `make iam-policies` writes that to tests/fixtures/iam/policies.json,
which the integration tests read to check every AWS call a function makes (tests/support/iam.py);
`make lint` renders it again and fails when the file is stale or a statement is mis-scoped:

- an action the reference lists without a resource type allowed on anything but "*" allows nothing
  (StartTranscriptionJob on a job ARN: every start denied);
- an action that can be scoped allowed on "*" is broader than it needs to be.

Usage: python scripts/iam_policies.py [--write]
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "fixtures" / "iam" / "policies.json"
PSEUDO = {
    "AWS::Region": "us-east-1",
    "AWS::AccountId": "123456789012",
    "AWS::Partition": "aws",
    "AWS::StackName": "helpdesk",
    "AWS::URLSuffix": "amazonaws.com",
}


def symbolic(value: Any, names: dict[str, str] | None = None) -> Any:
    """An intrinsic function as a string: pseudo parameters resolved, resources as ${Id} / ${Id.Attr}."""
    names = names or {}
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return [symbolic(v, names) for v in value]
    if not isinstance(value, dict) or len(value) != 1:
        return value
    [(function, argument)] = value.items()
    if function == "Ref":
        return PSEUDO.get(argument) or names.get(argument) or f"${{{argument}}}"
    if function == "Fn::GetAtt":
        parts = argument if isinstance(argument, list) else argument.split(".", 1)
        return f"${{{parts[0]}.{parts[1]}}}"
    if function == "Fn::Join":
        separator, items = argument
        return separator.join(str(symbolic(item, names)) for item in items)
    if function == "Fn::Sub":
        text, variables = (argument, {}) if isinstance(argument, str) else argument
        local = {key: symbolic(item, names) for key, item in variables.items()}

        def substitute(found: re.Match) -> str:
            name = found.group(1)
            return str(local.get(name) or PSEUDO.get(name) or names.get(name) or f"${{{name}}}")

        return re.sub(r"\$\{([^}!]+)\}", substitute, text)
    if function == "Fn::If":
        return symbolic(argument[1], names)
    return value


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def function_statements(transformed: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each function's Allow statements (inline policies of its role), resources symbolic."""
    resources = transformed["Resources"]
    found: dict[str, list[dict[str, Any]]] = {}
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        role = resource["Properties"]["Role"]
        role_id = role["Fn::GetAtt"][0] if isinstance(role, dict) else None
        statements = []
        for policy in resources.get(role_id, {}).get("Properties", {}).get("Policies", []):
            for statement in _listed(policy["PolicyDocument"]["Statement"]):
                if statement.get("Effect") != "Allow":
                    continue
                entry = {
                    "policy": policy["PolicyName"],
                    "actions": sorted(_listed(statement["Action"])),
                    "resources": [symbolic(r) for r in _listed(statement["Resource"])],
                }
                if "Condition" in statement:
                    entry["condition"] = symbolic(statement["Condition"])
                statements.append(entry)
        found[logical_id] = statements
    return found


def render() -> dict[str, Any]:
    """Needs .venv-lint (samtranslator, cfnlint)."""
    os.environ.setdefault("AWS_DEFAULT_REGION", PSEUDO["AWS::Region"])  # the translator asks, offline
    import cfnlint.data.AdditionalSpecs
    from samtranslator.translator.transform import transform

    sys.path.insert(0, str(ROOT))
    from local.cfn import load_template

    class NoManagedPolicies:
        def load(self) -> dict[str, str]:
            return {}

    template = load_template()
    for resource in template["Resources"].values():  # as `sam package` leaves them
        for key in ("CodeUri", "ContentUri"):
            if key in resource.get("Properties", {}):
                resource["Properties"][key] = "s3://packaged/code.zip"
    parameters = {name: p.get("Default", "") for name, p in template.get("Parameters", {}).items()}
    transformed = transform(template, parameters, NoManagedPolicies())
    functions = function_statements(transformed)
    reference = json.loads((Path(cfnlint.data.AdditionalSpecs.__file__).parent / "Policies.json").read_text())
    used = {a for statements in functions.values() for s in statements for a in s["actions"]}
    services = {a.split(":", 1)[0] for a in used}
    known, resource_less = [], []
    for service in sorted(services):
        for action, facts in reference.get(service, {}).get("Actions", {}).items():
            known.append(f"{service}:{action}")
            if not facts.get("Resources"):
                resource_less.append(f"{service}:{action}")
    return {
        "functions": functions,
        "services": sorted(services),
        "resource_less_actions": resource_less,
        "known_actions": known,
    }


def expanded(actions: list[str], known: set[str]) -> list[tuple[str, str | None]]:
    """(as written, each IAM action it names in lower case); None when it names none."""
    pairs: list[tuple[str, str | None]] = []
    for action in actions:
        names = sorted(k for k in known if fnmatch.fnmatchcase(k, action.lower()))
        pairs += [(action, name) for name in names] or [(action, None)]
    return pairs


def findings(rendered: dict[str, Any]) -> list[str]:
    """Actions unknown to the reference, or allowed on resources they cannot (or need not) have."""
    known = set(rendered["known_actions"])
    resource_less = set(rendered["resource_less_actions"])
    problems = []
    for function, statements in sorted(rendered["functions"].items()):
        for statement in statements:
            everything = "*" in statement["resources"]
            for action, name in expanded(statement["actions"], known):
                if name is None:
                    problems.append(f"{function}: {action} is no IAM action")
                elif name in resource_less and not everything:
                    problems.append(
                        f"{function}: {action} takes no resource (Service Authorization Reference): "
                        f'on {statement["resources"]} it is allowed nowhere; use "*"'
                    )
                elif name not in resource_less and everything:
                    problems.append(f'{function}: {action} can be scoped to its resources, not "*"')
    return problems


def main(argv: list[str]) -> int:
    rendered = render()
    text = json.dumps(rendered, indent=1, sort_keys=True) + "\n"
    if "--write" in argv:
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(text)
    problems = findings(rendered)
    if not SNAPSHOT.exists() or SNAPSHOT.read_text() != text:
        problems.append(f"{SNAPSHOT.relative_to(ROOT)} is stale: run `make iam-policies`")
    for problem in problems:
        print(f"IAM: {problem}")
    print(
        f"IAM check: {sum(len(s) for s in rendered['functions'].values())} statements, {len(problems)} findings"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
