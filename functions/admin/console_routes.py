"""The admin console's page and assets (static/), public like any login page, and the Cognito
settings it signs in with (identifiers, no secrets): the data it shows comes from the /admin API,
which the JWT authorizer guards."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from helpdesk.api.http import Response, Router
from helpdesk.api.responses import PAGE_CSP, StaticSite, json_response
from helpdesk.aws import s3

router = Router()

STATIC = Path(__file__).resolve().parent / "static"


def _region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


def cognito_endpoint() -> str:
    """Where the browser calls Cognito's API: the region's public endpoint in AWS; the local stack
    sets COGNITO_ENDPOINT_URL to its same-origin path to moto."""
    return os.environ.get("COGNITO_ENDPOINT_URL") or f"https://cognito-idp.{_region()}.amazonaws.com/"


def content_security_policy() -> str:
    """The pages' CSP, with Cognito's origin the only other place the console may connect to, and
    voice notes played from the media bucket."""
    endpoint = urlsplit(cognito_endpoint())
    policy = PAGE_CSP.replace(
        "connect-src 'self'", f"connect-src 'self' {endpoint.scheme}://{endpoint.netloc}"
    )
    return f"{policy}; media-src {s3.url_origin()}"


SITE = StaticSite(STATIC / "index.html", STATIC / "assets", csp=content_security_policy)
SITE.serve_at(router, "/console")


@router.get("/console/config.json")
def config() -> Response:
    return json_response(
        200,
        {
            "region": _region(),
            "user_pool_id": os.environ.get("ADMIN_USER_POOL_ID", ""),
            "client_id": os.environ.get("ADMIN_USER_POOL_CLIENT_ID", ""),
            "cognito_endpoint": cognito_endpoint(),
        },
        headers={"Cache-Control": "no-cache"},
    )
