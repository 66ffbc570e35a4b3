"""Success answers of the API functions, and the static pages they serve beside their API."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from http import HTTPStatus
from pathlib import Path
from typing import Any

from aws_lambda_powertools.shared.cookies import Cookie

from helpdesk.api.errors import SECURITY_HEADERS, NotFound
from helpdesk.api.http import Response, Router, content_types

# The pages load only their own files and talk only to their own origin.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}


def json_response(
    status: int,
    payload: Any,
    *,
    headers: Mapping[str, str] | None = None,
    cookies: list[Cookie] | None = None,
) -> Response:
    return Response(
        status_code=int(status),
        content_type=content_types.APPLICATION_JSON,
        body=payload,
        headers={**SECURITY_HEADERS, **(headers or {})},
        cookies=cookies,
    )


def created(payload: Any) -> Response:
    return json_response(HTTPStatus.CREATED, payload)


def no_content() -> Response:
    return Response(status_code=HTTPStatus.NO_CONTENT.value, body="", headers=dict(SECURITY_HEADERS))


class StaticSite:
    """A page (index.html) and its assets, served with a strict CSP.

    Only files listed in `assets` at cold start are served, by their bare name: no path from
    the request ever reaches the file system."""

    def __init__(self, page: Path, assets: Path, csp: str | Callable[[], str] = PAGE_CSP) -> None:
        # A callable is asked on the first page served (it may need the function's settings).
        self._csp = csp
        self.page_file = page
        self.assets = {
            path.name: path
            for path in sorted(assets.iterdir())
            if path.suffix in CONTENT_TYPES and path != page
        }

    @property
    def csp(self) -> str:
        if callable(self._csp):
            self._csp = self._csp()
        return self._csp

    def _serve(self, path: Path) -> Response:
        return Response(
            200,
            CONTENT_TYPES[path.suffix],
            path.read_text(encoding="utf-8"),
            headers={**SECURITY_HEADERS, "Cache-Control": "no-cache", "Content-Security-Policy": self.csp},
        )

    def page(self) -> Response:
        return self._serve(self.page_file)

    def asset(self, name: str) -> Response:
        if name not in self.assets:
            raise NotFound("Não encontrado.")
        return self._serve(self.assets[name])

    def serve_at(self, router: Router, prefix: str) -> None:
        """Routes `prefix` (and `prefix/`) to the page and `prefix/assets/<name>` to the assets."""
        router.get(prefix)(self.page)
        router.get(f"{prefix}/")(self.page)
        router.get(f"{prefix}/assets/<name>")(self.asset)
