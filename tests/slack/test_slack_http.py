"""HTTP mode: only requests signed with the signing secret, and recent, are let in."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

import pytest

from assistant.answers.answer import Answer
from tests.slack_api_server import BOT_USER, Scripted, citation, message_event

pytest_plugins = ["tests.slack_api_server"]  # its fixtures: slack_api, start_bot, slack_bot

# What each forgery changes: the signature, the secret it is made with, or the timestamp's age.
FORGERIES: dict[str, dict[str, Any]] = {
    "wrong-signature": {"signature": "v0=" + "0" * 64},
    "signed-with-another-secret": {"secret": "not-the-signing-secret"},
    "timestamp-6-minutes-old": {"age": 6 * 60},
    "timestamp-6-minutes-ahead": {"age": -6 * 60},
}


@pytest.fixture
def bot(start_bot: Any) -> Any:
    return start_bot(Scripted(lambda q, h: Answer(q, "en", True, "A majority. [1]", [citation()])))


@pytest.mark.parametrize("forgery", FORGERIES, ids=list(FORGERIES))
def test_forged_or_stale_requests_get_401_and_nothing_is_posted(bot: Any, forgery: str) -> None:
    change = FORGERIES[forgery]
    bot.slack.secret = change.get("secret", bot.slack.secret)
    kwargs = {"signature": change.get("signature"),
              "timestamp": int(time.time()) - change["age"] if "age" in change else None}
    mention = dict(message_event(f"<@{BOT_USER}> What is the quorum?", "C0GENERAL", "U0ALICE",
                                 bot.api.next_ts()), type="app_mention")
    assert bot.slack.event(mention, **kwargs).status == 401
    assert bot.slack.post("command=%2Fask&text=quorum", "application/x-www-form-urlencoded",
                          **kwargs).status == 401
    time.sleep(0.3)
    assert [call.method for call in bot.api.calls] == ["auth.test"]


def test_a_request_signed_4_minutes_ago_is_still_accepted(bot: Any) -> None:
    mention = dict(message_event(f"<@{BOT_USER}> What is the quorum?", "C0GENERAL", "U0ALICE",
                                 bot.api.next_ts()), type="app_mention")
    assert bot.slack.event(mention, timestamp=int(time.time()) - 4 * 60).status == 200
    bot.api.wait_calls("chat.update")


def test_url_verification_echoes_the_challenge(bot: Any) -> None:
    body = json.dumps({"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV", "type": "url_verification"})
    delivery = bot.slack.post(body, "application/json")
    assert delivery.status == 200 and "3eZbrw1aBm2rZgRNFdxV" in delivery.body


def test_health_check_answers_load_balancers(bot: Any) -> None:
    url = bot.slack.url.replace("/slack/events", "/healthz")
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200 and response.read() == b"ok\n"
