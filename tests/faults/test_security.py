"""Security: every HTTP route is behind the JWT authorizer or authenticates itself; a requester never
reads another's ticket by typing its number; no password, token, full phone or e-mail in any log."""

from __future__ import annotations

import io
import logging
import re

from local import cfn
from local.lambdas import load_function
from local.seed import seed_demo_data
from local.testing.apigw import WEBHOOK_TOKEN, webhook_event
from local.testing.whatsapp import Processor, Requester, evolution_text, first_contact, new_ticket

# Routes that authenticate the caller themselves (token, HMAC, the portal's own session).
SELF_AUTHENTICATED = {
    ("POST", "/webhooks/evolution"),
    ("GET", "/webhooks/cloud"),
    ("POST", "/webhooks/cloud"),
    ("POST", "/erp/events"),
    ("GET", "/portal"),
    ("ANY", "/portal/{proxy+}"),
}
# The console's page, assets and sign-in settings (pool and client ids): files without data, public
# like any login page; what the console shows comes from /admin/..., behind the JWT authorizer.
PUBLIC_FILES = {("GET", "/console"), ("GET", "/console/{proxy+}")}


def test_every_route_is_behind_the_jwt_authorizer_or_self_authenticated(figures):
    template = cfn.load_template()
    apis = {name: r for name, r in template["Resources"].items() if r["Type"] == "AWS::Serverless::HttpApi"}
    routes = []
    for name, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event in resource["Properties"].get("Events", {}).values():
            if event["Type"] != "HttpApi":
                continue
            props = event["Properties"]
            api = apis[props["ApiId"]["Ref"]]["Properties"]
            authorizer = props.get("Auth", {}).get("Authorizer") or api["Auth"].get("DefaultAuthorizer")
            route = (props["Method"].upper(), props["Path"])
            routes.append(route)
            if authorizer == "NONE":
                assert route in SELF_AUTHENTICATED | PUBLIC_FILES, f"{route} of {name} is public"
            else:
                jwt = api["Auth"]["Authorizers"][authorizer]
                assert jwt["JwtConfiguration"]["issuer"] and jwt["JwtConfiguration"]["audience"], route
    assert set(routes) >= SELF_AUTHENTICATED
    assert set(routes) >= PUBLIC_FILES
    public = [r for r in routes if r in SELF_AUTHENTICATED]
    files = [r for r in routes if r in PUBLIC_FILES]
    figures(
        "security (routes)",
        f"{len(routes)} routes: {len(routes) - len(public) - len(files)} behind the JWT authorizer, "
        f"{len(public)} self-authenticated, {len(files)} the console's public files, 0 public data",
    )


def test_a_requester_cannot_read_another_requesters_ticket_by_its_number(aws, figures):
    seed_demo_data()
    processor = Processor(aws)
    owner, other = Requester(processor, "5511944440001"), Requester(processor, "5511944440002")
    owner.register("Dona do Chamado", "dona@cliente.com.br")
    number = str(owner.open_ticket("Folha de pagamento sigilosa", "1", "Salários de março com erro grave."))
    other.register("Outra Pessoa", "outra@cliente.com.br")  # same company
    attempts = 0
    for typed in (number, f"#{number}", f" {number} ", f"0{number}", f"chamado {number}", "1", "2"):
        for reply in other.says(typed):
            assert "sigilosa" not in reply and "Salários" not in reply and "Dona" not in reply, (typed, reply)
        attempts += 1
        other.says("sair")
        other.says("oi")
    figures(
        "security (tickets)", f"{attempts} attempts to open another requester's ticket by number: 0 shown"
    )


def test_no_password_token_phone_or_email_in_any_log_line(aws, capsys, caplog, figures):
    seed_demo_data()
    caplog.set_level(logging.INFO)
    webhook = load_function("WebhookFunction")
    processor = Processor(aws)
    stream = io.StringIO()
    handlers = []
    for module in (webhook.module, processor.function.module):
        powertools = module.logger  # Powertools Logger: JSON lines, as CloudWatch receives them
        handler = logging.StreamHandler(stream)
        handler.setFormatter(powertools.registered_formatter)
        powertools._logger.addHandler(handler)
        powertools._logger.setLevel(logging.DEBUG)
        handlers.append((powertools._logger, handler))
    phone, email = "5511933330001", "fulano.de.tal@cliente.com.br"
    script = [
        *first_contact("Fulano de Tal", email),
        *new_ticket("Sistema lento", "1", f"Meu e-mail é {email}"),
        "sair",
        "bom dia",
        "1",
    ]  # the last: access recovery, a second password
    try:
        for n, body in enumerate(script):
            response = webhook.invoke(webhook_event(evolution_text(phone, f"LOG{n}", body)))
            assert response["statusCode"] == 200
            processor.drain()
    finally:
        for logger, handler in handlers:
            logger.removeHandler(handler)
    passwords = re.findall(r"Senha: \*(\S+)\*", " ".join(processor.gateway.texts_to(phone)))
    assert len(passwords) == 2
    captured = capsys.readouterr()
    logs = "\n".join([stream.getvalue(), captured.out, captured.err, caplog.text])
    lines = [line for line in logs.splitlines() if line.strip()]
    assert any("turn committed" in line for line in lines), "the logs were captured"
    secrets = {
        "phone": phone,
        "e-mail": email,
        "webhook token": WEBHOOK_TOKEN,
        **{f"password {i}": p for i, p in enumerate(passwords)},
    }
    for label, value in secrets.items():
        leaks = [line for line in lines if value in line]
        assert not leaks, f"{label} in the logs: {leaks[:2]}"
    figures(
        "security (logs)",
        f"{len(lines)} log lines of a {len(script)}-message conversation (credentials "
        f"twice): full phone, e-mail, webhook token, 2 passwords found 0 times",
    )
