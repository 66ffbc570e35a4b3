"""What every test suite shares: the fake gateways (gateways.py), API Gateway events (apigw.py),
the requester's side of WhatsApp in process and on the local stack (whatsapp.py), a scripted
loopback HTTP server (fakehttp.py) and polling (waiting.py)."""
