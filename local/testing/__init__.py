"""What the tests and the bench both use to drive the helpdesk: the requester's side of WhatsApp
in process and on the local stack (whatsapp.py), API Gateway events (apigw.py), a recording fake
gateway (gateways.py), the stats function fed from the table's stream (stats.py over streams.py)
and polling for a condition (waiting.py). The bench imports nothing from tests/."""
