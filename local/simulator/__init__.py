"""A WhatsApp stand-in for local use: a phone-like chat page plus the HTTP side of SimulatorGateway.

Mounted by the local stack under /simulator (PATH_INFO arrives relative to it):

  GET  /                                  the chat page (static/index.html)
  GET  /api/config                        {"instance", "webhook_url", "webhook_path", "webhook_token",
                                          "api_key"}
  POST /api/voice-notes                   {"said", "seconds"?} -> {"mimetype", "seconds", "size", "base64"}:
                                          a voice note the local Transcribe stand-in hears as `said`
  POST /api/outbox                        bot reply {"instance","phone","text"} or {..., "media": {...}}
  GET  /api/messages?phone=&after=<seq>&wait=<s>
                                          {"messages": [{"seq","instance","phone","text","media","at",
                                          "at_epoch"}],
                                          "last_seq"}; without phone: every phone. With `wait` (at
                                          most 25 s), answered when a message arrives (long polling)
  GET  /api/instances                     {"items": [{"instance", "state"}]}: every number it knows
  POST /api/instances/<name>              create (state "close")
  GET  /api/instances/<name>              {"instance", "state"} ("close" when unknown; the default
                                          instance starts "open")
  POST /api/instances/<name>/connect      {"code", "pairing_code", "state": "connecting"} + qrcode.updated
  POST /api/instances/<name>/scan         state "open" + connection.update webhook (state open)
  POST /api/instances/<name>/logout       state "close" + connection.update webhook (state close)
  DELETE /api/instances/<name>            forget it
  POST /api/cloud                         {"username", "text" | "voice": {"base64", "mimetype"},
                                          "name"?, "quoted_id"?}: a user with a username and no phone
                                          writes; posted as the Cloud API does (signed, BSUID only;
                                          audio by media id, no length) -> 202 {"bsuid"}
  GET  /api/media/<id>                    a voice note's bytes, as the Cloud API's media download

The page posts real Evolution `messages.upsert` webhooks straight to the product's webhook route;
instance events are posted by this app (in a background thread, so a single-threaded server that
hosts both this app and the webhook route cannot deadlock).
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
import string
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from werkzeug.exceptions import BadRequest, HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from local.simulator import cloud_contact
from local.transcribe import SaidRegistry, speaking_seconds, voice_note

logger = logging.getLogger(__name__)

INDEX = Path(__file__).parent / "static" / "index.html"
MAX_MESSAGES = 1000  # kept in memory, oldest dropped first
MAX_WAIT = 25.0  # seconds a long poll of /api/messages may be held
_PAIRING_ALPHABET = string.ascii_uppercase + string.digits

WebhookPoster = Callable[[dict[str, Any]], None]


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json")


class SimulatorApp:
    def __init__(
        self,
        webhook_url: str,
        webhook_token: str,
        instance: str = "suporte",
        api_key: str = "simulator",
        post_webhook: WebhookPoster | None = None,
        send_delay: float = 0.0,
        cloud_app_secret: str = "",
        said: SaidRegistry | None = None,
    ) -> None:
        self.webhook_url = webhook_url
        self.webhook_token = webhook_token
        self.instance = instance
        self.api_key = api_key
        self._post_webhook = post_webhook or self._post_in_background
        # A real gateway takes 100-500 ms per send: the load benchmark sets this to stand in for one.
        self.send_delay = send_delay
        self.cloud_app_secret = cloud_app_secret
        self.said = said or SaidRegistry()
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)  # a reply kept: long polls answer at once
        self._messages: list[dict[str, Any]] = []
        self._media: dict[str, bytes] = {}  # voice notes sent as a Cloud API contact, by media id
        self._seq = 0
        self._states: dict[str, str] = {instance: "open"}  # the demo number starts linked
        self._urls = Map(
            [
                Rule("/", endpoint="index", methods=["GET"]),
                Rule("/api/config", endpoint="config", methods=["GET"]),
                Rule("/api/outbox", endpoint="outbox", methods=["POST"]),
                Rule("/api/messages", endpoint="messages", methods=["GET"]),
                Rule("/api/voice-notes", endpoint="voice_note", methods=["POST"]),
                Rule("/api/instances", endpoint="instances", methods=["GET"]),
                Rule("/api/instances/<name>", endpoint="instance", methods=["GET", "POST", "DELETE"]),
                Rule("/api/cloud", endpoint="cloud", methods=["POST"]),
                Rule("/api/media/<media_id>", endpoint="media", methods=["GET"]),
                Rule(
                    "/api/instances/<name>/<any(connect, scan, logout):action>",
                    endpoint="action",
                    methods=["POST"],
                ),
            ],
            strict_slashes=False,
        )

    # ---------------------------------------------------------------- WSGI

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        request = Request(environ)
        if not environ.get("PATH_INFO") and request.script_root:  # "/simulator" -> "/simulator/"
            return redirect(request.script_root + "/")(environ, start_response)
        try:
            endpoint, args = self._urls.bind_to_environ(environ).match()
            response = getattr(self, f"_on_{endpoint}")(request, **args)
        except (NotFound, MethodNotAllowed) as exc:
            response = _json({"error": exc.name}, exc.code or 404)
        except HTTPException as exc:
            response = _json({"error": exc.description}, exc.code or 400)
        return response(environ, start_response)

    # ---------------------------------------------------------------- page and config

    def _on_index(self, request: Request) -> Response:
        return Response(INDEX.read_bytes(), mimetype="text/html", headers={"Cache-Control": "no-store"})

    def _on_config(self, request: Request) -> Response:
        return _json(
            {
                "instance": self.instance,
                "webhook_url": self.webhook_url,
                "webhook_path": urlsplit(self.webhook_url).path or "/webhooks/evolution",
                "webhook_token": self.webhook_token,
                "api_key": self.api_key,
            }
        )

    # ---------------------------------------------------------------- bot replies

    def _on_outbox(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("phone"), str) or not body["phone"]:
            raise BadRequest("expected {instance, phone, text | media}")
        text, media = body.get("text"), body.get("media")
        if not isinstance(text, str) and not isinstance(media, dict):
            raise BadRequest("expected text or media")
        if self.send_delay:
            time.sleep(self.send_delay)  # the message reaches the phone when the gateway answers
        with self._lock:
            self._seq += 1
            self._messages.append(
                {
                    "seq": self._seq,
                    "instance": str(body.get("instance") or self.instance),
                    "phone": body["phone"],
                    "text": text if isinstance(text, str) else None,
                    "media": media if isinstance(media, dict) else None,
                    # to the millisecond: the page orders these against the requester's own messages
                    "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                    "at_epoch": time.time(),
                }
            )
            del self._messages[:-MAX_MESSAGES]
            seq = self._seq
            self._arrived.notify_all()
        return _json({"seq": seq}, 201)

    def _on_messages(self, request: Request) -> Response:
        phone = request.args.get("phone") or None
        try:
            after = int(request.args.get("after", "0") or 0)
            wait = min(float(request.args.get("wait", "0") or 0), MAX_WAIT)
        except ValueError as exc:
            raise BadRequest("after and wait must be numbers") from exc
        deadline = time.monotonic() + wait
        with self._lock:
            while True:
                found = [
                    m for m in self._messages if m["seq"] > after and (phone is None or m["phone"] == phone)
                ]
                left = deadline - time.monotonic()
                if found or left <= 0:
                    break
                self._arrived.wait(left)
            last = self._seq
        return _json({"messages": found, "last_seq": last})

    def messages(self, phone: str | None = None) -> list[dict[str, Any]]:
        """The replies kept so far (for tests and the local stack)."""
        with self._lock:
            return [dict(m) for m in self._messages if phone is None or m["phone"] == phone]

    # ---------------------------------------------------------------- a contact with a username

    def _on_cloud(self, request: Request) -> Response:
        """Since 2026 a WhatsApp user with a username may hide their phone: the Cloud API then names
        them by a business-scoped user ID only. Posted to the product's Cloud webhook, signed."""
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("username"), str) or not body["username"]:
            raise BadRequest("expected {username, text | voice}")
        username = "@" + body["username"].strip().lstrip("@")
        name = body.get("name") if isinstance(body.get("name"), str) and body.get("name") else "Simulador"
        quoted = body.get("quoted_id") if isinstance(body.get("quoted_id"), str) else None
        message, raw = cloud_contact.delivery(
            username, name, self._cloud_content(body), quoted, self.instance
        )
        url = self.webhook_url.rsplit("/", 1)[0] + "/cloud"
        headers = {
            "content-type": "application/json",
            "x-hub-signature-256": cloud_contact.signature(self.cloud_app_secret, raw),
        }
        threading.Thread(target=self._post_raw, args=(url, raw, headers), daemon=True).start()
        return _json({"bsuid": message["from_user_id"], "message_id": message["id"]}, 202)

    def _cloud_content(self, body: dict[str, Any]) -> dict[str, Any]:
        """A text, or a voice note kept here under a media id (the Cloud API sends no length)."""
        voice = body.get("voice")
        if isinstance(voice, dict) and isinstance(voice.get("base64"), str):
            media_id = f"SIMMEDIA{secrets.token_hex(8).upper()}"
            self._media[media_id] = base64.b64decode(voice["base64"])
            mimetype = voice.get("mimetype") if isinstance(voice.get("mimetype"), str) else "audio/ogg"
            return {"type": "audio", "audio": {"id": media_id, "mime_type": mimetype, "voice": True}}
        if isinstance(body.get("text"), str) and body["text"]:
            return {"type": "text", "text": {"body": body["text"]}}
        raise BadRequest("expected {username, text | voice}")

    def _on_media(self, request: Request, media_id: str) -> Response:
        content = self._media.get(media_id)
        if content is None:
            raise NotFound()
        return Response(content, mimetype="application/octet-stream")

    def _post_raw(self, url: str, raw: bytes, headers: dict[str, str]) -> None:
        try:
            response = requests.post(url, data=raw, headers=headers, timeout=10)
            if response.status_code >= 400:
                logger.warning("cloud webhook refused: %s", response.status_code)
        except requests.RequestException as exc:
            logger.warning("cloud webhook failed: %s", type(exc).__name__)

    # ---------------------------------------------------------------- voice notes

    def _on_voice_note(self, request: Request) -> Response:
        """A voice note saying `said`: an Ogg/Opus file as long as saying it takes (or `seconds`),
        recorded for the local Transcribe stand-in, which "hears" that text in it."""
        body = request.get_json(silent=True)
        said = body.get("said") if isinstance(body, dict) else None
        if not isinstance(said, str) or not said.strip():
            raise BadRequest("expected {said, seconds?}")
        seconds = body.get("seconds") or speaking_seconds(said)
        if not isinstance(seconds, int | float) or not 0 < seconds <= 3600:
            raise BadRequest("seconds must be between 1 and 3600")
        audio = voice_note(seconds)
        self.said.record(audio, said.strip())
        return _json(
            {
                "mimetype": "audio/ogg; codecs=opus",
                "seconds": round(seconds),
                "size": len(audio),
                "base64": base64.b64encode(audio).decode(),
            },
            201,
        )

    # ---------------------------------------------------------------- instances (admin QR flow)

    def _on_instances(self, request: Request) -> Response:
        """Every number it knows (the demo one and those the console created), for the page's choice."""
        with self._lock:
            items = [{"instance": name, "state": state} for name, state in sorted(self._states.items())]
        return _json({"items": items})

    def _on_instance(self, request: Request, name: str) -> Response:
        with self._lock:
            if request.method == "POST":
                self._states.setdefault(name, "close")
            elif request.method == "DELETE":
                self._states.pop(name, None)
                return _json({"instance": name, "deleted": True})
            state = self._states.get(name, "close")
        return _json({"instance": name, "state": state}, 201 if request.method == "POST" else 200)

    def _on_action(self, request: Request, name: str, action: str) -> Response:
        state = {"connect": "connecting", "scan": "open", "logout": "close"}[action]
        with self._lock:
            self._states[name] = state
        if action == "connect":
            code = "2@" + ",".join(secrets.token_urlsafe(n) for n in (60, 32, 32, 32))
            pairing = "".join(secrets.choice(_PAIRING_ALPHABET) for _ in range(8))
            qrcode = {"instance": name, "pairingCode": pairing, "code": code}
            self._post_webhook(self._envelope("qrcode.updated", name, {"qrcode": qrcode}))
            return _json({"instance": name, "code": code, "pairing_code": pairing, "state": state})
        reason = 401 if state == "close" else 200  # Evolution reports a logout as close/401
        self._post_webhook(
            self._envelope(
                "connection.update", name, {"instance": name, "state": state, "statusReason": reason}
            )
        )
        return _json({"instance": name, "state": state})

    # ---------------------------------------------------------------- webhooks to the product

    def _envelope(self, event: str, instance: str, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "event": event,
            "instance": instance,
            "data": data,
            "destination": self.webhook_url,
            "date_time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "sender": None,
            "server_url": "http://simulator.local",
            "apikey": self.api_key,
        }

    def _post_in_background(self, envelope: dict[str, Any]) -> None:
        threading.Thread(target=self._post, args=(envelope,), daemon=True).start()

    def _post(self, envelope: dict[str, Any]) -> None:
        for attempt in range(3):
            try:
                response = requests.post(
                    self.webhook_url,
                    json=envelope,
                    headers={"x-webhook-token": self.webhook_token},
                    timeout=10,
                )
                if response.status_code < 500:
                    if response.status_code >= 400:
                        logger.warning("webhook %s refused: %s", envelope["event"], response.status_code)
                    return
            except requests.RequestException as exc:
                logger.warning("webhook %s failed: %s", envelope["event"], type(exc).__name__)
            time.sleep(0.5 * (attempt + 1))
