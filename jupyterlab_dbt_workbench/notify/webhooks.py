"""Slack and generic webhook delivery: one JSON POST with urllib.

Redirects are not followed: urllib would turn the POST into a GET and drop the body, so a
redirect is reported as a failure naming the new location. Proxies from the environment
(``https_proxy``, ``no_proxy``) apply as for any urllib request.
"""

from __future__ import annotations

import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from jupyterlab_dbt_workbench import __version__

from .errors import DeliveryError
from .messages import SIGNATURE_HEADER, json_body, signature, slack_payload, webhook_payload
from .model import Notification

_EXCERPT = 200


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def send_slack(config: Mapping[str, Any], notification: Notification, timeout: float) -> None:
    """Post the notification to a Slack incoming webhook; raise ``DeliveryError`` on failure."""
    post_json(str(config["url"]), json_body(slack_payload(notification)), {}, timeout, "Slack")


def send_webhook(config: Mapping[str, Any], notification: Notification, timeout: float) -> None:
    """Post the notification JSON to a webhook, signed when the channel has a secret."""
    body = json_body(webhook_payload(notification))
    headers = {}
    if config.get("secret"):
        headers[SIGNATURE_HEADER] = signature(str(config["secret"]), body)
    post_json(str(config["url"]), body, headers, timeout, "The webhook")


def post_json(url: str, body: bytes, headers: Mapping[str, str], timeout: float, who: str) -> None:
    """POST ``body`` as JSON; any answer but 2xx raises ``DeliveryError``.

    ``who`` names the receiver in messages; they never contain the URL, which may hold a
    token (Slack's does).
    """
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": f"jupyterlab-dbt-workbench/{__version__}",
            **headers,
        },
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read(_EXCERPT)
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            raise DeliveryError(
                f"{who} answered HTTP {exc.code} (a redirect to {exc.headers.get('Location')}); "
                "use the final URL."
            ) from exc
        raise DeliveryError(f"{who} answered HTTP {exc.code}: {_excerpt(exc)}") from exc
    except urllib.error.URLError as exc:
        raise DeliveryError(f"Cannot reach {who.lower()}: {_reason(exc.reason, timeout)}") from exc
    except TimeoutError as exc:
        raise DeliveryError(f"{who} did not answer within {timeout:g} s.") from exc
    except OSError as exc:
        raise DeliveryError(f"Talking to {who.lower()} failed: {exc}.") from exc


def _excerpt(error: urllib.error.HTTPError) -> str:
    try:
        raw = error.read(_EXCERPT * 4)
    except OSError:
        raw = b""
    text = " ".join(raw.decode("utf-8", "replace").split())
    if len(text) > _EXCERPT:
        text = text[:_EXCERPT] + "..."
    return text or "(empty body)"


def _reason(reason: Any, timeout: float) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the receiver running?)."
    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} s."
    if isinstance(reason, socket.gaierror):
        return f"the host name cannot be resolved ({reason.strerror})."
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"its TLS certificate is not trusted ({reason.verify_message})."
    if isinstance(reason, ssl.SSLError):
        return f"TLS failed ({reason.reason or reason})."
    return f"{reason}."
