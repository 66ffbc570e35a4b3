"""The conversation's step data as stored: conversations written before it was typed still load."""

from __future__ import annotations

import json

from helpdesk.domain.conversation import ConversationState, Step
from helpdesk.domain.messages import Attachment, MediaKind
from helpdesk.domain.step_data import OfferedType, Source, StepData, Written

FILE = {
    "key": "media/5511/msg-2/foto.jpg",
    "kind": "image",
    "mimetype": "image/jpeg",
    "filename": "foto.jpg",
    "size": 2048,
}

# Items as the untyped dialog wrote them to the table, one per shape it had.
STORED = {
    "tickets menu": {"step": "tickets_menu", "cnpj": "11222333000181", "data": {"page": 1}},
    "type question": {
        "step": "ask_type",
        "cnpj": "11222333000181",
        "data": {"title": "Impressora", "types": [{"id": "t1", "name": "Dúvida"}], "misses": 1},
    },
    "ticket files": {
        "step": "ticket_media",
        "cnpj": "11222333000181",
        "data": {
            "title": "Impressora",
            "type_id": None,
            "type_name": None,
            "description": "Não imprime\nde jeito nenhum",
            "attachments": [FILE],
            "sources": [["msg-1", "t", 1], ["msg-2", "d", 2], ["msg-2", "f", 0], ["msg-3", "x", -1]],
        },
    },
    "rating comment": {
        "step": "ask_rating_comment",
        "cnpj": "11222333000181",
        "data": {
            "ticket_number": 1042,
            "rating": 4,
            "resume": {"step": "ticket_menu", "cnpj": "11222333000181", "data": {"ticket_number": 7}},
        },
    },
    "draft offered back": {
        "step": "resume_draft",
        "cnpj": "11222333000181",
        "data": {
            "draft": {
                "step": "action_media",
                "cnpj": "11222333000181",
                "data": {"ticket_number": 1042, "text": "Segue a foto", "attachments": []},
            }
        },
    },
    "no data": {"step": "ended", "cnpj": None},
}


def test_an_item_stored_before_the_typed_data_loads_with_every_field():
    files = ConversationState.from_dict(STORED["ticket files"]).data
    assert files.title == "Impressora" and files.type_id is None and files.type_name is None
    assert files.description == "Não imprime\nde jeito nenhum"
    assert files.attachments == (
        Attachment("media/5511/msg-2/foto.jpg", MediaKind.IMAGE, "image/jpeg", "foto.jpg", 2048),
    )
    assert files.sources == (
        Source("msg-1", Written.TITLE, 1),
        Source("msg-2", Written.DESCRIPTION, 2),
        Source("msg-2", Written.FILE, 0),
        Source("msg-3", Written.TEXT, 0, gone=True),
    )
    typing = ConversationState.from_dict(STORED["type question"]).data
    assert typing.types == (OfferedType("t1", "Dúvida"),) and typing.misses == 1
    rating = ConversationState.from_dict(STORED["rating comment"])
    assert rating.data.ticket_number == 1042 and rating.data.rating == 4
    assert rating.data.resume == ConversationState(
        Step.TICKET_MENU, "11222333000181", StepData(ticket_number=7)
    )
    offered = ConversationState.from_dict(STORED["draft offered back"]).data.draft
    assert offered is not None and offered.step is Step.ACTION_MEDIA
    assert offered.data == StepData(ticket_number=1042, text="Segue a foto")
    assert ConversationState.from_dict(STORED["tickets menu"]).data == StepData(page=1)
    assert ConversationState.from_dict(STORED["no data"]).data == StepData()


def test_it_is_written_back_in_the_shape_it_was_stored_in():
    """The same keys and values; only a key holding nothing (None, []) is left out."""
    for name, stored in STORED.items():
        written = json.loads(json.dumps(ConversationState.from_dict(stored).to_dict()))
        assert _without_empty(written["data"]) == _without_empty(stored.get("data") or {}), name
        assert ConversationState.from_dict(written) == ConversationState.from_dict(stored), name


def test_a_stored_value_of_the_wrong_type_reads_as_absent():
    data = StepData.from_dict(
        {
            "ticket_number": "1042",
            "page": True,
            "title": 7,
            "resume": {"step": "no such step"},
            "draft": "not a state",
            "sources": [["msg-1", "?", 1], [None, "t", 1], "x"],
            "unknown": 1,
        },
        ConversationState.from_dict,
    )
    assert data == StepData()


def _without_empty(raw):
    if isinstance(raw, dict):
        return {key: _without_empty(value) for key, value in raw.items() if value not in (None, [])}
    if isinstance(raw, list):
        return [_without_empty(value) for value in raw]
    return raw


def test_a_file_is_stored_without_the_audio_fields_it_does_not_have():
    """Every turn writes the conversation item, billed per kilobyte: an image keeps no null
    transcript, status or duration, and loads back the same."""
    image = Attachment("media/5511/msg-2/foto.jpg", MediaKind.IMAGE, "image/jpeg", "foto.jpg", 2048)
    audio = Attachment("media/5511/msg-3/a.ogg", MediaKind.AUDIO, "audio/ogg", "a.ogg", 9, "oi", None, 7)
    state = ConversationState(Step.TICKET_MEDIA, "11222333000181", StepData(attachments=(image, audio)))
    stored = json.loads(json.dumps(state.to_dict()))
    assert stored["data"]["attachments"] == [FILE, {**FILE, **_audio_fields()}]
    assert ConversationState.from_dict(stored) == state


def _audio_fields():
    return {
        "key": "media/5511/msg-3/a.ogg",
        "kind": "audio",
        "mimetype": "audio/ogg",
        "filename": "a.ogg",
        "size": 9,
        "transcript": "oi",
        "seconds": 7,
    }
