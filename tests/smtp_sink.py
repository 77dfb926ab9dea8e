"""A real SMTP server (aiosmtpd) on loopback that keeps every message it accepts."""

import email
import email.policy
import socket
import threading
import time

from aiosmtpd.controller import Controller


class Collector:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.received_at: list[float] = []  # time.monotonic() as each message arrived
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
            self.received_at.append(time.monotonic())
        return "250 OK"

    def by_recipient(self) -> dict[str, list]:
        with self.lock:
            result: dict[str, list] = {}
            for message in self.messages:
                result.setdefault(message["To"], []).append(message)
            return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    def __init__(self):
        self.collector = Collector()
        self.port = free_port()
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"
