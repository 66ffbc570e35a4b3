"""moto's SQS, fixed for the local stack (see local.moto_fixes): moto's clock, consulted for every
queued message on every receive, is the plain one; a FIFO group's redelivered messages come in
order; and every queue operation is atomic across threads, as the service's are (concurrent
pollers never share a message group)."""

from __future__ import annotations

import threading
import time

_sqs_lock = threading.RLock()

# The operations run under the lock, and whether each frees a message group (waking a long poll).
ATOMIC_OPERATIONS = (
    ("send_message", False),  # moto notifies itself
    ("send_message_batch", False),
    ("delete_message", True),
    ("delete_message_batch", True),
    ("change_message_visibility", True),
    ("change_message_visibility_batch", True),
    ("purge_queue", False),
    ("get_queue_attributes", False),
)


def install() -> None:
    from moto.sqs import models as sqs_models

    # Every receive asks each queued message whether it is visible, through moto's freezegun-aware
    # clock (two datetime conversions per call): the plain clock is enough here.
    real_unix_time = sqs_models.unix_time
    sqs_models.unix_time = lambda dt=None: time.time() if dt is None else real_unix_time(dt)
    real_unix_time_millis = sqs_models.unix_time_millis
    sqs_models.unix_time_millis = lambda dt=None: (
        time.time() * 1000.0 if dt is None else real_unix_time_millis(dt)
    )
    _install_ordered_receive(sqs_models.SQSBackend)
    for name, wakes in ATOMIC_OPERATIONS:
        setattr(sqs_models.SQSBackend, name, _atomic(getattr(sqs_models.SQSBackend, name), wakes))


def _install_ordered_receive(backend) -> None:
    # FIFO: when two messages of a group time out together, moto skips the first (its group still
    # looks in flight because of the second) and delivers the second: out of order. SQS releases
    # both first; so does this. SQS is atomic; moto's backend is not across threads (the local
    # stack's server handles each request on a thread of its own; concurrent pollers could both
    # take one group's next message): every queue operation runs under one lock. A long poll waits
    # outside it.
    real_receive = backend.receive_message

    def receive_message(
        self,
        queue_name,
        count,
        wait_seconds_timeout,
        visibility_timeout,
        message_attribute_names=None,
    ):
        queue = self.get_queue(queue_name)
        deadline = time.monotonic() + (wait_seconds_timeout or 0)
        while True:
            with _sqs_lock:
                for message in list(queue.pending_messages):
                    if message.visible:
                        queue.pending_messages.discard(message)
                result = real_receive(self, queue_name, count, 0, visibility_timeout, message_attribute_names)
            remaining = deadline - time.monotonic()
            if result or remaining <= 0:
                return result
            # Woken by a send or a delete (which frees a group); visibility timeouts by the clock.
            with queue._messages_lock:
                queue._messages_lock.wait(timeout=min(remaining, 0.1))

    backend.receive_message = receive_message


def _atomic(method, wakes: bool):
    def run(self, queue_name, *args, **kwargs):
        with _sqs_lock:
            result = method(self, queue_name, *args, **kwargs)
        if wakes:
            queue = self.queues.get(queue_name)
            if queue is not None:
                with queue._messages_lock:
                    queue._messages_lock.notify_all()
        return result

    return run
