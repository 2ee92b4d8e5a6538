"""Email delivery over SMTP (smtplib), with optional STARTTLS and login.

STARTTLS verifies the server's certificate against the system's trust store; a server with
a private CA is trusted by pointing ``SSL_CERT_FILE`` at that CA's certificate.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Mapping
from typing import Any

from .errors import DeliveryError
from .messages import email_message
from .model import Notification


def send_email(config: Mapping[str, Any], notification: Notification, timeout: float) -> str | None:
    """Send the notification as one email; raise ``DeliveryError`` when nobody got it.

    Returns a warning when the server accepted the message for some recipients only: the
    delivery counts as sent, since retrying would send it twice to the others.
    """
    host, port = str(config["host"]), int(config["port"])
    where = f"the SMTP server {host}:{port}"
    server = f"The SMTP server {host}:{port}"
    recipients = tuple(config["recipients"])
    message = email_message(notification, str(config["sender"]), recipients)
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            smtp.ehlo()
            if config.get("starttls"):
                if not smtp.has_extn("starttls"):
                    raise DeliveryError(
                        f"{server} does not offer STARTTLS: turn STARTTLS off for this server "
                        "or use its submission port (usually 587)."
                    )
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if config.get("username"):
                smtp.login(str(config["username"]), str(config.get("password") or ""))
            refused = smtp.send_message(message, to_addrs=list(recipients))
    except DeliveryError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(
            f"{server} refused the login of user {config.get('username')!r}: "
            f"{_reply(exc.smtp_code, exc.smtp_error)}. Check the username and password."
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise DeliveryError(
            f"{server} does not support login ({exc}); without STARTTLS most servers offer no "
            "login: turn STARTTLS on, or clear the username."
        ) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        first, (code, text) = next(iter(exc.recipients.items()))
        raise DeliveryError(
            f"{server} refused every recipient, e.g. {first}: {_reply(code, text)}."
        ) from exc
    except smtplib.SMTPSenderRefused as exc:
        raise DeliveryError(
            f"{server} refused the sender {exc.sender}: {_reply(exc.smtp_code, exc.smtp_error)}."
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"{server} answered {_reply(exc.smtp_code, exc.smtp_error)}.") from exc
    except ssl.SSLCertVerificationError as exc:
        raise DeliveryError(
            f"TLS with {where} failed: its certificate is not trusted ({exc.verify_message}). "
            "Use the server's proper host name, or trust its CA (SSL_CERT_FILE)."
        ) from exc
    except ssl.SSLError as exc:
        raise DeliveryError(f"TLS with {where} failed: {exc.reason or exc}.") from exc
    except smtplib.SMTPServerDisconnected as exc:
        raise DeliveryError(f"{server} closed the connection: {exc or 'no reason given'}.") from exc
    except smtplib.SMTPException as exc:
        raise DeliveryError(f"Sending through {where} failed: {exc}.") from exc
    except ConnectionRefusedError as exc:
        raise DeliveryError(
            f"Cannot connect to {where}: connection refused. Are the host and port right, and "
            "is the server running?"
        ) from exc
    except socket.gaierror as exc:
        raise DeliveryError(f"Cannot resolve the SMTP host {host!r}: {exc.strerror}.") from exc
    except TimeoutError as exc:
        raise DeliveryError(f"{server} did not answer within {timeout:g} s.") from exc
    except OSError as exc:
        raise DeliveryError(f"Cannot talk to {where}: {exc.strerror or exc}.") from exc
    if refused:
        return f"{server} refused some recipients: {', '.join(sorted(refused))}; the others got it."
    return None


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()
