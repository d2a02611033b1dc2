"""LLM answers in Slack: the placeholder grows with the text, at most once a second, then the
checked answer, its sources and the buttons replace it in one last update."""

from __future__ import annotations

import time
from typing import Any, Callable

import pytest

from assistant.answers.answer import Answer
from assistant.answers.service import Assistant
from assistant.settings import Settings
from assistant.slack.config import STREAM_INTERVAL
from assistant.slack.mrkdwn import to_mrkdwn
from tests.openai_server import Reply, ScriptedOpenAI, llm_env, openai_server, passage_number  # noqa: F401 (fixtures)
from tests.slack_api_server import Bot, Call, SlackApiServer, block_text, citation

pytest_plugins = ["tests.slack_api_server"]  # its fixtures: slack_api, start_bot, slack_bot

QUESTION = "How early must the provisional agenda be circulated?"
UNSUPPORTED = " Late documents are refused under rule 99 [1]."


def agenda(body: dict) -> str:
    n = passage_number(body, "thirty (30) days")
    return (f"The secretariat circulates the provisional agenda at least sixty days before a regular "
            f"session [{n}]. For a special session, the limit is thirty days [{n}].{UNSUPPORTED}")


def has_buttons(call: Call) -> bool:
    return any(block["type"] == "actions" for block in call.params["blocks"])


def sections(call: Call) -> str:
    return "\n".join(b["text"]["text"] for b in call.params["blocks"] if b["type"] == "section")


@pytest.fixture
def llm_assistant(shipped_index: Settings, llm_env: ScriptedOpenAI) -> Assistant:
    return Assistant(shipped_index.with_(llm="openai:test-model", llm_timeout=10))


def test_the_answer_grows_in_the_placeholder_then_the_checked_answer_replaces_it(
        start_bot: Callable[..., Bot], llm_assistant: Assistant, llm_env: ScriptedOpenAI) -> None:
    streamed: list[str] = []
    llm_env.script(Reply(lambda body: streamed.append(agenda(body)) or streamed[-1], token_delay=0.09))
    bot = start_bot(llm_assistant)
    bot.slack.mention(QUESTION)
    final = bot.api.wait_for(lambda: [c for c in bot.api.calls_to("chat.update") if has_buttons(c)])[-1]
    time.sleep(0.3)
    updates = bot.api.calls_to("chat.update")
    partials = updates[:-1]
    assert updates[-1] is final and len(partials) >= 2
    assert not any(has_buttons(call) for call in partials)
    texts = [sections(call) for call in partials]
    assert all(len(a) < len(b) for a, b in zip(texts, texts[1:]))  # growing
    assert all(streamed[0].startswith(text) and text for text in texts)  # each a part of the stream
    assert "Writing…" in block_text(partials[0].params["blocks"])
    assert "*Sources*" not in "".join(block_text(call.params["blocks"]) for call in partials)

    shown = block_text(final.params["blocks"])
    assert "rule 99" not in shown  # the guard's text, not the stream
    assert to_mrkdwn(streamed[0].removesuffix(UNSUPPORTED)) in shown and "*Sources*" in shown
    assert {final.params["ts"]} == {call.params["ts"] for call in updates}  # all on the placeholder
    gaps = [later.at - earlier.at for earlier, later in zip(updates, updates[1:])]
    assert min(gaps) >= STREAM_INTERVAL, gaps  # throttled, the final update included


class Streaming:
    """An answerer that writes three tokens, pausing between them, then answers."""

    def __init__(self, api: Any, pause: float) -> None:
        self.api, self.pause = api, pause

    def ask(self, question: str, history: Any = (), on_token: Any = None) -> Answer:
        for token in ("A majority ", "of the States ", "Parties. [1]"):
            on_token(token)
            time.sleep(self.pause)
        self.api.failures.pop("chat.update", None)
        return Answer(question, "en", True, "A majority of the States Parties. [1]", [citation()])


def test_a_refused_partial_update_stops_the_stream_but_not_the_answer(
        start_bot: Callable[..., Bot], slack_api: SlackApiServer) -> None:
    bot = start_bot(Streaming(slack_api, pause=0.5), stream_interval=0.2)
    bot.api.failures["chat.update"] = "ratelimited"
    bot.slack.mention("What is the quorum?")
    final = bot.api.wait_for(lambda: [c for c in bot.api.calls_to("chat.update") if has_buttons(c)])[-1]
    updates = bot.api.calls_to("chat.update")
    assert len(updates) == 2 and updates[-1] is final  # one refused partial, then no more until the end
    assert "A majority of the States Parties." in block_text(final.params["blocks"])
