"""Static sites the local stack serves beside the API: the WhatsApp simulator and the admin SPA.

In AWS the admin SPA is uploaded to a bucket behind CloudFront; the simulator exists only here.
"""

from __future__ import annotations

import os

from werkzeug.utils import safe_join
from werkzeug.wrappers import Request, Response

from local.apigw import LocalHttpApi
from local.cfn import ROOT

ADMIN_SITE = ROOT / "functions" / "admin" / "static"


class StaticSite:
    """Serves index.html at the root and files below `assets/`; nothing else."""

    def __init__(self, directory) -> None:
        self.directory = directory

    def __call__(self, environ, start_response):
        request = Request(environ)
        path = request.path.lstrip("/") or "index.html"
        full = (
            safe_join(str(self.directory), path)
            if path == "index.html" or path.startswith("assets/")
            else None
        )
        if request.method != "GET" or full is None or not os.path.isfile(full):
            return Response("Not Found", status=404)(environ, start_response)
        with open(full, "rb") as file:
            response = Response(file.read(), mimetype=_mimetype(full))
        response.headers["Cache-Control"] = "no-cache"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'"
        )
        return response(environ, start_response)


def _mimetype(path: str) -> str:
    for suffix, kind in (
        (".html", "text/html"),
        (".js", "text/javascript"),
        (".css", "text/css"),
        (".svg", "image/svg+xml"),
    ):
        if path.endswith(suffix):
            return kind + ("; charset=utf-8" if not kind.startswith("image") else "")
    return "application/octet-stream"


class AdminSite(StaticSite):
    """The SPA shares /admin with the API: only the page and its assets are served statically."""

    def claims(self, path: str) -> bool:
        return path in ("/admin", "/admin/") or path.startswith("/admin/assets/")


def mount_static_sites(api: LocalHttpApi, base_url: str) -> None:
    from local.simulator import SimulatorApp

    api.mount(
        "/simulator",
        SimulatorApp(webhook_url=f"{base_url}/webhooks/evolution", webhook_token=os.environ["WEBHOOK_TOKEN"]),
    )
    site = AdminSite(ADMIN_SITE)
    api.mount("/admin", site, claims=site.claims)
