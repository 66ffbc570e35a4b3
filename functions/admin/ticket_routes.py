"""Admin API for the ticket desk: list, search and open tickets, answer them, change their status.
Same conventions as admin_api (errors, auth); documented in docs/openapi.yaml.
"""

from __future__ import annotations

import admin_api

from helpdesk.api.http import Router
from helpdesk.api.requests import bool_field, decode_cursor, encode_cursor, int_query, text_field
from helpdesk.api.responses import created
from helpdesk.api.shapes import action_json, ticket_detail_json, ticket_json
from helpdesk.logic.admin import agent_tickets, tickets

router = Router()

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@router.get("/admin/tickets", middlewares=admin_api.ADMIN_ONLY)
def list_tickets():
    query = router.current_event.get_query_string_value
    page = tickets.list_tickets(
        tickets.TicketFilters(
            company=query("company", None), status=query("status", None), phone=query("phone", None)
        ),
        limit=int_query(router.current_event, "limit", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
        start_key=decode_cursor(query("cursor", None)),
    )
    return {"items": [ticket_json(t) for t in page.tickets], "next_cursor": encode_cursor(page.last_key)}


@router.get("/admin/tickets/<number>", middlewares=admin_api.ADMIN_ONLY)
def get_ticket(number: str):
    found = tickets.get_ticket(admin_api.ticket_number(number))
    return ticket_detail_json(found)


@router.post("/admin/tickets/<number>/actions", middlewares=admin_api.ADMIN_ONLY)
def post_ticket_action(number: str):
    """An answer: text and/or files (`attachments`: [{filename, mimetype, upload_id}] for files sent
    through /admin/uploads, or [{filename, mimetype, content (base64)}] for small ones), optionally
    with a new `status`."""
    body = admin_api.json_object()
    visible = bool_field(body, "visible_to_requester")
    action = agent_tickets.answer(
        admin_api.services(),
        admin_api.ticket_number(number),
        author_name=text_field(body, "author_name") or admin_api.author_name(),
        text=text_field(body, "text"),
        files=agent_tickets.parse_files(body.get("attachments")),
        status=text_field(body, "status") or None,
        visible_to_requester=True if visible is None else visible,
        action_id=text_field(body, "action_id"),
    )
    return created(action_json(action))


@router.post("/admin/tickets/<number>/status", middlewares=admin_api.ADMIN_ONLY)
def change_ticket_status(number: str):
    body = admin_api.json_object()
    action = tickets.post_agent_action(
        admin_api.services(),
        admin_api.ticket_number(number),
        author_name=text_field(body, "author_name") or admin_api.author_name(),
        text=text_field(body, "text"),
        status=text_field(body, "status", required=True),
        action_id=text_field(body, "action_id"),
    )
    return created(action_json(action))


@router.get("/admin/ticket-search", middlewares=admin_api.ADMIN_ONLY)
def search_tickets():
    found = agent_tickets.search(router.current_event.get_query_string_value("q", ""))
    return {"items": [ticket_json(t) for t in found]}
