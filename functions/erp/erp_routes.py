"""ERP events: `POST /erp/events`, authenticated by HMAC (no JWT), applied by helpdesk.logic.erp."""

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError

from helpdesk.config import secret
from helpdesk.logic import erp
from helpdesk.web import raw_body

logger = Logger(child=True)
router = Router()


@router.post("/erp/events")
def erp_event():
    event = router.current_event
    return erp.receive(
        raw_body(event), event.headers or {}, secret("erp_hmac_secret"), lambda_context=router.lambda_context
    )


def _error(status: int, **body) -> Response:
    return Response(status, content_types.APPLICATION_JSON, body)


@router.exception_handler(erp.Unauthorized)
def unauthorized(error: erp.Unauthorized):
    logger.warning("ERP event refused", extra={"reason": str(error)})
    return _error(401, message="Unauthorized")


@router.exception_handler(erp.InvalidEvent)
def invalid(error: erp.InvalidEvent):
    logger.info("invalid ERP event", extra={"field": error.field})
    return _error(422, message=f"Invalid field '{error.field}': {error.message}", field=error.field)


@router.exception_handler(erp.UnknownTicket)
def unknown_ticket(error: erp.UnknownTicket):
    return _error(404, message=f"Ticket {error.number} not found", ticket_number=error.number)


@router.exception_handler(IdempotencyAlreadyInProgressError)
def in_progress(error):
    return _error(409, message="This event is being applied right now; retry in a moment")
