"""Admin API for the files of an answer too large for one request, sent in parts before the answer.
Same conventions as admin_api (errors, auth); documented in docs/openapi.yaml.
"""

from __future__ import annotations

import admin_api

from helpdesk.api import errors
from helpdesk.api.http import Router
from helpdesk.api.requests import int_path, raw_body
from helpdesk.api.responses import created, no_content
from helpdesk.logic.admin import agent_tickets

router = Router()


@router.post("/admin/uploads", middlewares=admin_api.ADMIN_ONLY)
def start_upload():
    """A file for an answer, larger than one request carries: checked here ({filename, mimetype,
    size}), then sent in parts, then named in the answer's attachments as {upload_id, ...}."""
    body = admin_api.json_object()
    upload = agent_tickets.start_upload(body.get("filename"), body.get("mimetype"), body.get("size"))
    return created({"upload_id": upload.upload_id, "part_bytes": upload.part_bytes, "parts": upload.parts})


@router.put("/admin/uploads/<upload_id>/parts/<part>", middlewares=admin_api.ADMIN_ONLY)
def store_upload_part(upload_id: str, part: str):
    """One part: the raw bytes (application/octet-stream), parts numbered from 0."""
    number = int_path(part, errors.InvalidInput("O número da parte deve ser numérico.", "part"))
    agent_tickets.store_part(upload_id, number, raw_body(router.current_event))
    return no_content()
