"""Account mail over real SMTP: STARTTLS with a password (never in clear), TLS from the start,
and the server log when no mail server is set."""

from __future__ import annotations

import logging
import ssl

import pytest
import trustme
from aiosmtpd.smtp import AuthResult, LoginPassword

from infra.mail import Mail, Mailer, MailSettingsError, smtp_server
from tests.mailbox import Mailbox


def accept_only(username: bytes, password: bytes):
    def authenticate(server, session, envelope, mechanism, auth_data):  # aiosmtpd's authenticator
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (username, password)
        return AuthResult(success=ok)

    return authenticate


@pytest.fixture
def tls_mailbox(tmp_path):
    """A mail server with a certificate from a private authority, that takes mail only over
    STARTTLS and only from `sender` with its password."""
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    box = Mailbox(tls_context=context, authenticator=accept_only(b"sender", b"s3cret pass"))
    yield box, ca_file
    box.stop()


async def test_mail_goes_over_starttls_with_a_password_to_a_private_authoritys_server(tls_mailbox):
    box, ca_file = tls_mailbox
    mailer = Mailer(smtp_server(f"smtp://sender:s3cret%20pass@127.0.0.1:{box.port}?ca={ca_file}"), "workcred <a@b.test>")
    mailer.send_later(Mail("someone@example.com", "Hello", "Over TLS."))
    await mailer.drain()
    [received] = box.sent_to("someone@example.com")
    assert (received.subject, received.body.strip(), received.message["From"]) == ("Hello", "Over TLS.", "workcred <a@b.test>")


async def test_a_password_never_goes_in_clear_and_an_untrusted_certificate_is_refused(tls_mailbox, caplog):
    box, _ = tls_mailbox
    plain = Mailbox()  # no TLS on offer: a password must not be sent to it
    try:
        for url in (f"smtp://sender:s3cret%20pass@127.0.0.1:{plain.port}",
                    f"smtp://sender:s3cret%20pass@127.0.0.1:{box.port}"):  # (its authority not trusted)
            mailer = Mailer(smtp_server(url), "a@b.test")
            mailer.send_later(Mail("lost@example.com", "Hello", "Never."))
            await mailer.drain()
    finally:
        plain.stop()
    assert box.sent_to("lost@example.com") == plain.sent_to("lost@example.com") == []
    assert sum("could not send mail to lost@example.com" in r.getMessage() for r in caplog.records) == 2


async def test_without_a_mail_server_the_mail_is_written_to_the_log(caplog):
    caplog.set_level(logging.WARNING, logger="workcred.mail")
    mailer = Mailer(None, "a@b.test")
    mailer.send_later(Mail("dev@example.com", "Your workcred code: 123456", "Enter 123456."))
    await mailer.drain()
    assert "dev@example.com: Your workcred code: 123456" in caplog.text


@pytest.mark.parametrize(("url", "server"), [
    ("smtp://mail.example.com", ("mail.example.com", 587, None, None, False)),
    ("smtps://u:p%40ss@mail.example.com", ("mail.example.com", 465, "u", "p@ss", True)),
    ("smtp://127.0.0.1:2525", ("127.0.0.1", 2525, None, None, False)),
])
def test_smtp_urls_name_host_port_credentials_and_tls(url, server):
    parsed = smtp_server(url)
    assert (parsed.host, parsed.port, parsed.username, parsed.password, parsed.implicit_tls) == server
    assert parsed.requires_starttls is (server[3] is not None and not server[4])


@pytest.mark.parametrize("url", ["http://mail", "smtp://", "smtp://h:0x", "smtp://h/path", "smtp://h?tls=no"])
def test_bad_smtp_urls_stop_the_service_with_a_clear_message(url):
    from infra.settings import Settings, SettingsError

    with pytest.raises(MailSettingsError):
        smtp_server(url)
    with pytest.raises(SettingsError, match="WORKCRED_SMTP_URL"):
        Settings(database_url="sqlite://:memory:", smtp_url=url)
