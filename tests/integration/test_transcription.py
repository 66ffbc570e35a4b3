"""Voice notes transcribed into their ticket, over moto: the processor stores the audio, the
NotifierFunction (the stream filter) and TranscriberFunction (the EventBridge rule) start Amazon Transcribe
jobs in moto, the local stand-in finishes them, and the transcript lands on the attachment once."""

from __future__ import annotations

import json
import logging

import pytest

from helpdesk.aws import s3
from helpdesk.domain import transcripts
from helpdesk.domain.messages import Attachment, MediaKind
from helpdesk.logic import erp, privacy
from helpdesk.logic.services import Services
from helpdesk.logic.ticket_actions import post_action
from helpdesk.storage.models import Action, Ticket
from helpdesk.storage.transcriptions import Transcription
from local.eventbus import LocalEventBus, event
from local.lambdas import Containers
from local.seed import seed_demo_data
from local.testing.whatsapp import Processor, file
from local.testing.whatsapp import Requester as Phone
from local.transcribe import voice_note
from tests.integration.erp_fixtures import StreamReader, notifier, selected  # noqa: F401 (fixture)
from tests.integration.test_notifier import erp_server  # noqa: F401 (fixture)
from tests.support.transcriber import Transcriber

PHONE = "5511987654321"
SAID = "Bom dia, a impressora do financeiro parou de imprimir as notas fiscais"


@pytest.fixture
def maria(aws):
    seed_demo_data()
    phone = Phone(Processor(aws), PHONE)
    phone.register()
    return phone


@pytest.fixture
def transcriber(aws, maria):
    found = Transcriber(aws)
    found.new_records()  # what the registration wrote
    return found


def voice_ticket(maria, audio: bytes, **media) -> int:
    """A ticket whose whole description is a voice note."""
    maria.says("0")
    maria.says("Impressora parou")
    maria.says("2")
    maria.sends(file(PHONE, MediaKind.AUDIO, "audio/ogg; codecs=opus", None, audio, **media))
    maria.says("Fim")
    return int(Ticket.get("TICKET#1", "META").number)


def opening_action(number: int = 1) -> Action:
    return next(a for a in Action.query(f"TICKET#{number}") if isinstance(a, Action))


def opening_audio(number: int = 1):
    action = opening_action(number)
    return action, action.attachments[0]


def test_a_voice_note_description_becomes_its_transcript_once(aws, maria, transcriber):
    audio = voice_note(4)
    transcriber.said.record(audio, SAID)
    number = voice_ticket(maria, audio)
    ticket = Ticket.get(f"TICKET#{number}", "META")
    assert ticket.description == "(mensagem de voz)"
    _, attachment = opening_audio()
    assert attachment.transcript_status == "pending"  # stored by the turn, which never waits

    transcriber.start_jobs()
    [job] = transcriber.jobs()
    assert job.startswith("helpdesk-")
    started = aws.session.client("transcribe").get_transcription_job(TranscriptionJobName=job)
    assert started["TranscriptionJob"]["LanguageCode"] == "pt-BR"
    assert started["TranscriptionJob"]["Media"]["MediaFileUri"] == f"s3://{aws.bucket}/{attachment.key}"
    assert transcriber.finish_jobs() == 1

    _, attachment = opening_audio()
    assert (attachment.transcript, attachment.transcript_status) == (SAID, "done")
    ticket = Ticket.get(f"TICKET#{number}", "META")
    assert ticket.description == SAID
    assert ticket.transcripts == [SAID]
    assert transcriber.jobs() == []  # DeleteTranscriptionJob: no copy lingers in Transcribe
    # Its document too: the text is on the ticket now (what a requester said is not kept twice).
    listed = aws.session.client("s3").list_objects_v2(Bucket=aws.bucket, Prefix=transcripts.output_key(job))
    assert listed.get("KeyCount", 0) == 0

    # The same completion again (EventBridge delivers at least once) and the stream record again.
    transcriber.publish(transcriber.events[-1])
    transcriber.checkpoints.clear()
    transcriber.start_jobs()
    assert transcriber.jobs() == []  # a settled audio starts no new job
    assert Ticket.get(f"TICKET#{number}", "META").transcripts == [SAID]
    assert Transcription.get(f"TRANSCRIPTION#{job}", "META").state == "done"


def test_a_redelivered_stream_record_finds_its_job_started(aws, maria, transcriber):
    audio = voice_note(3)
    voice_ticket(maria, audio)
    records = transcriber.new_records()
    transcriber.starter.invoke({"Records": records})
    transcriber.starter.invoke({"Records": records})  # ConflictException: started already
    assert len(transcriber.jobs()) == 1


def test_audio_over_the_limit_is_marked_without_a_job(aws, maria, transcriber, monkeypatch):
    monkeypatch.setenv("TRANSCRIBE_MAX_SECONDS", "60")
    from helpdesk import caches

    caches.reset()
    voice_ticket(maria, voice_note(61))
    transcriber.start_jobs()
    assert transcriber.jobs() == []
    _, attachment = opening_audio()
    assert (attachment.transcript, attachment.transcript_status) == (None, "unavailable")
    assert Ticket.get("TICKET#1", "META").description == "(mensagem de voz)"  # the audio stays
    assert attachment.key


def test_the_gateways_seconds_field_decides_when_present(aws, maria, transcriber):
    audio = voice_note(2)
    voice_ticket(maria, audio, seconds=600)
    transcriber.start_jobs()
    assert transcriber.jobs() == []
    assert opening_audio()[1].transcript_status == "unavailable"


def test_corrupt_audio_fails_its_job_and_gets_the_marker(aws, maria, transcriber):
    voice_ticket(maria, b"OggS this is not audio" + b"\x00" * 200)
    transcriber.run()
    [event] = transcriber.events
    assert event["detail"]["TranscriptionJobStatus"] == "FAILED"
    _, attachment = opening_audio()
    assert attachment.transcript_status == "unavailable"
    assert transcriber.jobs() == []


def test_a_voice_note_nobody_spoke_in_is_unavailable(aws, maria, transcriber):
    voice_ticket(maria, voice_note(2))  # never recorded: Transcribe hears silence
    transcriber.run()
    assert opening_audio()[1].transcript_status == "unavailable"


def test_the_gateways_transcript_is_kept_and_no_job_starts(aws, maria, transcriber):
    audio = voice_note(3)
    maria.says("0")
    maria.says("Impressora parou")
    maria.says("2")
    maria.says("Detalhes no áudio.")
    maria.sends(
        file(PHONE, MediaKind.AUDIO, "audio/ogg; codecs=opus", None, audio, transcript="texto do gateway")
    )
    maria.says("Fim")
    transcriber.start_jobs()
    assert transcriber.jobs() == []
    _, attachment = opening_audio()
    assert (attachment.transcript, attachment.transcript_status) == ("texto do gateway", "done")


def test_a_completion_after_the_requester_was_erased_changes_nothing(aws, maria, transcriber):
    audio = voice_note(3)
    transcriber.said.record(audio, SAID)
    voice_ticket(maria, audio)
    transcriber.start_jobs()
    [job] = transcriber.jobs()
    privacy.erase(Services(), PHONE, "admin@example.com")
    transcriber.finish_jobs()
    assert opening_action().attachments == []
    assert SAID not in repr(Ticket.get("TICKET#1", "META").transcripts)
    keys = aws.session.client("s3").list_objects_v2(Bucket=aws.bucket).get("KeyCount")
    assert keys == 0, "the audio and its late transcript are gone"
    assert transcriber.jobs() == []
    assert job


def test_erasure_removes_transcripts_with_the_audio(aws, maria, transcriber):
    audio = voice_note(3)
    transcriber.said.record(audio, SAID)
    voice_ticket(maria, audio)
    transcriber.run()
    exported = privacy.export(Services(), PHONE)
    assert exported is not None
    [(_, actions)] = exported.tickets
    assert actions[0].attachments[0].transcript == SAID

    privacy.erase(Services(), PHONE, "admin@example.com")
    ticket = Ticket.get("TICKET#1", "META")
    assert not ticket.transcripts
    assert opening_action().attachments == []
    assert ticket.description == "(mensagem de voz)"  # the transcript went with the voice note
    listed = aws.session.client("s3").list_objects_v2(Bucket=aws.bucket, Prefix=transcripts.OUTPUT_PREFIX)
    assert listed.get("KeyCount") == 0


def test_the_erp_gets_attachment_transcribed_once(aws, maria, transcriber, notifier, erp_server):  # noqa: F811 (fixtures)
    stream = StreamReader(aws)
    audio = voice_note(3)
    transcriber.said.record(audio, SAID)
    voice_ticket(maria, audio)
    transcriber.run()
    outbound = selected(stream.new_records())
    assert notifier.invoke(outbound) == {"batchItemFailures": []}, notifier.exceptions
    events = {}
    for headers, body in erp_server.received:
        erp.verify_signature(body, headers, "test-erp-secret")
        event = json.loads(body)
        events[event["type"]] = event
    transcribed = events["attachment.transcribed"]
    assert transcribed["data"]["transcript"] == SAID
    assert transcribed["data"]["ticket_number"] == 1
    assert transcribed["data"]["language"] == "pt-BR"
    assert transcribed["data"]["attachment"]["mimetype"] == "audio/ogg"
    assert transcribed["data"]["action_id"].startswith("wa-")
    notifier.invoke(outbound)  # a redelivered record is not posted twice
    assert [json.loads(b)["type"] for _, b in erp_server.received].count("attachment.transcribed") == 1


def test_an_audio_posted_from_the_console_or_the_portal_is_transcribed_too(aws, maria, transcriber):
    maria.open_ticket()
    transcriber.new_records()
    audio = voice_note(2)
    transcriber.said.record(audio, "Retorne quando puder")
    s3.put("media/admin/1/resposta.ogg", audio, "audio/ogg")
    attachment = Attachment(
        "media/admin/1/resposta.ogg", MediaKind.AUDIO, "audio/ogg", "resposta.ogg", len(audio)
    )
    post_action(
        Services(),
        1,
        author_kind="agent",
        author_name="Ana",
        text="",
        source="admin",
        attachments=[attachment],
    )
    transcriber.run()
    answer = [a for a in Action.query("TICKET#1") if isinstance(a, Action)][-1]
    assert (answer.attachments[0].transcript, answer.attachments[0].transcript_status) == (
        "Retorne quando puder",
        "done",
    )


def test_transcripts_are_never_logged(aws, maria, transcriber):
    class Recorded(logging.Handler):
        lines: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.lines.append(repr(record.__dict__))

    handler = Recorded()
    logging.getLogger("helpdesk").addHandler(handler)  # Powertools' service logger, children included
    try:
        audio = voice_note(3)
        transcriber.said.record(audio, SAID)
        voice_ticket(maria, audio)
        transcriber.run()
    finally:
        logging.getLogger("helpdesk").removeHandler(handler)
    assert opening_audio()[1].transcript == SAID
    logged = "\n".join(handler.lines)
    assert "transcript stored" in logged
    assert "impressora do financeiro" not in logged


def test_a_completion_that_keeps_failing_lands_in_the_dead_letter_queue(aws, maria, transcriber):
    """A poison completion: COMPLETED with no output document. Lambda retries the asynchronous
    invocation (the template's EventInvokeConfig), then sends the event to its DeadLetterQueue."""
    voice_ticket(maria, voice_note(3))
    transcriber.start_jobs()
    [job] = transcriber.jobs()
    containers = Containers(transcriber.function)
    sqs = aws.session.client("sqs")
    bus = LocalEventBus([containers], sqs, aws.resources.queue_urls, retry_pause=0)
    poison = event(
        "aws.transcribe",
        "Transcribe Job State Change",
        {"TranscriptionJobName": job, "TranscriptionJobStatus": "COMPLETED"},
    )
    with pytest.raises(LookupError):
        transcriber.function.invoke(poison)
    bus._invoke(containers, poison)  # what put() runs on a thread of its own
    queue = aws.resources.queue_urls["TranscriberFailureQueue"]
    [parked] = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    assert json.loads(parked["Body"])["detail"]["TranscriptionJobName"] == job
    assert opening_audio()[1].transcript_status == "pending"  # nothing half-written
