"""The requester portal's API through the deployed PortalFunction handler, over moto."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
import requests

from helpdesk.aws import s3
from helpdesk.config import settings
from helpdesk.domain.credentials import hash_password
from helpdesk.domain.messages import Attachment, MediaKind
from helpdesk.logic import portal, ticket_actions
from helpdesk.logic.services import Services
from helpdesk.storage import logins, phones
from helpdesk.storage.models import Action, Item, LoginAttempts, Requester
from helpdesk.storage.phones import phone_pk
from helpdesk.storage.tickets import ticket_pk
from tests.integration.portal_fixtures import Browser, call, make_requester, make_ticket

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 256


def upload(filename: str, mimetype: str, body: bytes) -> dict:
    return {"filename": filename, "mimetype": mimetype, "content": base64.b64encode(body).decode()}


def logged_in(person) -> Browser:
    browser = Browser()
    reply = browser.login(person.phone, person.password)
    assert reply.status == 200, reply.body
    return browser


# --- the page -------------------------------------------------------------------------------------


def test_the_page_and_its_assets_are_served_by_the_function(aws):
    page = call("GET", "/portal")
    assert page.status == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'lang="pt-BR"' in page.body and "/portal/assets/portal.js" in page.body
    assert "script-src 'self'" in page.headers["content-security-policy"]
    script = call("GET", "/portal/assets/portal.js")
    assert script.status == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "innerHTML" not in script.body  # data is written with textContent only
    assert call("GET", "/portal/assets/portal.css").headers["content-type"].startswith("text/css")
    assert call("GET", "/portal/assets/app.py").status == 404
    assert call("GET", "/portal/assets/..%2Fapp.py").status == 404


# --- login ----------------------------------------------------------------------------------------


def test_login_sets_a_strict_http_only_cookie_limited_to_the_portal(portal_world):
    ana, _, _ = portal_world
    reply = Browser().login(ana.phone, ana.password)
    assert reply.status == 200
    assert reply.json()["name"] == "Ana Lima"
    raw = reply.cookies[0]
    assert raw.startswith("portal_session=")
    assert "HttpOnly" in raw and "SameSite=Strict" in raw and "Path=/portal" in raw
    assert f"Max-Age={portal.SESSION_SECONDS}" in raw
    assert "Secure" not in raw  # http://127.0.0.1 locally
    assert ana.password not in reply.body


def test_the_cookie_is_secure_outside_localhost(portal_world):
    ana, _, _ = portal_world
    reply = Browser().request(
        "POST",
        "/portal/api/login",
        {"user": ana.phone, "password": ana.password},
        host="abc123.execute-api.us-east-1.amazonaws.com",
    )
    assert reply.status == 200
    assert "; Secure" in reply.cookies[0]


def test_the_username_may_be_typed_with_plus_spaces_and_dashes(portal_world):
    ana, _, _ = portal_world
    assert Browser().login("+55 11 91111-0001", ana.password).status == 200


def test_a_requester_may_sign_in_with_their_e_mail_and_a_shared_one_signs_in_nobody(portal_world):
    ana, _, _ = portal_world
    assert Browser().login(f" {ana.phone}@EXAMPLE.com ", ana.password).status == 200
    # Two requesters registered with one mailbox: the e-mail names neither (their usernames do).
    for phone in ("5511933330003", "5511944440004"):
        make_requester(phone, "Colega", password="Senha123forte")
        Requester(pk=phones.phone_pk(phone), sk="PROFILE").update(
            actions=[
                Requester.email.set("suporte@cliente.com.br"),
                Requester.gsi2pk.set(logins.email_key("suporte@cliente.com.br")),
            ]
        )
    shared = Browser().login("suporte@cliente.com.br", "Senha123forte")
    assert shared.status == 401 and "inválidos" in json.loads(shared.body)["message"]
    assert Browser().login("5511933330003", "Senha123forte").status == 200


def test_the_try_before_the_lock_says_it_is_the_last_and_the_e_mail_counts_with_the_username(portal_world):
    ana, _, _ = portal_world
    messages = [
        json.loads(Browser().login(user, "errada").body)["message"]
        for user in (ana.phone, f"{ana.phone}@example.com", ana.phone, f"{ana.phone}@example.com")
    ]
    assert not any("última tentativa" in message for message in messages[:3])
    assert "última tentativa" in messages[3]
    locking = Browser().login(ana.phone, "errada")
    assert locking.status == 429 and "Muitas tentativas" in json.loads(locking.body)["message"]


def test_wrong_password_and_unknown_user_answer_the_same_401(portal_world):
    ana, _, _ = portal_world
    wrong = Browser().login(ana.phone, "nao-e-essa")
    unknown = Browser().login("5511900009999", ana.password)
    garbage = Browser().login("<script>", ana.password)
    assert wrong.status == unknown.status == garbage.status == 401
    assert wrong.body == unknown.body == garbage.body
    assert not wrong.cookies and not unknown.cookies


def test_unknown_user_takes_about_as_long_as_a_wrong_password(portal_world):
    ana, _, _ = portal_world

    def timed(user: str) -> float:
        started = time.perf_counter()
        portal_login(user, "nao-e-essa")
        return time.perf_counter() - started

    def portal_login(user: str, password: str) -> None:
        with pytest.raises(portal.InvalidCredentials):
            portal.login(Services(), user, password)

    portal_login("5511900008888", "x")  # warms the dummy hash
    wrong = min(timed(ana.phone) for _ in range(3))
    unknown = min(timed("5511900007777") for _ in range(3))
    # Both run one scrypt verification (tens of ms); neither answers in a fraction of it.
    assert unknown > wrong * 0.5 and wrong > unknown * 0.5


def test_login_needs_the_csrf_header_and_a_json_body(portal_world):
    ana, _, _ = portal_world
    no_header = call("POST", "/portal/api/login", body={"user": ana.phone, "password": ana.password})
    assert no_header.status == 403
    assert Browser().request("POST", "/portal/api/login", {"user": ana.phone}).status == 400


def test_five_failures_lock_the_user_and_even_the_right_password_gets_429(portal_world):
    ana, _, _ = portal_world
    for _ in range(portal.MAX_FAILURES - 1):
        assert Browser().login(ana.phone, "errada").status == 401
    assert Browser().login(ana.phone, "errada").status == 429  # the failure that locks says so
    locked = Browser().login(ana.phone, ana.password)
    assert locked.status == 429
    assert 0 < int(locked.headers["retry-after"]) <= portal.LOCKOUT.total_seconds() + 1
    assert not locked.cookies
    attempts = LoginAttempts.get(f"LOGIN#{ana.phone}", "ATTEMPTS")
    assert attempts.locked_until > datetime.now(UTC) + timedelta(minutes=14)
    assert attempts.expires_at > attempts.locked_until  # the TTL never frees a locked user early


def test_the_lock_ends_after_fifteen_minutes(portal_world):
    ana, _, _ = portal_world
    start = datetime.now(UTC)
    for _ in range(portal.MAX_FAILURES - 1):
        with pytest.raises(portal.InvalidCredentials):
            portal.login(Services(clock=lambda: start), ana.phone, "errada")
    with pytest.raises(portal.Locked):  # the failure that locks says so
        portal.login(Services(clock=lambda: start), ana.phone, "errada")
    with pytest.raises(portal.Locked):
        portal.login(Services(clock=lambda: start + timedelta(minutes=14)), ana.phone, ana.password)
    result = portal.login(Services(clock=lambda: start + timedelta(minutes=16)), ana.phone, ana.password)
    assert result.session.phone == ana.phone
    with pytest.raises(LoginAttempts.DoesNotExist):  # a success forgets the failures
        LoginAttempts.get(f"LOGIN#{ana.phone}", "ATTEMPTS")


def test_the_lock_message_says_until_when_in_sao_paulo_time(portal_world):
    ana, _, _ = portal_world
    for _ in range(portal.MAX_FAILURES - 1):
        assert Browser().login(ana.phone, "errada").status == 401
    assert Browser().login(ana.phone, "errada").status == 429  # the failure that locks says so
    locked = Browser().login(ana.phone, ana.password)
    body = json.loads(locked.body)
    until = datetime.fromisoformat(body["locked_until"])
    local = until.astimezone(ZoneInfo("America/Sao_Paulo"))
    assert f"a partir das {local:%H:%M} de {local:%d/%m/%Y} (horário de Brasília)" in body["message"]
    assert "Recuperar acesso ao portal" in body["message"]


def test_a_password_recovered_through_the_bot_lifts_the_lock(portal_world):
    ana, bruno, _ = portal_world
    start = datetime.now(UTC)
    for person in (ana, bruno):
        for _ in range(portal.MAX_FAILURES - 1):
            with pytest.raises(portal.InvalidCredentials):
                portal.login(Services(clock=lambda: start), person.phone, "errada")
        with pytest.raises(portal.Locked):  # the failure that locks says so
            portal.login(Services(clock=lambda: start), person.phone, "errada")
    # "Recuperar acesso ao portal": a new password, a new credentials_version.
    recovered = "Nova-senha-1234"
    phones.reissue_credentials(ana.phone, hash_password(recovered))
    later = Services(clock=lambda: start + timedelta(minutes=1))
    with pytest.raises(portal.InvalidCredentials):
        portal.login(later, ana.phone, ana.password)  # the old password is not what lifts it
    assert portal.login(later, ana.phone, recovered).session.phone == ana.phone
    # Bruno kept his password: still locked, even with it.
    with pytest.raises(portal.Locked):
        portal.login(later, bruno.phone, bruno.password)


def test_failures_outside_the_window_do_not_add_up(portal_world):
    ana, _, _ = portal_world
    start = datetime.now(UTC)
    for _ in range(portal.MAX_FAILURES - 1):
        with pytest.raises(portal.InvalidCredentials):
            portal.login(Services(clock=lambda: start), ana.phone, "errada")
    later = start + portal.FAILURE_WINDOW + timedelta(seconds=1)
    with pytest.raises(portal.InvalidCredentials):
        portal.login(Services(clock=lambda: later), ana.phone, "errada")
    assert int(LoginAttempts.get(f"LOGIN#{ana.phone}", "ATTEMPTS").failures) == 1
    assert portal.login(Services(clock=lambda: later), ana.phone, ana.password).session.phone == ana.phone


def test_unknown_users_are_locked_too(portal_world):
    for _ in range(portal.MAX_FAILURES - 1):
        assert Browser().login("5511900006666", "x").status == 401
    assert Browser().login("5511900006666", "x").status == 429  # the failure that locks says so
    assert Browser().login("5511900006666", "x").status == 429


# --- sessions -------------------------------------------------------------------------------------


def test_the_api_needs_a_session(portal_world):
    ana, _, tickets = portal_world
    assert call("GET", "/portal/api/tickets").status == 401
    assert call("GET", f"/portal/api/tickets/{tickets['ana_a']}").status == 401
    reply = call(
        "POST",
        f"/portal/api/tickets/{tickets['ana_a']}/actions",
        body={"text": "oi"},
        headers={"X-Requested-With": "portal"},
    )
    assert reply.status == 401


def test_a_tampered_cookie_is_refused(portal_world):
    ana, bruno, _ = portal_world
    browser = logged_in(bruno)
    token = browser.cookies["portal_session"]
    version, payload, mac = token.split(".")
    forged_payload = (
        base64.urlsafe_b64encode(
            base64.urlsafe_b64decode(payload + "==").replace(bruno.phone.encode(), ana.phone.encode())
        )
        .rstrip(b"=")
        .decode()
    )
    for forged in (f"{version}.{forged_payload}.{mac}", token[:-2] + "xx", "v1.e30.", "lixo", ""):
        assert call("GET", "/portal/api/tickets", cookies={"portal_session": forged}).status == 401
    assert browser.get("/portal/api/tickets").status == 200


def test_a_token_signed_with_another_key_is_refused(portal_world, monkeypatch):
    ana, _, _ = portal_world
    monkeypatch.setenv("PORTAL_SESSION_KEY", "another-key")
    token = portal.sign_session(portal.Session(ana.phone, 1, int(time.time()) + 600))
    monkeypatch.setenv("PORTAL_SESSION_KEY", "test-portal-key")
    assert call("GET", "/portal/api/tickets", cookies={"portal_session": token}).status == 401


def test_an_expired_cookie_is_refused(portal_world):
    ana, _, _ = portal_world
    past = datetime.now(UTC) - timedelta(seconds=portal.SESSION_SECONDS + 1)
    expired = portal.login(Services(clock=lambda: past), ana.phone, ana.password).token
    assert call("GET", "/portal/api/tickets", cookies={"portal_session": expired}).status == 401
    fresh = portal.login(Services(), ana.phone, ana.password).token
    assert call("GET", "/portal/api/tickets", cookies={"portal_session": fresh}).status == 200


def test_without_a_session_key_the_portal_refuses_to_log_in(portal_world, monkeypatch):
    ana, _, _ = portal_world
    monkeypatch.setenv("PORTAL_SESSION_KEY", "")
    assert Browser().login(ana.phone, ana.password).status == 503


def test_logout_clears_the_cookie(portal_world):
    ana, _, _ = portal_world
    browser = logged_in(ana)
    reply = browser.post("/portal/api/logout")
    assert reply.status == 200
    assert "Max-Age=0" in reply.cookies[0]
    assert browser.get("/portal/api/tickets").status == 401


# --- tickets --------------------------------------------------------------------------------------


def test_tickets_are_listed_per_linked_company_newest_first(portal_world):
    ana, bruno, tickets = portal_world
    extra = make_ticket(ana, "Outro erro")
    data = logged_in(ana).get("/portal/api/tickets").json()
    assert data["requester"]["name"] == "Ana Lima"
    by_company = {c["cnpj"]: [t["number"] for t in c["tickets"]] for c in data["companies"]}
    assert by_company == {"11222333000181": [extra, tickets["ana_a"]], "11444777000161": [tickets["ana_b"]]}
    assert tickets["bruno"] not in sum(by_company.values(), [])


def test_a_ticket_shows_the_actions_visible_to_the_requester(portal_world):
    ana, _, tickets = portal_world
    number = tickets["ana_a"]
    agent = {"author_kind": "agent", "author_name": "Carla", "source": "erp"}
    ticket_actions.post_action(Services(), number, text="Estamos verificando.", **agent)
    ticket_actions.post_action(Services(), number, text="nota interna", visible_to_requester=False, **agent)
    ticket_actions.post_action(Services(), number, text="", status="Em andamento", **agent)
    data = logged_in(ana).get(f"/portal/api/tickets/{number}").json()
    assert data["number"] == number and data["status"] == "Em andamento"
    assert data["title"] == "Erro ao emitir nota" and data["company"]["name"] == "Empresa Demonstração Ltda"
    texts = [a["text"] for a in data["actions"]]
    assert texts == ["Descrição de Erro ao emitir nota", "Estamos verificando.", ""]
    assert "nota interna" not in repr(data)
    assert data["actions"][-1]["kind"] == "status" and data["actions"][-1]["status"] == "Em andamento"


def test_attachment_urls_are_presigned_and_short_lived(portal_world):
    ana, _, tickets = portal_world
    number = tickets["ana_a"]
    key = f"media/erp/{number}/relatorio.pdf"
    s3.put(key, PDF, "application/pdf")
    ticket_actions.post_action(
        Services(),
        number,
        author_kind="agent",
        author_name="Carla",
        text="Segue o relatório.",
        source="erp",
        attachments=[
            Attachment(
                key=key,
                kind=MediaKind.DOCUMENT,
                mimetype="application/pdf",
                filename="relatorio.pdf",
                size=len(PDF),
            )
        ],
    )
    data = logged_in(ana).get(f"/portal/api/tickets/{number}").json()
    (attachment,) = data["actions"][-1]["attachments"]
    assert attachment["filename"] == "relatorio.pdf" and attachment["size"] == len(PDF)
    url = urlparse(attachment["url"])
    query = parse_qs(url.query)
    assert url.path.endswith(key)
    assert data["links_expire_in"] == 300
    if "X-Amz-Signature" in query:  # SigV4 query auth: a lifetime in seconds
        assert int(query["X-Amz-Expires"][0]) == 300
    else:  # legacy query auth (botocore's choice in us-east-1): an absolute expiry
        assert "Signature" in query
        assert 0 < int(query["Expires"][0]) - time.time() <= 301
    assert "relatorio.pdf" in query["response-content-disposition"][0]
    assert requests.get(attachment["url"], timeout=10).content == PDF  # moto serves the signed URL


# --- isolation ------------------------------------------------------------------------------------


def test_a_requester_cannot_read_or_post_on_another_requesters_ticket(portal_world):
    ana, bruno, tickets = portal_world
    browser = logged_in(bruno)
    for number in (tickets["ana_a"], tickets["ana_b"]):
        assert browser.get(f"/portal/api/tickets/{number}").status == 404
        reply = browser.post(f"/portal/api/tickets/{number}/actions", {"text": "invasão"})
        assert reply.status == 404
    missing = browser.get("/portal/api/tickets/999999")
    others = browser.get(f"/portal/api/tickets/{tickets['ana_a']}")
    assert missing.status == 404 and missing.body == others.body
    assert browser.get("/portal/api/tickets/abc").status == 404
    actions = [a for a in Item.query(ticket_pk(tickets["ana_a"])) if isinstance(a, Action)]
    assert all("invasão" not in a.text for a in actions)


# --- posting --------------------------------------------------------------------------------------


def test_posting_an_action_with_an_attachment(portal_world):
    ana, _, tickets = portal_world
    number = tickets["ana_a"]
    browser = logged_in(ana)
    reply = browser.post(
        f"/portal/api/tickets/{number}/actions",
        {
            "text": "Segue o print do erro.",
            "attachments": [
                upload("tela do erro.png", "image/png", PNG),
                upload("../../nota.pdf", "application/pdf", PDF),
            ],
        },
    )
    assert reply.status == 201, reply.body
    posted = reply.json()
    assert posted["author_kind"] == "requester" and posted["source"] == "portal"
    stored = next(a for a in Item.query(ticket_pk(number)) if isinstance(a, Action) and a.source == "portal")
    assert stored.author_name == "Ana Lima" and stored.text == "Segue o print do erro."
    assert stored.visible_to_requester
    keys = [a.key for a in stored.attachments]
    assert all(k.startswith(f"media/portal/{ana.phone}/{stored.action_id}/") for k in keys)
    assert [a.kind for a in stored.attachments] == ["image", "document"]
    assert not any(".." in k for k in keys)
    body = aws_object(keys[0])
    assert body["Body"].read() == PNG and body["ContentType"] == "image/png"
    detail = browser.get(f"/portal/api/tickets/{number}").json()
    assert detail["last_action"]["author_kind"] == "requester"
    assert [f["filename"] for f in detail["actions"][-1]["attachments"]] == ["tela_do_erro.png", "nota.pdf"]


def aws_object(key: str) -> dict:
    return s3._s3().get_object(Bucket=settings().media_bucket, Key=key)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"text": "   "}, "Escreva uma mensagem"),
        ({"text": "x" * (portal.MAX_TEXT + 1)}, "no máximo"),
        ({"text": "a", "attachments": [upload("a.exe", "application/x-msdownload", b"MZ")]}, "não aceito"),
        ({"text": "a", "attachments": [{"filename": "a.png", "content": "não é base64"}]}, "inválido"),
        ({"text": "a", "attachments": [upload("a.png", "image/png", b"x")] * 6}, "no máximo"),
        ({"text": "a", "attachments": "x"}, "no máximo"),
        ({"text": 12}, "inválida"),
    ],
)
def test_invalid_actions_are_refused_with_a_message(portal_world, body, message):
    ana, _, tickets = portal_world
    reply = logged_in(ana).post(f"/portal/api/tickets/{tickets['ana_a']}/actions", body)
    assert reply.status == 400
    assert message in reply.json()["message"]


def test_files_over_the_media_limit_are_refused(portal_world, monkeypatch):
    from helpdesk import caches

    ana, _, tickets = portal_world
    browser = logged_in(ana)
    monkeypatch.setenv("MEDIA_MAX_BYTES", "1000")
    caches.reset()
    path = f"/portal/api/tickets/{tickets['ana_a']}/actions"
    too_big = upload("a.pdf", "application/pdf", b"0" * 1001)
    reply = browser.post(path, {"text": "a", "attachments": [too_big]})
    assert reply.status == 400 and "limite de 1000 bytes" in reply.json()["message"]
    just_right = upload("a.pdf", "application/pdf", b"0" * 1000)
    accepted = browser.post(path, {"text": "a", "attachments": [just_right]})
    assert accepted.status == 201
    caches.reset()


def test_posting_needs_the_csrf_header(portal_world):
    ana, _, tickets = portal_world
    browser = logged_in(ana)
    path = f"/portal/api/tickets/{tickets['ana_a']}/actions"
    reply = call("POST", path, body={"text": "oi"}, cookies=browser.cookies)
    assert reply.status == 403


# --- access recovery ------------------------------------------------------------------------------


def recover_access(phone: str, password: str) -> None:
    """What the bot's access recovery writes (effects.apply_effects, ResetCredentials)."""
    Requester(pk=phone_pk(phone), sk="PROFILE").update(
        actions=[Requester.password_hash.set(hash_password(password)), Requester.credentials_version.add(1)]
    )


def test_access_recovery_invalidates_the_old_password_and_the_old_sessions(portal_world):
    ana, _, _ = portal_world
    old_session = logged_in(ana)
    assert old_session.get("/portal/api/tickets").status == 200
    recover_access(ana.phone, "NovaSenha456")
    assert old_session.get("/portal/api/tickets").status == 401
    assert Browser().login(ana.phone, ana.password).status == 401
    new_session = Browser()
    assert new_session.login(ana.phone, "NovaSenha456").status == 200
    assert new_session.get("/portal/api/tickets").status == 200
