"""Admin API for the WhatsApp numbers (instances): create, link (QR), delete, their stats.
Same conventions as admin_api (errors, auth); documented in docs/openapi.yaml.
"""

from __future__ import annotations

import admin_api

from helpdesk.api.http import Router
from helpdesk.api.requests import int_query, text_field
from helpdesk.api.responses import created, no_content
from helpdesk.api.shapes import instance_json, stats_json
from helpdesk.logic.admin import instances, stats

router = Router()

DEFAULT_STATS_DAYS = 7


@router.get("/admin/instances", middlewares=admin_api.ADMIN_ONLY)
def list_instances():
    return {"items": [instance_json(i, with_qr=False) for i in instances.list_instances()]}


@router.post("/admin/instances", middlewares=admin_api.ADMIN_ONLY)
def create_instance():
    body = admin_api.json_object()
    instance = instances.create_instance(
        admin_api.services(),
        name=text_field(body, "name", required=True),
        agent_type=text_field(body, "agent_type") or instances.AgentType.BOT.value,
        api_key=text_field(body, "api_key"),
    )
    return created({**instance_json(instance), "warning": instances.BOT_NUMBER_WARNING})


@router.get("/admin/instances/<name>", middlewares=admin_api.ADMIN_ONLY)
def get_instance(name: str):
    return instance_json(instances.get_instance(name))


@router.delete("/admin/instances/<name>", middlewares=admin_api.ADMIN_ONLY)
def delete_instance(name: str):
    instances.delete_instance(admin_api.services(), name)
    return no_content()


@router.post("/admin/instances/<name>/connect", middlewares=admin_api.ADMIN_ONLY)
def connect_instance(name: str):
    return instance_json(instances.connect_instance(admin_api.services(), name))


@router.get("/admin/instances/<name>/stats", middlewares=admin_api.ADMIN_ONLY)
def instance_stats(name: str):
    days = int_query(router.current_event, "days", DEFAULT_STATS_DAYS, 1, stats.MAX_STATS_DAYS)
    return stats_json(stats.instance_stats(admin_api.services(), name, days), days)
