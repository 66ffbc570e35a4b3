"""Post-deploy smoke test: `make smoke API_URL=... ADMIN_EMAIL=... ADMIN_PASSWORD=...`.

Checks a running stack from outside, as its users reach it, without sending any WhatsApp message
(the webhook and ERP calls are refused or name a ticket that does not exist). One line per check;
the exit status is 1 when any check failed.

The signed ERP check needs the ERP secret: ERP_HMAC_SECRET, or else it is read from the deployed
stack (STACK_NAME, default samconfig.toml's, output ErpSecretArn; needs AWS credentials allowed
to read that secret). The admin must have completed the first login (new password) already.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

TIMEOUT = 15
MISSING_TICKET = 999_999_999
ROOT = Path(__file__).resolve().parents[1]


class CheckFailed(Exception):
    pass


def expect(response: requests.Response, status: int) -> str:
    if response.status_code != status:
        raise CheckFailed(f"expected {status}, got {response.status_code}: {response.text[:200]}")
    return f"{status}"


def default_stack_name() -> str:
    for line in (ROOT / "samconfig.toml").read_text().splitlines():
        if line.strip().startswith("stack_name"):
            return line.split("=", 1)[1].strip().strip('"')
    return "whatsapp-helpdesk"


def erp_secret() -> str:
    if os.environ.get("ERP_HMAC_SECRET"):
        return os.environ["ERP_HMAC_SECRET"]
    import boto3

    stack = boto3.client("cloudformation").describe_stacks(
        StackName=os.environ.get("STACK_NAME") or default_stack_name()
    )["Stacks"][0]
    arn = next(o["OutputValue"] for o in stack["Outputs"] if o["OutputKey"] == "ErpSecretArn")
    value = boto3.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"]
    return json.loads(value)["erp_hmac_secret"]


def signed_headers(body: bytes, secret: str) -> dict[str, str]:
    """docs/erp.md: X-Signature = sha256= HMAC-SHA256(secret, "{X-Timestamp}.{raw body}")."""
    timestamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Timestamp": timestamp, "X-Signature": f"sha256={digest}", "Content-Type": "application/json"}


def erp_event() -> bytes:
    return json.dumps(
        {
            "event_id": f"smoke-{secrets.token_hex(8)}",
            "type": "action.created",
            "ticket_number": MISSING_TICKET,
            "text": "smoke test",
        }
    ).encode()


def admin_id_token(api: str, email: str, password: str) -> str:
    config = requests.get(f"{api}/console/config.json", timeout=TIMEOUT)
    expect(config, 200)
    settings = config.json()
    answer = requests.post(
        settings["cognito_endpoint"],
        data=json.dumps(
            {
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": settings["client_id"],
                "AuthParameters": {"USERNAME": email, "PASSWORD": password},
            }
        ),
        headers={
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
            "Content-Type": "application/x-amz-json-1.1",
        },
        timeout=TIMEOUT,
    )
    data = answer.json() if answer.content else {}
    if answer.status_code != 200:
        raise CheckFailed(f"Cognito refused the login: {data.get('__type', answer.status_code)}")
    if "AuthenticationResult" not in data:
        raise CheckFailed(f"Cognito asks for {data.get('ChallengeName')}: log in once in the console first")
    return data["AuthenticationResult"]["IdToken"]


def checks(api: str, email: str, password: str) -> list[tuple[str, Callable[[], str]]]:
    def forged_webhook() -> str:
        return expect(
            requests.post(
                f"{api}/webhooks/evolution",
                json={"event": "messages.upsert", "instance": "smoke", "data": {}},
                headers={"x-webhook-token": "forged-" + secrets.token_hex(8)},
                timeout=TIMEOUT,
            ),
            401,
        )

    def unsigned_erp_event() -> str:
        body = erp_event()
        return expect(
            requests.post(
                f"{api}/erp/events", data=body, headers={"Content-Type": "application/json"}, timeout=TIMEOUT
            ),
            401,
        )

    def signed_erp_event_for_a_missing_ticket() -> str:
        body = erp_event()
        headers = signed_headers(body, erp_secret())
        return expect(requests.post(f"{api}/erp/events", data=body, headers=headers, timeout=TIMEOUT), 404)

    def portal_page() -> str:
        return expect(requests.get(f"{api}/portal", timeout=TIMEOUT), 200)

    def console_page() -> str:
        return expect(requests.get(f"{api}/console", timeout=TIMEOUT), 200)

    def admin_login_and_dashboard() -> str:
        token = admin_id_token(api, email, password)
        response = requests.get(
            f"{api}/admin/dashboard", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT
        )
        expect(response, 200)
        return f"200 ({len(response.json()['instances'])} instances)"

    return [
        ("forged webhook is refused (401)", forged_webhook),
        ("unsigned ERP event is refused (401)", unsigned_erp_event),
        ("signed ERP event for a missing ticket (404)", signed_erp_event_for_a_missing_ticket),
        ("portal page (200)", portal_page),
        ("console page (200)", console_page),
        ("admin login (Cognito) -> dashboard data (200)", admin_login_and_dashboard),
    ]


def main() -> int:
    api = os.environ.get("API_URL", "").rstrip("/")
    email, password = os.environ.get("ADMIN_EMAIL", ""), os.environ.get("ADMIN_PASSWORD", "")
    if not (api and email and password):
        print("usage: make smoke API_URL=https://... ADMIN_EMAIL=... ADMIN_PASSWORD=...", file=sys.stderr)
        return 2
    failed = 0
    planned = checks(api, email, password)
    for name, check in planned:
        try:
            print(f"ok   {name}: {check()}", flush=True)
        except (CheckFailed, requests.RequestException, KeyError, ValueError, StopIteration) as error:
            failed += 1
            print(f"FAIL {name}: {error}", flush=True)
        except Exception as error:  # noqa: BLE001 - e.g. no AWS credentials for the secret: a failed check
            failed += 1
            print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)
    print(f"{len(planned) - failed}/{len(planned)} checks passed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
