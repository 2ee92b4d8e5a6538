"""Notifications of scheduled runs: email, Slack and generic webhooks, with retries.

``Channel`` says where a notification goes, ``Notification`` what happened; ``parse_channel``
validates a channel from user input and ``public_channel`` shows it with secrets masked; the
``Notifier`` records every delivery in the store, sends it in the background and retries
failures. No Jupyter imports here: the scheduler and the server both use this package.
"""

from __future__ import annotations

from .channels import MASK, describe_target, parse_channel, public_channel
from .messages import SIGNATURE_HEADER
from .model import EVENTS, KINDS, Channel, ChannelKind, Notification
from .notifier import ChannelLookup, Notifier
from .payloads import ChannelPayload, DeliveryPayload

__all__ = [
    "EVENTS",
    "KINDS",
    "MASK",
    "SIGNATURE_HEADER",
    "Channel",
    "ChannelKind",
    "ChannelLookup",
    "ChannelPayload",
    "DeliveryPayload",
    "Notification",
    "Notifier",
    "describe_target",
    "parse_channel",
    "public_channel",
]
