"""What the Cloud API posts when a WhatsApp user with a username (and a hidden phone) writes: the
delivery, named by a business-scoped user ID only, and its signature (the app secret's HMAC)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any


def bsuid_of(username: str) -> str:
    """A stable stand-in BSUID for a simulated username (Meta's form: country, a dot, digits)."""
    digits = str(int(hashlib.sha256(username.lower().encode()).hexdigest(), 16))[:20]
    return f"BR.{digits}"


def delivery(
    username: str, name: str, content: dict[str, Any], quoted_id: str | None, phone_number_id: str
) -> tuple[dict[str, Any], bytes]:
    """The message (its id and the sender's BSUID in it) and the webhook body that carries it."""
    bsuid = bsuid_of(username)
    message = {"from_user_id": bsuid, "id": f"wamid.SIM{secrets.token_hex(8).upper()}"}
    message |= {"timestamp": str(int(time.time())), **content}
    if quoted_id:
        message["context"] = {"id": quoted_id}
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "5511400000000", "phone_number_id": phone_number_id},
        "contacts": [{"profile": {"name": name, "username": username}, "user_id": bsuid}],
        "messages": [message],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "simulator", "changes": [{"field": "messages", "value": value}]}],
    }
    return message, json.dumps(body, ensure_ascii=False).encode()


def signature(app_secret: str, raw: bytes) -> str:
    """The x-hub-signature-256 header Meta sends with a delivery."""
    return "sha256=" + hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()
