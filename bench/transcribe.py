"""Voice notes: what transcribing one costs (bench/prices.json) and how long it takes on the local
stack, from the webhook that saves the ticket to the transcript on it (the local Amazon Transcribe
stand-in answers at once: in AWS a job adds its own time, typically some seconds)."""

from __future__ import annotations

import json
import math
import statistics
import tempfile
import time
from pathlib import Path

import requests

from bench.cost import PRICES, memory_sizes

VOICE_NOTE_SECONDS = 30
RUNS = 5


def transcribe_usd(seconds: float, prices: dict) -> float:
    """Amazon Transcribe's list price for one job: per second, with its minimum."""
    billed = max(math.ceil(seconds), prices["transcribe_minimum_seconds"])
    return billed / 60 * prices["transcribe_batch_minute"]


def cost(conversation_usd: float, prices: dict | None = None, seconds: float = VOICE_NOTE_SECONDS) -> dict:
    """One ticket-opening conversation with one voice note of `seconds`."""
    prices = prices or json.loads(PRICES.read_text())
    memory = memory_sizes()["TranscriberFunction"]
    invocations = 2  # the stream record that starts the job, the completion event
    gb_seconds = invocations * memory / 1024 * prices["assumptions"]["transcriber_ms"] / 1000
    pipeline = {
        "Amazon Transcribe": transcribe_usd(seconds, prices),
        "Lambda (transcriber)": invocations * prices["lambda_request"]
        + gb_seconds * prices["lambda_arm64_gb_second"],
        "DynamoDB": 7 * prices["dynamodb_on_demand_write_request_unit"]
        + 1 * prices["dynamodb_on_demand_read_request_unit"],
        "S3": 3 * prices["s3_standard_get"],
    }
    transcription = sum(pipeline.values())
    return {
        "voice_note_seconds": seconds,
        "usd_per_minute": prices["transcribe_batch_minute"],
        "minimum_seconds": prices["transcribe_minimum_seconds"],
        "transcription_usd": pipeline,
        "transcription_total_usd": transcription,
        "conversation_without_voice_note_usd": conversation_usd,
        "conversation_with_voice_note_usd": conversation_usd + transcription,
    }


def run(runs: int = RUNS) -> dict:
    """Seconds from the "Fim" that saves a ticket opened with a voice note to its transcript in the
    admin API, on the local stack (`python -m local`)."""
    from local.launch import start_stack, stop_stack
    from local.testing.whatsapp import register, say, say_by_voice

    with tempfile.TemporaryDirectory() as tmp:
        process, stack = start_stack(Path(tmp), LOCAL_LOG_LEVEL="WARNING")
        try:
            phone = "5531977000001"
            register(stack, phone, "Bia Bench", "bia@cliente.com.br")
            headers = {"Authorization": f"Bearer {stack.admin_token}"}
            seconds = []
            for n in range(runs):
                for body in ("0", f"Voz {n}", "2"):
                    say(stack, phone, body)
                say_by_voice(stack, phone, f"A impressora do setor {n} parou de imprimir", VOICE_NOTE_SECONDS)
                started = time.perf_counter()
                number = _saved_ticket(stack, phone)
                while True:
                    found = requests.get(
                        f"{stack.url}/admin/tickets/{number}", headers=headers, timeout=10
                    ).json()
                    if found["actions"][0]["attachments"][0].get("transcript"):
                        break
                    if time.perf_counter() - started > 60:
                        raise RuntimeError("no transcript in 60 s")
                    time.sleep(0.05)
                seconds.append(time.perf_counter() - started)
        finally:
            stop_stack(process)
    return {
        "runs": runs,
        "seconds": seconds,
        "median_seconds": statistics.median(seconds),
        "max_seconds": max(seconds),
    }


def _saved_ticket(stack, phone: str) -> int:
    from local.testing.whatsapp import evolution_text, send, ticket_number_in

    before = requests.get(f"{stack.url}/simulator/api/messages", params={"phone": phone}, timeout=10).json()
    count = len(before["messages"])
    assert send(stack, evolution_text(phone, f"BENCH-{time.time_ns()}", "Fim")).status_code == 200
    while True:
        messages = requests.get(
            f"{stack.url}/simulator/api/messages", params={"phone": phone}, timeout=10
        ).json()
        texts = [m["text"] for m in messages["messages"][count:] if m.get("text")]
        if any("criado" in t for t in texts):
            return ticket_number_in(texts)
        time.sleep(0.02)
