"""Voice notes as text, the pure parts: job names, Transcribe's output document, formats, the
duration of an Ogg file, what the description becomes; and the local stand-in's voice notes."""

from __future__ import annotations

import json
import struct

import pytest

from helpdesk.domain import transcripts
from helpdesk.domain.messages import Attachment, MediaKind
from helpdesk.domain.transcripts import TranscriptStatus
from local.transcribe import SaidRegistry, decodable, speaking_seconds, voice_note


def test_a_job_is_named_after_its_file_under_the_stacks_prefix():
    one = transcripts.job_name("helpdesk-prod", "media/suporte/5511/MSG1/audio.ogg")
    assert one.startswith("helpdesk-prod-")
    assert one == transcripts.job_name("helpdesk-prod", "media/suporte/5511/MSG1/audio.ogg")
    assert one != transcripts.job_name("helpdesk-prod", "media/suporte/5511/MSG2/audio.ogg")
    # Transcribe's rule for names: ^[0-9a-zA-Z._-]+, at most 200 characters.
    assert len(one) <= 200 and all(c.isalnum() or c in "._-" for c in one)
    assert transcripts.output_key(one) == f"transcripts/{one}.json"


def test_the_transcript_is_read_from_transcribes_output_document():
    document = json.loads(
        '{"jobName": "j", "accountId": "1", "status": "COMPLETED", "results": {"transcripts": '
        '[{"transcript": "A impressora  parou."}], "items": [{"type": "pronunciation", '
        '"alternatives": [{"confidence": "0.98", "content": "A"}], "start_time": "0.1", "end_time": "0.2"}]}}'
    )
    assert transcripts.transcript_text(document) == "A impressora parou."
    assert transcripts.transcript_text({"results": {"transcripts": []}}) == ""
    assert transcripts.transcript_text(transcripts.output_document("j", "olá mundo")) == "olá mundo"
    for wrong in ({}, {"results": {}}, {"results": {"transcripts": [{"transcript": 3}]}}, []):
        with pytest.raises(ValueError):
            transcripts.transcript_text(wrong)


def test_the_formats_transcribe_takes():
    assert transcripts.media_format("audio/ogg; codecs=opus") == "ogg"
    assert transcripts.media_format("audio/mpeg") == "mp3"
    assert transcripts.media_format("audio/mp4") == "mp4"
    assert transcripts.media_format("audio/x-ms-wma") is None
    assert transcripts.media_format("") is None


def test_an_ogg_files_duration_comes_from_its_last_granule_position():
    for seconds in (1, 30, 600):
        note = voice_note(seconds)
        assert transcripts.ogg_seconds(note[:4096], note[-4096:]) == pytest.approx(seconds, abs=0.02)
    note = voice_note(5)
    assert transcripts.ogg_seconds(b"ID3" + note[3:], note) is None  # not Ogg
    assert transcripts.ogg_seconds(note[:4096], b"no pages here") is None
    vorbis = b"OggS" + b"\x00" * 24 + b"\x01vorbis" + struct.pack("<IBI", 0, 1, 44100)
    tail = b"OggS" + struct.pack("<BBq", 0, 4, 441000)
    assert transcripts.ogg_seconds(vorbis, tail) == 10


def test_limits():
    assert transcripts.too_long(300.5, 300)
    assert not transcripts.too_long(300, 300)
    assert not transcripts.too_long(None, 300)  # unknown: Transcribe measures it


def test_an_audio_starts_pending_unless_the_gateway_sent_its_transcript():
    audio = Attachment("k", MediaKind.AUDIO, "audio/ogg", "a.ogg", 10)
    assert transcripts.initial_status(audio) == TranscriptStatus.PENDING
    heard = Attachment("k", MediaKind.AUDIO, "audio/ogg", "a.ogg", 10, transcript="oi")
    assert transcripts.initial_status(heard) == TranscriptStatus.DONE
    assert transcripts.initial_status(Attachment("k", MediaKind.IMAGE, "image/png", "a.png", 10)) is None


def test_the_description_becomes_the_transcript_only_when_the_voice_note_was_all_of_it():
    placeholder = "(mensagem de voz)"
    assert transcripts.description_after("(mensagem de voz)", placeholder, "texto") == "texto"
    assert transcripts.description_after("Veja o áudio\n(mensagem de voz)", placeholder, "texto") is None
    assert transcripts.description_after("(mensagem de voz)", placeholder, "") is None


def test_the_stand_in_hears_what_was_recorded_for_those_exact_bytes():
    said = SaidRegistry()
    note = voice_note(2)
    said.record(note, "bom dia")
    assert said.heard(note) == "bom dia"
    assert said.heard(voice_note(3)) == ""
    assert speaking_seconds("um dois três quatro cinco") == 2
    assert decodable("ogg", note)
    assert not decodable("ogg", b"OggS garbage")
    assert not decodable("mp3", note)
