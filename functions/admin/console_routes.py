"""The admin console's page and assets (static/), public like any login page: the data it shows
comes from the /admin API, which the JWT authorizer guards."""

from pathlib import Path

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from helpdesk.api.responses import StaticSite

router = Router()

STATIC = Path(__file__).resolve().parent / "static"
SITE = StaticSite(STATIC / "index.html", STATIC / "assets")


@router.get("/console")
@router.get("/console/")
def page() -> Response:
    return SITE.page()


@router.get("/console/assets/<name>")
def asset(name: str) -> Response:
    return SITE.asset(name)
