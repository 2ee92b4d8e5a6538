"""JSON payloads of the notifications area (channels as shown back, delivery records)."""

from __future__ import annotations

from typing import Literal, TypedDict


class _ChannelBase(TypedDict):
    kind: Literal["email", "slack", "webhook"]
    events: list[str]


class ChannelPayload(_ChannelBase, total=False):
    """A channel as the REST API accepts and returns it; secrets are masked when returned.

    Email channels carry ``host``, ``port``, ``starttls``, ``username``, ``password``,
    ``sender``, ``recipients``; Slack channels ``url``; webhook channels ``url`` and
    ``secret``. ``has_secret`` says whether a masked secret (password, Slack URL, webhook
    secret) is set.
    """

    host: str
    port: int
    starttls: bool
    username: str | None
    password: str | None
    sender: str
    recipients: list[str]
    url: str
    secret: str | None
    has_secret: bool


class DeliveryPayload(TypedDict):
    """One attempt (with its retries) to deliver a notification to one channel."""

    id: str
    schedule_id: str | None
    execution_id: str | None
    kind: Literal["email", "slack", "webhook"]
    target: str
    event: str
    status: Literal["pending", "sent", "failed"]
    attempts: int
    last_error: str | None
    next_attempt_at: str | None
    created_at: str
    sent_at: str | None
