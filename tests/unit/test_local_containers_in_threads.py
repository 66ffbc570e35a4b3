"""Two containers of the local stack answering at once (threads of one process) each see their own
request, as two Lambda containers (two processes) do."""

from __future__ import annotations

import threading

from helpdesk.api.http import APIGatewayHttpResolver
from local import containers_in_threads


def http_event(path: str) -> dict:
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {},
        "requestContext": {"http": {"method": "GET", "path": path}, "stage": "$default"},
        "isBase64Encoded": False,
    }


def test_two_containers_answering_at_once_each_read_their_own_request():
    containers_in_threads.install()
    both_started = threading.Barrier(2, timeout=5)

    def container() -> APIGatewayHttpResolver:
        app = APIGatewayHttpResolver()

        @app.get("/assets/<name>")
        def asset(name: str):
            both_started.wait()  # the other container has set its request meanwhile
            return {"asked": name, "read": app.current_event.path}

        return app

    answers: dict[str, str] = {}

    def request(name: str) -> None:
        answers[name] = container().resolve(http_event(f"/assets/{name}"), {})["body"]

    threads = [threading.Thread(target=request, args=(name,)) for name in ("app.js", "app.css")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == {
        "app.js": '{"asked":"app.js","read":"/assets/app.js"}',
        "app.css": '{"asked":"app.css","read":"/assets/app.css"}',
    }
