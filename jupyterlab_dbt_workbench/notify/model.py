"""What a notification is and where it goes: the ``Channel`` and ``Notification`` values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

ChannelKind = Literal["email", "slack", "webhook"]

KINDS: tuple[ChannelKind, ...] = ("email", "slack", "webhook")

EVENTS: tuple[str, ...] = ("success", "failure", "warning", "cancel", "recovery")
"""The events a channel can subscribe to, in the order the UI lists them."""


@dataclass(frozen=True)
class Channel:
    """One notification target of a schedule.

    ``config`` holds the kind's settings, secrets included (email: ``host``, ``port``,
    ``starttls``, ``username``, ``password``, ``sender``, ``recipients``; slack: ``url``;
    webhook: ``url``, ``secret``). Build channels with ``parse_channel`` so the config is
    validated and normalized; show them with ``public_channel`` so secrets stay hidden.
    """

    kind: ChannelKind
    events: frozenset[str]
    config: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Notification:
    """What happened: one execution of a schedule reaching an event."""

    event: str
    schedule_id: str
    schedule_name: str
    project: str
    execution_id: str
    started_at: str
    finished_at: str | None
    duration: float | None
    run_ids: tuple[str, ...]
    message: str
    counts: Mapping[str, int] = field(default_factory=dict)
