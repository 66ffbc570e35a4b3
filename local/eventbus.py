"""EventBridge, locally: events put on the bus reach the functions whose rules (the template's
`EventBridgeRule` events) match them, invoked asynchronously as EventBridge invokes Lambda.

An invocation that raises is retried (`EventInvokeConfig.MaximumRetryAttempts`, after a pause as
Lambda waits between attempts), then the event goes to the function's `DeadLetterQueue`.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from datetime import UTC, datetime
from typing import Any

from local.event_filter import matches
from local.lambdas import ACCOUNT, REGION, Containers

log = logging.getLogger("local.eventbus")


def event(source: str, detail_type: str, detail: dict[str, Any], resources: list[str] | None = None) -> dict:
    """An event as EventBridge hands it to a target."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": source,
        "account": ACCOUNT,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": resources or [],
        "detail": detail,
    }


class LocalEventBus:
    """The default bus with the template's rules. `put` returns at once (asynchronous targets)."""

    def __init__(
        self,
        targets: list[Containers],
        sqs=None,
        queue_urls: dict[str, str] | None = None,
        retry_pause: float = 0.5,
    ) -> None:
        self.targets = [target for target in targets if target.spec.rules]
        self.sqs, self.queue_urls = sqs, queue_urls or {}
        self.retry_pause = retry_pause
        self.stop = threading.Event()

    def put(self, entry: dict[str, Any]) -> int:
        """Delivers the event to every matching rule's function; returns how many matched."""
        matched = [t for t in self.targets if any(matches(r.pattern, entry) for r in t.spec.rules)]
        for target in matched:
            threading.Thread(
                target=self._invoke, args=(target, entry), name=f"event-{target.name}", daemon=True
            ).start()
        return len(matched)

    def _invoke(self, target: Containers, entry: dict[str, Any]) -> None:
        for attempt in range(target.spec.async_retries + 1):
            try:
                target.invoke(entry)
                return
            except Exception:
                log.exception("%s raised on an event (attempt %d)", target.name, attempt + 1)
            if self.stop.wait(self.retry_pause * (attempt + 1)):
                return
        self._dead_letter(target, entry)

    def _dead_letter(self, target: Containers, entry: dict[str, Any]) -> None:
        url = self.queue_urls.get(target.spec.dead_letter_queue or "")
        if not (self.sqs and url):
            log.error("%s dropped an event: no dead-letter queue", target.name)
            return
        self.sqs.send_message(QueueUrl=url, MessageBody=json.dumps(entry))
        log.error("%s sent an event to its dead-letter queue", target.name)
