"""GET /local/queues (local only): what each of the stack's queues holds, by logical id, as
{"waiting": n, "in_flight": n} (received and not yet deleted). The inbound queue empty means every
message the webhooks took has had its turn, its replies sent: tests wait on that instead of a pause."""

from __future__ import annotations

import json

from werkzeug.wrappers import Response

DEPTHS = {"waiting": "ApproximateNumberOfMessages", "in_flight": "ApproximateNumberOfMessagesNotVisible"}


class QueueDepths:
    def __init__(self, sqs, queue_urls: dict[str, str]) -> None:
        self.sqs, self.queue_urls = sqs, queue_urls

    def depths(self) -> dict[str, dict[str, int]]:
        found = {}
        for logical_id, url in self.queue_urls.items():
            attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(DEPTHS.values()))
            found[logical_id] = {name: int(attributes["Attributes"][key]) for name, key in DEPTHS.items()}
        return found

    def __call__(self, environ, start_response):
        return Response(json.dumps(self.depths()), content_type="application/json")(environ, start_response)
