"""The admin console's page and assets (static/), public like any login page: the data it shows
comes from the /admin API, which the JWT authorizer guards."""

from pathlib import Path

from aws_lambda_powertools.event_handler.api_gateway import Router

from helpdesk.api.responses import StaticSite

router = Router()

STATIC = Path(__file__).resolve().parent / "static"
StaticSite(STATIC / "index.html", STATIC / "assets").serve_at(router, "/console")
