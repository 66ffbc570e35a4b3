"""ERP events: `POST /erp/events`, authenticated by HMAC (no JWT), applied by helpdesk.logic.erp."""

from aws_lambda_powertools import Logger

from helpdesk.api import errors
from helpdesk.api.http import Router
from helpdesk.api.requests import raw_body
from helpdesk.config import secret
from helpdesk.logic import erp
from helpdesk.logic.services import Services
from helpdesk.storage import idempotency

logger = Logger(child=True)
router = Router()


def services() -> Services:
    """The live services (the wall clock, the gateway built on first use); a test hands its own by
    replacing this."""
    return Services()


@router.post("/erp/events")
def erp_event():
    event = router.current_event
    return erp.receive(
        services(),
        raw_body(event),
        event.headers or {},
        secret("erp_hmac_secret"),
        lambda_context=router.lambda_context,
    )


def unauthorized(error: erp.Unauthorized) -> errors.AppError:
    # The reason is for our logs only: the ERP learns nothing about which check failed.
    logger.warning("ERP event refused", extra={"reason": str(error)})
    return errors.Unauthorized("Unauthorized")


def invalid(error: erp.InvalidEvent) -> errors.AppError:
    logger.info("invalid ERP event", extra={"field": error.field})
    return errors.InvalidInput(f"Invalid field '{error.field}': {error.message}", error.field)


# What helpdesk.logic.erp (and its idempotency) raise, as the ERP reads it (docs/erp.md).
ERRORS: errors.Translations = {
    erp.Unauthorized: unauthorized,
    erp.InvalidEvent: invalid,
    erp.UnknownTicket: lambda error: errors.NotFound(
        f"Ticket {error.number} not found", ticket_number=error.number
    ),
    idempotency.AlreadyInProgress: lambda _: errors.Conflict(
        "This event is being applied right now; retry in a moment"
    ),
}
