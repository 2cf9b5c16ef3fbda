"""Mail to members: over SMTP (`WORKCRED_SMTP_URL`), or — without one — into the server log,
as a development mail backend does, so a fresh checkout can sign up and verify with no mail
server at all.

`smtp://user:password@host:587` speaks STARTTLS (required when it carries a password, so a
password never crosses the wire in clear; taken when offered otherwise); `smtps://…:465`
connects over TLS from the start. `?ca=/path/to/bundle.pem` names the certificate authorities
to trust, for a mail server with a private certificate.

Mail leaves in the background: a request never waits on, nor fails with, the mail server, and
how long it takes tells nothing about what was sent (sign-up answers alike whether or not the
address has an account). A mail that cannot be delivered is logged, never retried.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

logger = logging.getLogger("workcred.mail")

SCHEMES = {"smtp": 587, "smtps": 465}


class MailSettingsError(ValueError):
    """WORKCRED_SMTP_URL cannot be used; the message says why."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str | None
    password: str | None
    implicit_tls: bool  # smtps://
    ca_file: str | None

    @property
    def requires_starttls(self) -> bool:
        return not self.implicit_tls and self.password is not None


def smtp_server(url: str) -> SmtpServer:
    """The server a WORKCRED_SMTP_URL names, or MailSettingsError."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise MailSettingsError("WORKCRED_SMTP_URL must start with smtp:// or smtps://")
    try:
        port = parts.port or SCHEMES[parts.scheme]
    except ValueError:
        raise MailSettingsError("WORKCRED_SMTP_URL has a port that is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise MailSettingsError("WORKCRED_SMTP_URL names no host")
    if parts.path not in ("", "/"):
        raise MailSettingsError("WORKCRED_SMTP_URL takes no path")
    options = parse_qs(parts.query)
    if set(options) - {"ca"}:
        raise MailSettingsError("WORKCRED_SMTP_URL knows only the option ?ca=/path/to/bundle.pem")
    return SmtpServer(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        implicit_tls=parts.scheme == "smtps",
        ca_file=options["ca"][0] if "ca" in options else None,
    )


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


class Mailer:
    """Sends from `sender` through `server`, or logs when there is none."""

    def __init__(self, server: SmtpServer | None, sender: str) -> None:
        self.server = server
        self.sender = sender
        self._sending: set[asyncio.Task[None]] = set()

    def send_later(self, mail: Mail) -> None:
        """Queue the mail on this event loop; it is sent after the caller's response."""
        task = asyncio.get_running_loop().create_task(self._send(mail))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def drain(self) -> None:
        """Wait for the mail under way (the app does this when it stops)."""
        while self._sending:
            await asyncio.gather(*list(self._sending), return_exceptions=True)

    async def _send(self, mail: Mail) -> None:
        if self.server is None:
            logger.warning("mail (no WORKCRED_SMTP_URL set) to %s: %s\n%s", mail.to, mail.subject, mail.body)
            return
        import aiosmtplib

        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, mail.to, mail.subject
        message.set_content(mail.body)
        server = self.server
        try:
            await aiosmtplib.send(
                message,
                hostname=server.host,
                port=server.port,
                username=server.username,
                password=server.password,
                use_tls=server.implicit_tls,
                start_tls=True if server.requires_starttls else None,
                cert_bundle=server.ca_file,
                timeout=30,
            )
        except (aiosmtplib.SMTPException, OSError) as failure:
            logger.error("could not send mail to %s (%s): %s", mail.to, mail.subject, failure)
