"""Validating channels from user input and showing them back with their secrets masked.

A channel's secrets are the email password, the Slack incoming-webhook URL (its path is the
token) and the webhook HMAC secret. ``public_channel`` replaces each with ``MASK``; when that
payload comes back unchanged in an update, ``parse_channel`` keeps the saved value, so the UI
never needs to hold a secret to edit the other fields.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

from jupyterlab_dbt_workbench.errors import InvalidRequest

from .model import EVENTS, KINDS, Channel, ChannelKind
from .payloads import ChannelPayload

MASK = "********"

_FIELDS: dict[str, tuple[str, ...]] = {
    "email": ("host", "port", "starttls", "username", "password", "sender", "recipients"),
    "slack": ("url",),
    "webhook": ("url", "secret"),
}

# Fields never shown back nor stored outside the schedule: masked by public_channel.
_SECRETS: dict[str, str] = {"email": "password", "slack": "url", "webhook": "secret"}

_NAMES = {"email": "Email", "slack": "Slack", "webhook": "Webhook"}

# Deliberately loose: one @, no spaces, a dotted-or-not domain of letters, digits and hyphens
# (internal relays accept "alerts@localhost"). The SMTP server has the last word.
_ADDRESS = re.compile(r"^[^@\s<>,;]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")
_HOST = re.compile(r"^[A-Za-z0-9._:\[\]-]+$")


def parse_channel(payload: Mapping[str, Any], previous: Channel | None = None) -> Channel:
    """Validate a channel payload (``ChannelPayload``) and build the ``Channel``.

    Raises ``InvalidRequest`` naming the field at fault. A secret sent back as ``MASK``
    keeps the value of ``previous`` (the saved channel being edited), provided it is a
    channel of the same kind that has that secret.
    """
    if not isinstance(payload, Mapping):
        raise InvalidRequest("A notification channel must be an object with 'kind' and 'events'.")
    kind = payload.get("kind")
    if kind not in KINDS:
        raise InvalidRequest(
            f"Notification channel 'kind' must be one of {', '.join(KINDS)} (got {kind!r})."
        )
    kind = cast(ChannelKind, kind)
    name = _NAMES[kind]
    unknown = sorted(set(payload) - {"kind", "events", "has_secret", *_FIELDS[kind]})
    if unknown:
        raise InvalidRequest(
            f"{name} channel: unknown field {unknown[0]!r}; "
            f"the fields are {', '.join(('events', *_FIELDS[kind]))}."
        )
    events = _events(payload.get("events"), name)
    kept = previous.config if previous is not None and previous.kind == kind else {}
    if kind == "email":
        config = _email(payload, kept)
    elif kind == "slack":
        config = {"url": _secret_url(payload.get("url"), kept.get("url"), name)}
    else:
        secret = _unmask(payload.get("secret"), kept.get("secret"), name, "secret")
        # A masked URL (it carried credentials, see public_channel) keeps the saved one.
        config = {"url": _secret_url(payload.get("url"), kept.get("url"), name), "secret": secret}
    return Channel(kind=kind, events=events, config=config)


def public_channel(channel: Channel) -> ChannelPayload:
    """The channel as the API shows it: every secret replaced by ``MASK``, ``has_secret`` set.

    ``has_secret`` says whether the secret field holds a value; the Slack URL is always set.
    """
    payload: dict[str, Any] = {"kind": channel.kind, "events": ordered_events(channel.events)}
    secret_field = _SECRETS[channel.kind]
    for key in _FIELDS[channel.kind]:
        value = channel.config.get(key)
        if key == secret_field or (key == "url" and _has_credentials(value)):
            value = MASK if value else None
        elif isinstance(value, (list, tuple)):
            value = list(value)
        payload[key] = value
    payload["has_secret"] = bool(channel.config.get(secret_field))
    return cast(ChannelPayload, payload)


def _has_credentials(url: Any) -> bool:
    """Whether a webhook URL carries a secret of its own: user info or a query string
    (``https://user:token@host/`` or ``...?token=...``); such a URL is shown masked."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return bool(parts.username or parts.password or parts.query)


def ordered_events(events: frozenset[str]) -> list[str]:
    """The events in ``EVENTS`` order (sets have none)."""
    return [event for event in EVENTS if event in events]


def describe_target(channel: Channel) -> str:
    """Where the channel delivers, for the deliveries list: never contains a secret.

    Email shows the server and the recipients, Slack only the host (the URL path is the
    token), a webhook its URL without user info, query or fragment.
    """
    config = channel.config
    if channel.kind == "email":
        recipients = ", ".join(config.get("recipients", ()))
        return f"{config.get('host')}:{config.get('port')} to {recipients}"
    parts = urlsplit(str(config.get("url", "")))
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    if channel.kind == "slack":
        return f"Slack webhook on {host}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def channel_key(channel: Channel) -> str:
    """A stable fingerprint that finds a channel again among a schedule's channels.

    It covers the kind and the configuration except the password and the webhook secret, so
    fixing a wrong password does not orphan a pending retry; the Slack URL is included but
    only as part of a one-way hash (its token is long and random).
    """
    skip = {"password", "secret"}
    config = {key: value for key, value in channel.config.items() if key not in skip}
    text = json.dumps([channel.kind, config], sort_keys=True, default=list)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _events(value: Any, name: str) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise InvalidRequest(
            f"{name} channel: 'events' must be a list of events among {', '.join(EVENTS)}."
        )
    unknown = [event for event in value if event not in EVENTS]
    if unknown:
        raise InvalidRequest(
            f"{name} channel: unknown event {unknown[0]!r} in 'events'; "
            f"the events are {', '.join(EVENTS)}."
        )
    if not value:
        raise InvalidRequest(
            f"{name} channel: 'events' is empty; choose at least one of {', '.join(EVENTS)}."
        )
    return frozenset(value)


def _email(payload: Mapping[str, Any], kept: Mapping[str, Any]) -> dict[str, Any]:
    host = payload.get("host")
    if not isinstance(host, str) or not host.strip() or not _HOST.match(host.strip()):
        raise InvalidRequest(
            "Email channel: 'host' must be the SMTP server's host name or IP address "
            f"(got {host!r})."
        )
    starttls = payload.get("starttls", False)
    if not isinstance(starttls, bool):
        raise InvalidRequest(f"Email channel: 'starttls' must be true or false (got {starttls!r}).")
    port = _port(payload.get("port"), 587 if starttls else 25)
    username = payload.get("username")
    if username is not None and not isinstance(username, str):
        raise InvalidRequest("Email channel: 'username' must be text or null.")
    username = (username or "").strip() or None
    password = _unmask(payload.get("password"), kept.get("password"), "Email", "password")
    if username is not None and password is None:
        raise InvalidRequest(
            "Email channel: 'password' is required when 'username' is set "
            "(leave 'username' empty for servers without login)."
        )
    sender = payload.get("sender")
    if not isinstance(sender, str) or not _ADDRESS.match(sender.strip()):
        raise InvalidRequest(
            f"Email channel: 'sender' must be an email address like alerts@example.com "
            f"(got {sender!r})."
        )
    return {
        "host": host.strip(),
        "port": port,
        "starttls": starttls,
        "username": username,
        "password": password,
        "sender": sender.strip(),
        "recipients": _recipients(payload.get("recipients")),
    }


def _port(value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise InvalidRequest(
            f"Email channel: 'port' must be a whole number from 1 to 65535 (got {value!r})."
        )
    return value


def _recipients(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = re.split(r"[,;\s]+", value)
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise InvalidRequest("Email channel: 'recipients' must be a list of email addresses.")
    addresses: list[str] = []
    for raw in value:
        address = raw.strip()
        if not address:
            continue
        if not _ADDRESS.match(address):
            raise InvalidRequest(
                f"Email channel: {address!r} in 'recipients' is not an email address."
            )
        if address.lower() not in (a.lower() for a in addresses):
            addresses.append(address)
    if not addresses:
        raise InvalidRequest("Email channel: 'recipients' is empty; add at least one address.")
    return tuple(addresses)


def _url(value: Any, name: str, field: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = "a masked value" if value == MASK else repr(value)
        raise InvalidRequest(
            f"{name} channel: '{field}' must be an http:// or https:// URL (got {shown})."
        )
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked
    except ValueError as exc:
        raise InvalidRequest(f"{name} channel: '{field}' has an invalid port ({exc}).") from exc
    return text


def _secret_url(value: Any, kept: Any, name: str) -> str:
    if value == MASK:
        if not kept:
            raise InvalidRequest(
                f"{name} channel: 'url' is masked but no saved URL exists; paste the URL again."
            )
        return str(kept)
    return _url(value, name, "url")


def _unmask(value: Any, kept: Any, name: str, field: str) -> str | None:
    if value == MASK:
        if not kept:
            raise InvalidRequest(
                f"{name} channel: '{field}' is masked but no saved value exists; enter it again."
            )
        return str(kept)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidRequest(f"{name} channel: '{field}' must be text or null.")
    return value
