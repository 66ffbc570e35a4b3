"""`make admin EMAIL=ana@empresa.com.br`: invites an admin to the deployed stack's console.

Reads the stack's outputs (STACK_NAME, default samconfig.toml's; AWS credentials and region as the
AWS CLI finds them), creates the user in the AdminUserPool through helpdesk.aws.cognito (the same code
the console's "Convidar" uses): Cognito e-mails the temporary password, and the first login at the
ConsoleUrl asks for a new one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "layers" / "common"))
sys.path.insert(0, str(ROOT))


def main() -> int:
    if len(sys.argv) != 2 or not sys.argv[1].strip():
        print("usage: make admin EMAIL=ana@empresa.com.br", file=sys.stderr)
        return 2
    import boto3

    from helpdesk.aws import cognito
    from scripts.smoke import default_stack_name

    stack_name = os.environ.get("STACK_NAME") or default_stack_name()
    stack = boto3.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    os.environ["ADMIN_USER_POOL_ID"] = outputs["AdminUserPoolId"]
    try:
        invited = cognito.invite(sys.argv[1])
    except cognito.AdminDirectoryError as error:
        print(f"{error.message} ({sys.argv[1].strip()})", file=sys.stderr)
        return 1
    print(f"Invited {invited.email}: Cognito e-mails the temporary password.")
    print(f"Console: {outputs['ConsoleUrl']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
