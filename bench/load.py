"""Latency under load: webhook POST -> the first reply at a slow gateway, on the local stack.

The simulator stands in for a real gateway that answers each send after SIMULATOR_SEND_DELAY_MS
(default 250 ms); the local stack consumes the FIFO queue as Lambda does (the processor's
configured concurrency, one container per batch in flight, never two batches of one phone). Two
figures from the same stack: one phone writing alone (first contact, one phone at a time), and
50 phones starting a conversation at the same moment (rounds of simultaneous webhooks, after a
first burst that starts the containers, reported apart). A reply's time is when the gateway
answered its send (the simulator's clock, same machine).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path

import requests

from bench.harness import evolution_text
from bench.latency import percentiles

DELAY_MS = 250
PHONES = 50
ROUNDS = 3
SINGLES = 20
FIRST_CONTACT = "oi"
FIRST_CONTACT_REPLIES = 2  # greeting + CNPJ question: the next message waits for both
POLL_SECONDS = 0.1  # a reply's time is the simulator's clock: polling often only costs the stack CPU


class Outbox:
    """The simulator's record of what the bot sent, read incrementally."""

    def __init__(self, http: requests.Session, url: str) -> None:
        self.http, self.url, self.seq = http, url, 0
        self.first: dict[str, float] = {}
        self.count: dict[str, int] = {}

    def read(self) -> None:
        got = self.http.get(
            f"{self.url}/simulator/api/messages", params={"after": self.seq}, timeout=10
        ).json()
        for message in got["messages"]:
            self.first.setdefault(message["phone"], message["at_epoch"])
            self.count[message["phone"]] = self.count.get(message["phone"], 0) + 1
            self.seq = max(self.seq, message["seq"])

    def wait(self, phones: list[str], replies: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while any(self.count.get(p, 0) < replies for p in phones):
            if time.monotonic() > deadline:
                missing = [p for p in phones if self.count.get(p, 0) < replies]
                raise RuntimeError(f"{len(missing)} phones without their replies after {timeout} s")
            time.sleep(POLL_SECONDS)
            self.read()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The live child processes of `pid` (the local stack's: moto's process)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that just ended
            continue
    return found


def stack_cpu_seconds(pid: int) -> dict[str, float]:
    """CPU so far of the stack's process (API, pollers, handlers) and of its children (moto)."""
    return {"functions": cpu_seconds(pid), "moto": sum(cpu_seconds(child) for child in children(pid))}


def post(http: requests.Session, stack, phone: str, message_id: str, sent: dict[str, float]) -> None:
    payload = evolution_text(phone, message_id, FIRST_CONTACT)
    sent[phone] = time.time()
    response = http.post(
        f"{stack.url}/webhooks/evolution",
        json=payload,
        headers={"x-webhook-token": stack.webhook_token},
        timeout=30,
    )
    assert response.status_code == 200, response.text


def burst(stack, outbox: Outbox, phones: list[str], tag: str) -> list[float]:
    """Every phone's first message posted at the same moment, each from a client of its own."""
    sent: dict[str, float] = {}
    ready = threading.Barrier(len(phones))
    sessions = [requests.Session() for _ in phones]
    errors: list[BaseException] = []

    def one(index: int, phone: str) -> None:
        try:
            ready.wait(timeout=30)
            post(sessions[index], stack, phone, f"{tag}{index:04d}", sent)
        except BaseException as error:  # reported below, with the others
            errors.append(error)

    threads = [threading.Thread(target=one, args=(i, p)) for i, p in enumerate(phones)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    outbox.wait(phones, FIRST_CONTACT_REPLIES)
    return [(outbox.first[p] - sent[p]) * 1000 for p in phones]


def run(phones: int = PHONES, rounds: int = ROUNDS, singles: int = SINGLES, delay_ms: int = DELAY_MS) -> dict:
    from local.cfn import functions, load_template
    from local.launch import start_stack, stop_stack

    spec = next(s for s in functions(load_template()) if s.logical_id == "ProcessorFunction")
    with tempfile.TemporaryDirectory() as tmp:
        process, stack = start_stack(
            Path(tmp),
            SIMULATOR_SEND_DELAY_MS=str(delay_ms),
            LOCAL_LOG_LEVEL="WARNING",
            LOCAL_VISIBILITY_TIMEOUT="",  # the template's: a slow batch must not come back mid-way
        )
        try:
            http = requests.Session()
            outbox = Outbox(http, stack.url)
            single: list[float] = []
            for n in range(singles + 1):
                phone = f"55419{n:08d}"
                sent: dict[str, float] = {}
                post(http, stack, phone, f"ONE{n:04d}", sent)
                outbox.wait([phone], FIRST_CONTACT_REPLIES)
                if n:  # the first one warms connections and per-container caches
                    single.append((outbox.first[phone] - sent[phone]) * 1000)
            # The first burst starts the containers it needs (webhook and processor cold starts,
            # as Lambda scales out); the measured rounds run on warm ones, as steady traffic does.
            first_burst = burst(stack, outbox, [f"55439{n:08d}" for n in range(phones)], "WARM")
            loaded: list[float] = []
            before, wall = stack_cpu_seconds(process.pid), time.perf_counter()
            for r in range(rounds):
                numbers = [f"55429{r:03d}{n:05d}" for n in range(phones)]
                loaded += burst(stack, outbox, numbers, f"LOAD{r:02d}")
            # The functions share one Python process, moto has another, on a shared 2-core machine:
            # a burst's CPU time over the cores it can use bounds its latency however it is scheduled.
            after, wall = stack_cpu_seconds(process.pid), time.perf_counter() - wall
            cpu = {part: after[part] - before[part] for part in after}
            log = stack.log()
        finally:
            stop_stack(process)
    if "message group" in log and "in flight" in log:
        raise RuntimeError(
            f"the local event source mapping saw one message group in two batches:\n{log[-3000:]}"
        )
    one, many = percentiles(single), percentiles(loaded)
    return {
        "gateway_delay_ms": delay_ms,
        "phones": phones,
        "rounds": rounds,
        "processor": {"batch_size": spec.batch_size, "concurrency": spec.concurrency},
        "single": one,
        "first_burst": percentiles(first_burst),
        "loaded": many,
        "p95_ratio": many["p95_ms"] / one["p95_ms"],
        "stack_cpu_seconds_per_round": sum(cpu.values()) / rounds,
        "functions_cpu_seconds_per_round": cpu["functions"] / rounds,
        "moto_cpu_seconds_per_round": cpu["moto"] / rounds,
        "wall_seconds_per_round": wall / rounds,
        "cores": os.cpu_count() or 1,
        "load_average": os.getloadavg(),
        "samples_ms": {"single": single, "first_burst": first_burst, "loaded": loaded},
    }


if __name__ == "__main__":
    import sys

    args = dict(arg.split("=", 1) for arg in sys.argv[1:])
    result = run(**{k: int(v) for k, v in args.items()})
    print(json.dumps({k: v for k, v in result.items() if k != "samples_ms"}, indent=1))
