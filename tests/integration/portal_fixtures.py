"""The portal's test world: the deployed PortalFunction handler invoked with API Gateway v2 events
built by the local stack's own translator (local.apigw.to_event), over the moto `aws` fixture."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from http.cookies import SimpleCookie
from typing import Any

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from helpdesk.domain.credentials import hash_password
from helpdesk.storage import phones
from helpdesk.storage.models import Requester
from local.apigw import to_event
from local.lambdas import LocalFunction, load_function
from tests.support.seeding import stored_ticket

HOST = "127.0.0.1:3000"


@cache
def portal_function() -> LocalFunction:
    return load_function("PortalFunction")


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: str

    def json(self) -> Any:
        return json.loads(self.body)

    def cookie(self, name: str) -> SimpleCookie | None:
        for raw in self.cookies:
            jar = SimpleCookie()
            jar.load(raw)
            if name in jar:
                return jar
        return None


def call(
    method: str,
    path: str,
    *,
    body: Any = None,
    cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    host: str = HOST,
) -> Reply:
    """One HTTP request through the template's route to the PortalFunction handler."""
    function = portal_function()
    builder = EnvironBuilder(
        path=path,
        method=method,
        headers={"Host": host, **(headers or {})},
        data=json.dumps(body) if body is not None else None,
        content_type="application/json" if body is not None else None,
    )
    if cookies:
        builder.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    request = Request(builder.get_environ())
    for route in function.spec.routes:
        parameters = route.match(method, path)
        if parameters is not None:
            break
    else:
        raise AssertionError(f"no route of PortalFunction takes {method} {path}")
    result = function.invoke(to_event(request, route, parameters))
    headers_out = {k.lower(): v for k, v in (result.get("headers") or {}).items()}
    cookies_out = result.get("cookies") or []
    return Reply(int(result["statusCode"]), headers_out, cookies_out, result.get("body") or "")


@dataclass
class Browser:
    """A client that keeps the session cookie and sends the CSRF header, like portal.js."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: Any = None, **kwargs) -> Reply:
        headers = {"X-Requested-With": "portal"} if method != "GET" else {}
        reply = call(method, path, body=body, cookies=self.cookies, headers=headers, **kwargs)
        jar = reply.cookie("portal_session")
        if jar is not None:
            morsel = jar["portal_session"]
            if morsel["max-age"] in ("0", 0) or not morsel.value:
                self.cookies.pop("portal_session", None)
            else:
                self.cookies["portal_session"] = morsel.value
        return reply

    def login(self, user: str, password: str) -> Reply:
        return self.request("POST", "/portal/api/login", {"user": user, "password": password})

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, body: Any = None) -> Reply:
        return self.request("POST", path, body)


@dataclass
class Person:
    phone: str
    password: str
    name: str


CNPJ_A = ("11222333000181", "Empresa Demonstração Ltda")
CNPJ_B = ("11444777000161", "Outra Empresa SA")


def make_requester(phone: str, name: str, companies=(CNPJ_A,), password: str = "Senha123forte") -> Person:
    now = datetime.now(UTC)
    phones.new_requester(
        phone=phone,
        name=name,
        email=f"{phone}@example.com",
        password_hash=hash_password(password),
        instance="suporte",
        now=now,
    ).save()
    for cnpj, company_name in companies:
        phones.company_link(phone=phone, cnpj=cnpj, company_name=company_name, now=now).save()
    return Person(phone, password, name)


def make_ticket(person: Person, title: str, cnpj: tuple[str, str] = CNPJ_A, minutes_ago: int = 0) -> int:
    """A ticket opened on WhatsApp, with its opening action, as the turn executor writes it."""
    now = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    requester = Requester.get(phones.phone_pk(person.phone), "PROFILE")
    ticket = stored_ticket(
        requester,
        title=title,
        description=f"Descrição de {title}",
        cnpj=cnpj[0],
        company_name=cnpj[1],
        request_type=("erro", "Erro no sistema"),
        now=now,
        with_opening=True,
    )
    return int(ticket.number)


@pytest.fixture
def portal_world(aws):
    """Two requesters: Ana (two companies, two tickets) and Bruno (one ticket)."""
    ana = make_requester("5511911110001", "Ana Lima", companies=(CNPJ_A, CNPJ_B))
    bruno = make_requester("5511922220002", "Bruno Reis")
    tickets = {
        "ana_a": make_ticket(ana, "Erro ao emitir nota", CNPJ_A, minutes_ago=10),
        "ana_b": make_ticket(ana, "Dúvida no relatório", CNPJ_B, minutes_ago=5),
        "bruno": make_ticket(bruno, "Sistema lento", CNPJ_A),
    }
    return ana, bruno, tickets
