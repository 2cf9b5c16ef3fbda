"""A real SMTP server (aiosmtpd) running in the test process, and what it received.

Every app the suite starts — in-process or as a server process — sends its mail here
(`WORKCRED_SMTP_URL` in tests/suite.py), and tests read codes and links from the messages as a
member would from their inbox. Mail leaves an app in the background, so reading waits for it
to arrive (bounded, for a mail that never comes).
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

ARRIVAL_SECONDS = 15
CODE = re.compile(r"\b(\d{6})\b")
RESET_TOKEN = re.compile(r"\(resetPassword\): (\S+)")


@dataclass(frozen=True)
class Received:
    to: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        part = self.message.get_body(("plain",))
        return str(part.get_content()) if part is not None else ""


class Mailbox:
    def __init__(self, tls_context: Any = None, authenticator: Any = None) -> None:
        self._received: list[Received] = []
        self._lock = threading.Lock()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        extra = {"tls_context": tls_context, "require_starttls": True} if tls_context else {}
        if authenticator is not None:
            extra |= {"authenticator": authenticator, "auth_require_tls": True}
        self._controller = Controller(self, hostname="127.0.0.1", port=port, **extra)
        self._controller.start()
        self.port = port

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self._controller.stop()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's hook
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self._received.append(Received(tuple(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def sent_to(self, address: str) -> list[Received]:
        with self._lock:
            return [mail for mail in self._received if address.lower() in (to.lower() for to in mail.to)]

    async def next_to(self, address: str, after: int = 0, subject: str = "") -> Received:
        """The first mail to `address` past the first `after` of them (whose subject holds
        `subject`), once it has arrived."""
        deadline = asyncio.get_running_loop().time() + ARRIVAL_SECONDS
        while True:
            found = [mail for mail in self.sent_to(address)[after:] if subject in mail.subject]
            if found:
                return found[0]
            assert asyncio.get_running_loop().time() < deadline, f"no mail to {address} ({subject!r}) arrived"
            await asyncio.sleep(0.005)

    async def code_for(self, address: str, after: int = 0) -> str:
        """The code in the next verification mail to `address`."""
        mail = await self.next_to(address, after, "Your workcred code")
        found = CODE.search(mail.subject)
        assert found is not None, mail.subject
        return found.group(1)

    async def reset_token_for(self, address: str, after: int = 0) -> str:
        mail = await self.next_to(address, after, "Reset your workcred password")
        found = RESET_TOKEN.search(mail.body)
        assert found is not None, mail.body
        return found.group(1)


_PROCESS_MAILBOX: Mailbox | None = None


def mailbox() -> Mailbox:
    """This test process's mailbox, started on first use (each xdist worker has its own)."""
    global _PROCESS_MAILBOX  # noqa: PLW0603 - one SMTP server per test process
    if _PROCESS_MAILBOX is None:
        _PROCESS_MAILBOX = Mailbox()
    return _PROCESS_MAILBOX


def close_mailbox() -> None:
    if _PROCESS_MAILBOX is not None:
        _PROCESS_MAILBOX.stop()
