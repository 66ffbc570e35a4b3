"""The requester portal: sessions (`sessions`, tokens in helpdesk.domain.portal_session), login
lockout (`lockout`), the requester's own tickets (`queries`), posting on them (`posting`) and
opening one (`opening`).

No HTTP here: the routes (functions/portal/portal_routes.py) turn these results and exceptions
into responses and cookies. Every entry point that needs time or a gateway takes a `Services`.
"""

from helpdesk.domain.portal_session import Session
from helpdesk.logic.portal.articles import offered_from, resolved, suggest
from helpdesk.logic.portal.lockout import FAILURE_WINDOW, LOCKOUT, MAX_FAILURES, Locked
from helpdesk.logic.portal.opening import NewTicketChoices, new_ticket_choices, open_ticket
from helpdesk.logic.portal.posting import (
    MAX_FILES,
    MAX_TEXT,
    MAX_UPLOAD_BYTES,
    InvalidAction,
    UploadedFile,
    parse_files,
    post_action,
)
from helpdesk.logic.portal.queries import (
    CompanyTickets,
    NotFound,
    RequesterTickets,
    TicketView,
    list_tickets,
    their_ticket,
    ticket_view,
)
from helpdesk.logic.portal.sessions import (
    SESSION_SECONDS,
    InvalidCredentials,
    LoginResult,
    PortalUnavailable,
    authenticate,
    decode_session,
    login,
    normalize_username,
    sign_session,
)

__all__ = [
    "FAILURE_WINDOW",
    "LOCKOUT",
    "MAX_FAILURES",
    "MAX_FILES",
    "MAX_TEXT",
    "MAX_UPLOAD_BYTES",
    "SESSION_SECONDS",
    "InvalidAction",
    "InvalidCredentials",
    "Locked",
    "LoginResult",
    "NewTicketChoices",
    "CompanyTickets",
    "NotFound",
    "RequesterTickets",
    "TicketView",
    "PortalUnavailable",
    "Session",
    "UploadedFile",
    "authenticate",
    "decode_session",
    "list_tickets",
    "login",
    "new_ticket_choices",
    "open_ticket",
    "normalize_username",
    "offered_from",
    "resolved",
    "suggest",
    "their_ticket",
    "parse_files",
    "post_action",
    "sign_session",
    "ticket_view",
]
