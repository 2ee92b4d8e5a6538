"""Email delivery against a real local SMTP server (aiosmtpd), with and without STARTTLS."""

from __future__ import annotations

from typing import Any

from jupyterlab_dbt_workbench.notify import Channel, Notification, Notifier, parse_channel
from jupyterlab_dbt_workbench.store.database import Database

from .conftest import PASSWORD, USER, FakeClock, SmtpServer, free_port


def email(port: int, **extra: Any) -> Channel:
    return parse_channel(
        {
            "kind": "email",
            "events": ["failure"],
            "host": "127.0.0.1",
            "port": port,
            "sender": "dbt@example.com",
            "recipients": ["data-team@example.com", "oncall@example.com"],
            **extra,
        }
    )


def test_a_failure_email_says_what_happened(
    smtp_server: SmtpServer, database: Database, clock: FakeClock, notification: Notification
) -> None:
    notifier = Notifier(database, clock=clock, timeout=5)
    notifier.notify([email(smtp_server.port)], notification)
    assert notifier.wait_idle(10)

    [message] = smtp_server.mailbox.messages
    assert message["Subject"] == "[dbt] Schedule 'nightly build' failed (project shop)"
    assert message["From"] == "dbt@example.com"
    assert smtp_server.mailbox.envelopes == [
        ("dbt@example.com", ["data-team@example.com", "oncall@example.com"])
    ]
    body = message.get_payload(decode=True).decode()
    assert "Step 2 (build -s tag:daily) failed: 1 error." in body
    assert "41 success, 1 error, 3 skipped" in body
    assert "run-a, run-b" in body
    assert "3 min 05 s" in body
    [delivery] = notifier.deliveries("sch-1")
    assert delivery["status"] == "sent"
    assert delivery["attempts"] == 1
    assert delivery["target"] == (
        f"127.0.0.1:{smtp_server.port} to data-team@example.com, oncall@example.com"
    )


def test_starttls_and_login_with_a_trusted_certificate(
    tls_smtp_server: SmtpServer, trust_certificate: None, database: Database
) -> None:
    channel = email(tls_smtp_server.port, starttls=True, username=USER, password=PASSWORD)
    result = Notifier(database, timeout=5).send_test(channel)
    assert result["status"] == "sent", result["last_error"]
    assert tls_smtp_server.mailbox.tls == [True]
    assert tls_smtp_server.mailbox.logins == [USER]
    [message] = tls_smtp_server.mailbox.messages
    assert message["Subject"] == "[dbt] dbt workbench: test notification"


def test_an_untrusted_certificate_is_a_tls_failure(
    tls_smtp_server: SmtpServer, database: Database
) -> None:
    channel = email(tls_smtp_server.port, starttls=True, username=USER, password=PASSWORD)
    result = Notifier(database, timeout=5).send_test(channel)
    assert result["status"] == "failed"
    assert "TLS with the SMTP server" in result["last_error"]
    assert "certificate is not trusted" in result["last_error"]
    assert tls_smtp_server.mailbox.messages == []


def test_a_wrong_password_is_an_authentication_failure(
    tls_smtp_server: SmtpServer, trust_certificate: None, database: Database
) -> None:
    channel = email(tls_smtp_server.port, starttls=True, username=USER, password="wrong")
    result = Notifier(database, timeout=5).send_test(channel)
    assert result["status"] == "failed"
    assert f"refused the login of user '{USER}'" in result["last_error"]
    assert "535" in result["last_error"]


def test_starttls_on_a_server_without_tls_is_explained(
    smtp_server: SmtpServer, database: Database
) -> None:
    result = Notifier(database, timeout=5).send_test(email(smtp_server.port, starttls=True))
    assert result["status"] == "failed"
    assert "does not offer STARTTLS" in result["last_error"]


def test_a_refused_connection_is_reported(database: Database) -> None:
    port = free_port()
    result = Notifier(database, timeout=5).send_test(email(port))
    assert result["status"] == "failed"
    assert result["last_error"].startswith(
        f"Cannot connect to the SMTP server 127.0.0.1:{port}: connection refused."
    )
    # A test is not a delivery of any schedule: nothing is recorded.
    assert Notifier(database).deliveries() == []
