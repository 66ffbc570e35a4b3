"""The local stack's /cognito path passes on only what Cognito's public endpoint takes without AWS
credentials: a browser on the console's origin cannot create or enable users through it."""

from __future__ import annotations

import json

import pytest
from werkzeug.test import Client

from local.cognito import TARGET_PREFIX, CognitoProxy


@pytest.mark.parametrize("action", ["AdminCreateUser", "AdminEnableUser", "ListUsers", "CreateUserPool"])
def test_admin_actions_are_not_forwarded(action, monkeypatch):
    forwarded = []
    monkeypatch.setattr("local.cognito.requests.post", lambda *a, **k: forwarded.append(a))
    response = Client(CognitoProxy("http://127.0.0.1:1")).post(
        "/", data="{}", headers={"X-Amz-Target": TARGET_PREFIX + action}
    )
    assert response.status_code == 400 and b"UnknownOperationException" in response.data
    assert forwarded == []


def test_sign_in_actions_are_forwarded_with_their_target(monkeypatch):
    class Upstream:
        status_code, content = 200, b'{"ChallengeName": "NEW_PASSWORD_REQUIRED"}'

    calls = []
    monkeypatch.setattr(
        "local.cognito.requests.post", lambda url, **kwargs: calls.append((url, kwargs)) or Upstream()
    )
    response = Client(CognitoProxy("http://moto")).post(
        "/",
        data='{"AuthFlow": "USER_PASSWORD_AUTH"}',
        headers={"X-Amz-Target": TARGET_PREFIX + "InitiateAuth"},
    )
    assert (
        response.status_code == 200 and json.loads(response.data)["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    )
    url, kwargs = calls[0]
    assert url == "http://moto/" and kwargs["headers"]["X-Amz-Target"] == TARGET_PREFIX + "InitiateAuth"
    assert kwargs["data"] == b'{"AuthFlow": "USER_PASSWORD_AUTH"}'
