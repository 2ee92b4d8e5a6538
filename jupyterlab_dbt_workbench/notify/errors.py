"""The failure of one delivery attempt."""

from __future__ import annotations


class DeliveryError(Exception):
    """A channel could not deliver; ``message`` says why in words a user can act on.

    Never leaves the package: the notifier records it on the delivery (``last_error``) or
    returns it from ``send_test``.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
