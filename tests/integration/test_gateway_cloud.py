import base64

import pytest
from msgspec.structs import replace

from helpdesk.config import Settings
from helpdesk.domain.menus import Menu, Option
from helpdesk.domain.messages import MediaKind, OutboundMedia
from helpdesk.gateways import http
from helpdesk.gateways.base import GatewayError, GatewayRejected, OutsideWindow, SentMessage
from helpdesk.gateways.cloud import CloudGateway
from tests.support.fakehttp import FakeServer, Reply
from tests.unit.test_gateway_cloud_webhook import NUMBER_ID, only

ACCESS_TOKEN = "EAAG-cloud-access-token"


# ------------------------------------------------------------------------------- REST client


@pytest.fixture
def server():
    with FakeServer() as fake:
        yield fake


@pytest.fixture
def gateway(server):
    settings = replace(
        Settings.from_env(),
        cloud_api_url=server.url + "/v21.0",
        cloud_phone_number_id=NUMBER_ID,
        http_timeout_seconds=2,
    )
    return CloudGateway(settings, ACCESS_TOKEN, session=http.new_session(2, backoff_factor=0))


def test_send_text(server, gateway):
    server.reply(Reply(200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid.X"}]}))
    assert gateway.send_text(NUMBER_ID, "5511987654321", "Olá!") == SentMessage("wamid.X")
    (request,) = server.requests
    assert (request.method, request.path) == ("POST", f"/v21.0/{NUMBER_ID}/messages")
    assert request.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert request.json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "5511987654321",
        "type": "text",
        "text": {"body": "Olá!", "preview_url": False},
    }


BSUID = "BR.13491208655302741918"


def test_a_requester_known_only_by_bsuid_is_sent_to_as_recipient(server, gateway):
    gateway.send_text(NUMBER_ID, BSUID, "Olá!")
    gateway.send_menu(NUMBER_ID, BSUID, "Escolha", menu_of("Sim", "Não"))
    gateway.send_template(NUMBER_ID, BSUID, "atendimento_atualizado", "pt_BR", ["42"])
    for request in server.requests:
        body = request.json()
        assert body["recipient"] == BSUID and "to" not in body
    assert [r.json()["type"] for r in server.requests] == ["text", "interactive", "template"]


def test_named_instance_falls_back_to_the_configured_number(server, gateway):
    gateway.send_text("suporte", "5511987654321", "oi")
    assert server.requests[0].path == f"/v21.0/{NUMBER_ID}/messages"


@pytest.mark.parametrize(
    ("media", "content"),
    [
        (
            OutboundMedia(MediaKind.IMAGE, "image/png", "a.png", url="https://s3/a.png", caption="veja"),
            {"link": "https://s3/a.png", "caption": "veja"},
        ),
        (
            OutboundMedia(MediaKind.DOCUMENT, "application/pdf", "b.pdf", url="https://s3/b.pdf"),
            {"link": "https://s3/b.pdf", "filename": "b.pdf"},
        ),
        (
            OutboundMedia(MediaKind.AUDIO, "audio/ogg", "c.ogg", url="https://s3/c.ogg", caption="ignored"),
            {"link": "https://s3/c.ogg"},
        ),
    ],
)
def test_send_media_by_link(server, gateway, media, content):
    gateway.send_media(NUMBER_ID, "5511987654321", media)
    body = server.requests[0].json()
    assert body["type"] == media.kind.value and body[media.kind.value] == content


def test_send_media_from_bytes_uploads_first(server, gateway):
    server.reply(Reply(200, {"id": "55501"}), Reply(200, {"messages": [{"id": "wamid.Y"}]}))
    encoded = base64.b64encode(b"PNGDATA").decode()
    media = OutboundMedia(MediaKind.IMAGE, "image/png", "qr.png", base64=encoded)
    gateway.send_media(NUMBER_ID, "5511987654321", media)
    upload, send = server.requests
    assert upload.path == f"/v21.0/{NUMBER_ID}/media" and b"PNGDATA" in upload.body
    assert upload.headers["content-type"].startswith("multipart/form-data")
    assert send.json()["image"] == {"id": "55501"}


def test_download(server, gateway):
    server.reply(
        Reply(
            200,
            {
                "url": server.url + "/lookaside/whatsapp_business/?mid=1&ext=1&hash=x",
                "mime_type": "image/jpeg",
                "file_size": 7,
                "id": "1003383421387256",
                "messaging_product": "whatsapp",
            },
        ),
        Reply(200, b"JPEGXYZ", headers={"Content-Type": "image/jpeg"}),
    )
    assert gateway.download_media(NUMBER_ID, only("image").media) == b"JPEGXYZ"
    lookup, fetch = server.requests
    assert lookup.path == "/v21.0/1003383421387256"
    assert fetch.path.startswith("/lookaside/")
    assert {lookup.headers["authorization"], fetch.headers["authorization"]} == {f"Bearer {ACCESS_TOKEN}"}


def test_download_over_the_limit(server):
    settings = replace(Settings.from_env(), cloud_api_url=server.url, media_max_bytes=3)
    gateway = CloudGateway(settings, ACCESS_TOKEN)
    server.reply(Reply(200, {"url": server.url + "/file", "file_size": 7}))
    with pytest.raises(GatewayRejected):
        gateway.download_media(NUMBER_ID, only("image").media)


def test_errors(server, gateway):
    server.reply(Reply(400, {"error": {"message": f"Invalid token {ACCESS_TOKEN}", "code": 190}}))
    with pytest.raises(GatewayRejected) as info:
        gateway.send_text(NUMBER_ID, "5511987654321", "oi")
    assert "400" in str(info.value) and "190" in str(info.value) and ACCESS_TOKEN not in str(info.value)
    assert not isinstance(info.value, OutsideWindow)
    server.reply(Reply(400, b"<html>bad request</html>"))
    with pytest.raises(GatewayRejected):
        gateway.send_text(NUMBER_ID, "5511987654321", "oi")
    server.reply(Reply(503), Reply(200))
    gateway.send_text(NUMBER_ID, "5511987654321", "oi")
    server.default = Reply(429, {"error": {"code": 130429}}, headers={"Retry-After": "0"})
    with pytest.raises(GatewayError) as info:
        gateway.send_text(NUMBER_ID, "5511987654321", "oi")
    assert not isinstance(info.value, GatewayRejected)


def test_admin_methods(gateway):
    assert gateway.connection_state(NUMBER_ID) == "open"
    for call in (gateway.create_instance, gateway.connect, gateway.logout, gateway.delete_instance):
        with pytest.raises(GatewayRejected, match="Cloud API"):
            call(NUMBER_ID)


# ------------------------------------------------------------------------------- menus and templates


def sent_interactive(server) -> dict:
    body = server.requests[-1].json()
    assert body["type"] == "interactive" and body["to"] == "5511987654321"
    return body["interactive"]


def menu_of(*titles: str) -> Menu:
    return Menu(tuple(Option(str(n), title) for n, title in enumerate(titles, 1)), ask="Digite o número:")


def test_up_to_three_options_go_as_reply_buttons(server, gateway):
    server.reply(Reply(200, {"messages": [{"id": "wamid.MENU"}]}))
    sent = gateway.send_menu(
        NUMBER_ID, "5511987654321", "O que deseja?", menu_of("Abrir", "Meus chamados", "Sair")
    )
    assert sent == SentMessage("wamid.MENU")
    assert sent_interactive(server) == {
        "type": "button",
        "body": {"text": "O que deseja?"},
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": "1", "title": "Abrir"}},
                {"type": "reply", "reply": {"id": "2", "title": "Meus chamados"}},
                {"type": "reply", "reply": {"id": "3", "title": "Sair"}},
            ]
        },
    }


def test_up_to_ten_options_go_as_a_list(server, gateway):
    menu = menu_of(*(f"Tipo {n}" for n in range(1, 10)), "Integração com o sistema fiscal da empresa")
    gateway.send_menu(NUMBER_ID, "5511987654321", "Escolha o tipo:", menu)
    interactive = sent_interactive(server)
    assert interactive["type"] == "list" and interactive["body"] == {"text": "Escolha o tipo:"}
    assert interactive["action"]["button"] == "Ver opções"
    (section,) = interactive["action"]["sections"]
    rows = section["rows"]
    assert [r["id"] for r in rows] == [str(n) for n in range(1, 11)]
    assert rows[0] == {"id": "1", "title": "Tipo 1"}
    assert rows[9]["title"] == "Integração com o sistem…" and len(rows[9]["title"]) == 24
    assert rows[9]["description"] == "Integração com o sistema fiscal da empresa"


@pytest.mark.parametrize(
    ("body", "count"),
    [("Escolha:", 11), ("x" * 1025, 2)],
)
def test_menus_past_metas_limits_go_as_numbered_text(server, gateway, body, count):
    menu = menu_of(*(f"Opção {n}" for n in range(1, count + 1)))
    gateway.send_menu(NUMBER_ID, "5511987654321", body, menu)
    request = server.requests[-1].json()
    lines = [f"{n} - Opção {n}" for n in range(1, count + 1)]
    assert request["type"] == "text" and request["text"]["body"] == "\n".join(
        [f"{body} Digite o número:", *lines]
    )


def test_send_template(server, gateway):
    server.reply(Reply(200, {"messages": [{"id": "wamid.TPL", "message_status": "accepted"}]}))
    sent = gateway.send_template(
        NUMBER_ID, "5511987654321", "atendimento_atualizado", "pt_BR", ["42", "Erro no ERP", "Reinicie"]
    )
    assert sent == SentMessage("wamid.TPL")
    assert server.requests[0].json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "5511987654321",
        "type": "template",
        "template": {
            "name": "atendimento_atualizado",
            "language": {"code": "pt_BR"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "42"},
                        {"type": "text", "text": "Erro no ERP"},
                        {"type": "text", "text": "Reinicie"},
                    ],
                }
            ],
        },
    }


def test_re_engagement_refusal_is_outside_window_and_not_retried(server, gateway):
    error = {
        "message": "(#131047) Re-engagement message",
        "type": "OAuthException",
        "code": 131047,
        "error_data": {"messaging_product": "whatsapp", "details": "more than 24 hours have passed"},
        "fbtrace_id": "Az8or2yhqkZfEZ-_4Qn_Bam",
    }
    server.reply(Reply(400, {"error": error}))
    with pytest.raises(OutsideWindow) as info:
        gateway.send_text(NUMBER_ID, "5511987654321", "Seu atendimento foi respondido")
    assert isinstance(info.value, GatewayRejected) and "131047" in str(info.value)
    assert len(server.requests) == 1
