"""moto in a process of its own, as AWS's services run apart from the functions.

The local stack's handlers, pollers and HTTP API share one Python process (one GIL); with moto in
there too, every DynamoDB/SQS request the handlers make competes with them for the same CPU. Here
moto (with local.moto_fixes) answers from a child process, so on a machine with more than one
core a burst of turns and the requests they make run side by side, closer to Lambda, where each
container has its own CPU.

The invitations moto's Cognito would have e-mailed (local.moto_fixes.INVITATIONS) are passed to the
parent through a queue; local.cognito.Mailbox reads them with `pending_invitations()`.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from typing import Any

START_TIMEOUT = 60


def _serve(port: int, ready: Any, invitations: Any, parent: int) -> None:
    """The child: moto's server until the parent goes (however it went)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops us
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)-14s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    from moto.server import ThreadedMotoServer

    from local import moto_cognito, moto_fixes

    moto_fixes.install()
    moto_cognito.on_invitation = invitations.put
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    ready.set()
    # A parent killed without stop() (SIGKILL, a crashed test run) must not leave moto behind.
    while os.getppid() == parent:
        time.sleep(1)
    server.stop()


class MotoProcess:
    """Starts moto in a child process; `start()` returns at once, `wait_ready()` when it answers."""

    def __init__(self, port: int) -> None:
        # spawn, not fork: the parent may already run threads (and a fork would copy its imports).
        context = multiprocessing.get_context("spawn")
        self.port = port
        self.ready = context.Event()
        # A SimpleQueue's put writes to the pipe before moto answers AdminCreateUser (a Queue's
        # feeder thread might not have yet), so the mailbox shows an invitation as soon as it is made.
        self.invitations: Any = context.SimpleQueue()
        self.process = context.Process(
            target=_serve,
            args=(port, self.ready, self.invitations, os.getpid()),
            name="moto",
            daemon=True,
        )
        self.received: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process.start()

    def wait_ready(self) -> None:
        if not self.ready.wait(START_TIMEOUT):
            self.stop()
            raise RuntimeError(f"moto did not start in {START_TIMEOUT} s")

    def pending_invitations(self) -> list[tuple[str, str]]:
        """Every invitation so far, oldest first."""
        with self.lock:
            while not self.invitations.empty():
                email, password = self.invitations.get()
                self.received.append((email, password))
            return list(self.received)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(timeout=5)
