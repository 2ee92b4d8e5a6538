"""Channel validation and secret masking (parse_channel, public_channel)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jupyterlab_dbt_workbench.errors import InvalidRequest
from jupyterlab_dbt_workbench.notify import MASK, describe_target, parse_channel, public_channel

EMAIL: dict[str, Any] = {
    "kind": "email",
    "events": ["failure", "success"],
    "host": "smtp.example.com",
    "starttls": True,
    "username": "robot",
    "password": "hunter2-secret",
    "sender": "dbt@example.com",
    "recipients": "a@example.com, b@example.com; a@example.com",
}
SLACK = {
    "kind": "slack",
    "events": ["failure"],
    "url": "https://hooks.slack.com/services/T1/B2/tok3N",
}
WEBHOOK = {
    "kind": "webhook",
    "events": ["recovery"],
    "url": "https://ci.example.com/hook?x=1",
    "secret": "s3cr3t-value",
}


def test_email_channel_is_normalized() -> None:
    channel = parse_channel(EMAIL)
    assert channel.kind == "email"
    assert channel.events == frozenset({"failure", "success"})
    # STARTTLS without a port means the submission port; duplicates are dropped.
    assert channel.config["port"] == 587
    assert channel.config["recipients"] == ("a@example.com", "b@example.com")
    assert parse_channel({**EMAIL, "starttls": False, "port": None}).config["port"] == 25
    assert parse_channel({**EMAIL, "port": "2525"}).config["port"] == 2525


@pytest.mark.parametrize(
    ("payload", "secret"),
    [(EMAIL, "hunter2-secret"), (SLACK, "tok3N"), (WEBHOOK, "s3cr3t-value")],
)
def test_public_channel_never_shows_a_secret(payload: dict[str, Any], secret: str) -> None:
    shown = public_channel(parse_channel(payload))
    assert secret not in json.dumps(shown)
    assert shown["has_secret"] is True
    assert MASK in json.dumps(shown)
    assert secret not in describe_target(parse_channel(payload))


def test_public_channel_lists_events_in_order_and_flags_missing_secrets() -> None:
    shown = public_channel(
        parse_channel({**WEBHOOK, "events": ["recovery", "success"], "secret": ""})
    )
    assert shown["events"] == ["success", "recovery"]
    assert shown["secret"] is None
    assert shown["has_secret"] is False


@pytest.mark.parametrize(
    ("payload", "field", "value"),
    [
        (EMAIL, "password", "hunter2-secret"),
        (SLACK, "url", SLACK["url"]),
        (WEBHOOK, "secret", "s3cr3t-value"),
    ],
)
def test_a_masked_secret_keeps_the_saved_value(
    payload: dict[str, Any], field: str, value: str
) -> None:
    saved = parse_channel(payload)
    edited = {**public_channel(saved), "events": ["success"]}
    channel = parse_channel(edited, previous=saved)
    assert channel.config[field] == value
    assert channel.events == frozenset({"success"})


def test_a_masked_secret_without_a_saved_value_is_refused() -> None:
    with pytest.raises(InvalidRequest, match="'password' is masked but no saved value"):
        parse_channel({**EMAIL, "password": MASK})
    # A saved channel of another kind has no password to keep.
    with pytest.raises(InvalidRequest, match="'url' is masked"):
        parse_channel({**SLACK, "url": MASK}, previous=parse_channel(WEBHOOK))


def test_a_new_secret_replaces_the_saved_one() -> None:
    saved = parse_channel(WEBHOOK)
    assert parse_channel({**WEBHOOK, "secret": "new"}, previous=saved).config["secret"] == "new"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({**SLACK, "kind": "pager"}, "'kind' must be one of email, slack, webhook"),
        ({**SLACK, "events": []}, "'events' is empty"),
        ({**SLACK, "events": ["failed"]}, "unknown event 'failed'"),
        ({**SLACK, "events": "failure"}, "'events' must be a list"),
        ({**SLACK, "url": "ftp://hooks.slack.com/x"}, "'url' must be an http:// or https:// URL"),
        ({**WEBHOOK, "url": "not a url"}, "Webhook channel: 'url' must be an http"),
        ({**WEBHOOK, "url": "http://host:99999/x"}, "'url' has an invalid port"),
        ({**WEBHOOK, "token": "x"}, "unknown field 'token'"),
        ({**EMAIL, "port": 0}, "'port' must be a whole number from 1 to 65535"),
        ({**EMAIL, "port": 70000}, "'port' must be a whole number from 1 to 65535"),
        ({**EMAIL, "port": "abc"}, "'port' must be a whole number"),
        ({**EMAIL, "port": True}, "'port' must be a whole number"),
        ({**EMAIL, "host": ""}, "'host' must be the SMTP server's host name"),
        ({**EMAIL, "sender": "nobody"}, "'sender' must be an email address"),
        ({**EMAIL, "recipients": ["ok@example.com", "bad@@x"]}, "'bad@@x' in 'recipients'"),
        ({**EMAIL, "recipients": []}, "'recipients' is empty"),
        ({**EMAIL, "starttls": "yes"}, "'starttls' must be true or false"),
        ({**EMAIL, "password": None}, "'password' is required when 'username' is set"),
    ],
)
def test_invalid_channels_name_the_field(payload: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        parse_channel(payload)


def test_has_secret_sent_back_by_the_ui_is_ignored() -> None:
    shown = public_channel(parse_channel(SLACK))
    assert parse_channel(shown, previous=parse_channel(SLACK)).config["url"] == SLACK["url"]


def test_a_webhook_url_with_credentials_is_masked_and_kept() -> None:
    saved = parse_channel({**WEBHOOK, "url": "https://robot:pa55word@ci.example.com/hook"})
    shown = public_channel(saved)
    assert shown["url"] == MASK and "pa55word" not in json.dumps(shown)
    # The editor sends the mask back: the saved URL stays.
    again = parse_channel(dict(shown), previous=saved)
    assert again.config["url"] == "https://robot:pa55word@ci.example.com/hook"
    # A plain URL is shown as it is.
    plain = parse_channel({**WEBHOOK, "url": "https://ci.example.com/hook"})
    assert public_channel(plain)["url"] == "https://ci.example.com/hook"
