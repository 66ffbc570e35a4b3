"""What the admin console does, by subject: WhatsApp numbers (instances), their counters,
companies, request types, ticket statuses and tickets. No HTTP here: the admin routes parse requests, call these
with the request's `Services` and shape responses; failures are `AdminError` subclasses.
"""

from helpdesk.logic.admin.companies import (
    CompanyImpact,
    company_impact,
    create_company,
    delete_company,
    list_companies,
    update_company,
    valid_cnpj,
)
from helpdesk.logic.admin.errors import (
    AdminError,
    Conflict,
    GatewayFailed,
    InvalidInput,
    NotFound,
    required_text,
)
from helpdesk.logic.admin.instances import (
    BOT_NUMBER_WARNING,
    AgentType,
    connect_instance,
    create_instance,
    delete_instance,
    get_instance,
    list_instances,
)
from helpdesk.logic.admin.request_types import (
    RequestKind,
    RequestTypeChanges,
    create_request_type,
    delete_request_type,
    list_request_types,
    reaches_whatsapp,
    update_request_type,
)
from helpdesk.logic.admin.stats import MAX_STATS_DAYS, Counts, InstanceStats, instance_stats
from helpdesk.logic.admin.statuses import get_statuses, save_statuses
from helpdesk.logic.admin.tickets import (
    TicketFilters,
    TicketWithActions,
    get_ticket,
    list_tickets,
    post_agent_action,
)

__all__ = [
    "BOT_NUMBER_WARNING",
    "MAX_STATS_DAYS",
    "AdminError",
    "AgentType",
    "CompanyImpact",
    "Conflict",
    "Counts",
    "GatewayFailed",
    "InstanceStats",
    "InvalidInput",
    "NotFound",
    "RequestKind",
    "RequestTypeChanges",
    "TicketFilters",
    "TicketWithActions",
    "company_impact",
    "connect_instance",
    "create_company",
    "create_instance",
    "create_request_type",
    "delete_company",
    "delete_instance",
    "delete_request_type",
    "get_instance",
    "get_statuses",
    "get_ticket",
    "instance_stats",
    "list_companies",
    "list_instances",
    "list_request_types",
    "list_tickets",
    "post_agent_action",
    "reaches_whatsapp",
    "required_text",
    "save_statuses",
    "update_company",
    "update_request_type",
    "valid_cnpj",
]
