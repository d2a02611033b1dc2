"""The bot end to end: signed HTTP requests in, Web API calls out, real answers in between."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

from assistant.answers.answer import Answer
from assistant.answers.present import source_label
from assistant.slack.mrkdwn import escape, to_mrkdwn
from tests.slack_api_server import BOT_TOKEN, BOT_USER, Bot, Scripted, block_text, citation, message_event

pytest_plugins = ["tests.slack_api_server"]  # its fixtures: slack_api, start_bot, slack_bot

LIVE_MENTION = re.compile(r"<[!@#]|@(?:here|channel|everyone)\b", re.IGNORECASE)
QUIET = 0.4  # seconds to wait before asserting that nothing (more) was posted


def posted(bot: Bot) -> str:
    """Everything the bot wrote, as one string."""
    texts = []
    for call in bot.api.calls:
        texts.append(str(call.params.get("text", "")))
        texts.append(block_text(call.params.get("blocks", [])))
    return "\n".join(texts)


def placeholder_for(bot: Bot, update: Any) -> dict:
    return next(m for m in bot.api.messages[update.params["channel"]] if m["ts"] == update.params["ts"])


def button_ids(blocks: list[dict]) -> dict[str, str]:
    return {e["action_id"]: e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]}


def test_mention_gets_a_placeholder_then_the_answer_in_its_thread(slack_bot: Bot,
                                                                  shipped_assistant: Any) -> None:
    question = "Who provides the secretariat of the Conference of the Parties?"
    event, delivery = slack_bot.slack.mention(question)
    assert delivery.status == 200
    [update] = slack_bot.api.wait_calls("chat.update")
    [placeholder] = slack_bot.api.calls_to("chat.postMessage")
    assert placeholder.params["thread_ts"] == event["ts"]
    assert placeholder.params["text"] == "Looking it up…" and placeholder.at < update.at
    assert placeholder_for(slack_bot, update)["thread_ts"] == event["ts"]
    assert placeholder.authorization == f"Bearer {BOT_TOKEN}"
    expected = shipped_assistant.ask(question)
    text = block_text(update.params["blocks"])
    assert to_mrkdwn(expected.answer) in text and "*Sources*" in text
    for source in expected.citations:
        assert f"[{source.n}] " in text and escape(source_label(source, "en")) in text
    assert set(button_ids(update.params["blocks"])) == {"feedback_up", "feedback_down"}


def test_direct_message_is_answered_in_the_dm_in_its_language(slack_bot: Bot, shipped_assistant: Any) -> None:
    question = "Quel est le quorum requis pour prendre une décision ?"
    event = message_event(question, "D0ALICE", "U0ALICE", slack_bot.api.next_ts())
    assert slack_bot.slack.event(event).status == 200
    [update] = slack_bot.api.wait_calls("chat.update")
    [placeholder] = slack_bot.api.calls_to("chat.postMessage")
    assert placeholder.params["channel"] == "D0ALICE" and "thread_ts" not in placeholder.params
    assert placeholder.params["text"] == "Je cherche…"
    expected = shipped_assistant.ask(question)
    assert expected.language == "fr"
    assert to_mrkdwn(expected.answer) in block_text(update.params["blocks"])
    assert "👍 Utile" in block_text(update.params["blocks"])


def test_ask_answers_privately_then_posts_to_the_channel(slack_bot: Bot, shipped_assistant: Any) -> None:
    question = "Who can attend the sessions as an observer?"
    delivery = slack_bot.slack.command(f"{question} <!channel>")
    assert delivery.status == 200
    ack = json.loads(delivery.body)
    assert ack["response_type"] == "ephemeral" and ack["text"] == "Looking it up…"
    [private] = slack_bot.api.wait_calls("response_url")
    assert private.params["response_type"] == "ephemeral" and private.params["replace_original"]
    text = block_text(private.params["blocks"])
    assert f"*Your question:* {question} @\u2060channel" in text
    assert not slack_bot.api.calls_to("chat.postMessage")  # nothing public yet
    ids = button_ids(private.params["blocks"])
    assert set(ids) == {"post_to_channel", "feedback_up", "feedback_down"}

    assert slack_bot.slack.click("post_to_channel", ids["post_to_channel"], user="U0ALICE").status == 200
    [public] = slack_bot.api.wait_calls("chat.postMessage")
    assert public.params["channel"] == "C0GENERAL" and "thread_ts" not in public.params
    shown = block_text(public.params["blocks"])
    assert "Asked by u0alice with /ask" in shown and question in shown
    assert to_mrkdwn(shipped_assistant.ask(f"{question} @channel").answer) in shown
    assert set(button_ids(public.params["blocks"])) == {"feedback_up", "feedback_down"}
    removed = slack_bot.api.wait_for(lambda: [c for c in slack_bot.api.calls_to("response_url")
                                              if c.params.get("delete_original")])
    assert len(removed) == 1
    assert not LIVE_MENTION.search(posted(slack_bot))


@pytest.mark.parametrize("restarted", [False, True], ids=["remembered", "after-restart"])
def test_thread_reply_without_mention_is_a_follow_up(start_bot: Any, shipped_assistant: Any,
                                                     restarted: bool) -> None:
    bot = start_bot(shipped_assistant)
    first = "How early must the provisional agenda be circulated?"
    event, _ = bot.slack.mention(first)
    bot.api.wait_calls("chat.update")
    if restarted:  # a new process (or replica) knows the thread only from conversations.replies
        bot = start_bot(shipped_assistant)
    follow_up = message_event("and for a special session?", "C0GENERAL", "U0ALICE",
                              bot.api.next_ts(), thread_ts=event["ts"])
    bot.slack.event(follow_up)
    updates = bot.api.wait_calls("chat.update", 2)
    assert placeholder_for(bot, updates[1])["thread_ts"] == event["ts"]
    expected = shipped_assistant.ask("and for a special session?", history=[first])
    assert to_mrkdwn(expected.answer) in block_text(updates[1].params["blocks"])
    assert bool(bot.api.calls_to("conversations.replies")) == restarted


@pytest.mark.parametrize("reply, followups_off", [
    ("and for a special session?", frozenset({"C0GENERAL"})),
    ("and for a special session?", frozenset({"*"})),
    ("Thanks! 🙏", frozenset()),
    ("<@U0BOB> do you agree?", frozenset()),
], ids=["off-here", "off-everywhere", "thanks", "to-someone-else"])
def test_thread_replies_that_are_not_follow_ups_get_no_answer(
        start_bot: Any, reply: str, followups_off: frozenset[str]) -> None:
    answerer = Scripted(lambda q, h: Answer(q, "en", True, "Rule 9. [1]", [citation()]))
    bot = start_bot(answerer, followups_off=followups_off)
    event, _ = bot.slack.mention("How early must the provisional agenda be circulated?")
    bot.api.wait_calls("chat.update")
    bot.slack.event(message_event(reply, "C0GENERAL", "U0ALICE", bot.api.next_ts(), thread_ts=event["ts"]))
    time.sleep(QUIET)
    assert len(bot.api.calls_to("chat.postMessage")) == 1 and len(answerer.asked) == 1


def test_retry_and_mention_message_pair_get_one_answer(start_bot: Any) -> None:
    answerer = Scripted(lambda q, h: Answer(q, "en", True, "A majority. [1]", [citation()]))
    bot = start_bot(answerer)
    message = message_event(f"<@{BOT_USER}> What is the quorum?", "C0GENERAL", "U0ALICE", bot.api.next_ts())
    mention = dict(message, type="app_mention")
    deliveries = [bot.slack.event(mention, event_id="Ev0MENTION"),
                  bot.slack.event(mention, event_id="Ev0MENTION", retry_num=1),
                  bot.slack.event(message, event_id="Ev0MESSAGE"),
                  bot.slack.event(message, event_id="Ev0MESSAGE", retry_num=2)]
    assert [d.status for d in deliveries] == [200] * 4
    bot.api.wait_calls("chat.update")
    time.sleep(QUIET)
    assert len(bot.api.calls_to("chat.postMessage")) == 1
    assert len(bot.api.calls_to("chat.update")) == 1 and len(answerer.asked) == 1


@pytest.mark.parametrize("event", [
    message_event("What is the quorum?", "D0ALICE", "U0OTHERBOT", "1700000000.000001", bot_id="B0OTHER"),
    message_event("What is the quorum?", "D0ALICE", "U0ALICE", "1700000000.000002",
                  subtype="message_changed"),
    message_event(f"<@{BOT_USER}> has joined the channel", "C0GENERAL", "U0ALICE", "1700000000.000003",
                  subtype="channel_join"),
    message_event("Looking it up…", "D0ALICE", BOT_USER, "1700000000.000004", bot_id="BBOT"),
], ids=["other-bot", "edit", "join", "itself"])
def test_bot_messages_edits_and_joins_are_ignored(start_bot: Any, event: dict) -> None:
    answerer = Scripted(lambda q, h: Answer(q, "en", True, "x", []))
    bot = start_bot(answerer)
    assert bot.slack.event(event).status == 200
    time.sleep(QUIET)
    assert [c.method for c in bot.api.calls] == ["auth.test"] and not answerer.asked


def test_outside_the_allowed_channels_the_bot_declines_once(start_bot: Any) -> None:
    answerer = Scripted(lambda q, h: Answer(q, "en", True, "A majority. [1]", [citation()]))
    bot = start_bot(answerer, allowed_channels=frozenset({"C0ALLOWED"}))
    bot.slack.mention("What is the quorum?", channel="C0ELSEWHERE")
    bot.slack.mention("And now?", channel="C0ELSEWHERE")
    bot.slack.mention("What is the quorum?", channel="C0ALLOWED")
    bot.slack.event(message_event("What is the quorum?", "D0ALICE", "U0ALICE", bot.api.next_ts()))
    bot.api.wait_calls("chat.update", 2)
    time.sleep(QUIET)
    declines = [c for c in bot.api.calls_to("chat.postMessage") if c.params["channel"] == "C0ELSEWHERE"]
    assert len(declines) == 1 and "only answer in the channels" in declines[0].params["text"]
    assert {c.params["channel"] for c in bot.api.calls_to("chat.update")} == {"C0ALLOWED", "D0ALICE"}


def test_a_failure_becomes_a_short_apology_without_details(start_bot: Any) -> None:
    def fail(question: str, history: list[str]) -> Answer:
        raise RuntimeError(f"index exploded near {BOT_TOKEN}")

    bot = start_bot(Scripted(fail))
    bot.slack.mention("Quel est le quorum ?")
    [update] = bot.api.wait_calls("chat.update")
    assert update.params["text"].startswith("Désolé")
    assert "exploded" not in posted(bot) and "Traceback" not in posted(bot)


def test_an_empty_mention_gets_a_hint_not_an_answer(start_bot: Any) -> None:
    answerer = Scripted(lambda q, h: Answer(q, "en", True, "x", []))
    bot = start_bot(answerer)
    bot.slack.mention("   ")
    [hint] = bot.api.wait_calls("chat.postMessage")
    assert "Ask me a procedural question" in hint.params["text"] and not answerer.asked


def test_a_5000_character_answer_is_split_across_sections_with_nothing_lost(start_bot: Any) -> None:
    words = [f"word{n}" for n in range(800)]
    long_text = " ".join(words)[:5000]
    assert len(long_text) == 5000
    bot = start_bot(Scripted(lambda q, h: Answer(q, "en", True, long_text + " [1]", [citation()])))
    bot.slack.mention("Tell me everything about rule 41")
    [update] = bot.api.wait_calls("chat.update")
    sections = [b["text"]["text"] for b in update.params["blocks"] if b["type"] == "section"]
    assert len(sections) >= 3 and all(len(s) <= 3000 for s in sections)
    answer_part = " ".join(s for s in sections if not s.startswith("*Sources*"))
    assert answer_part.split() == (long_text + " [1]").split()


def test_mentions_in_questions_and_documents_are_never_live(start_bot: Any) -> None:
    hostile = "Ping <!channel> <!here> <!everyone> @here @channel <@U0CEO> <#C0SECRET> <!subteam^S1>"
    answer = Answer("q", "en", True, f"{hostile} **Rule 41** applies. [1]",
                    [citation(title="<!channel> Guide @everyone", heading="<@U0CEO> Rule 41",
                              url="https://www.unodc.org/rules?a=1&b=<!here>")])
    bot = start_bot(Scripted(lambda q, h: answer))
    bot.slack.mention("<!here> what is the quorum? @channel <@U0CEO>")
    bot.slack.command("<!everyone> what is the quorum? @here")
    bot.api.wait_calls("chat.update")
    bot.api.wait_calls("response_url")
    everything = posted(bot)
    assert "Rule 41" in everything and "&lt;!channel&gt;" in everything
    assert not LIVE_MENTION.search(everything.replace("<https://www.unodc.org/", ""))


def test_post_to_channel_from_another_replica_asks_again_there(start_bot: Any, tmp_path: Any) -> None:
    answering = Scripted(lambda q, h: Answer(q, "en", True, "A majority. [1]", [citation()]))
    first = start_bot(answering)
    first.slack.command("What is the quorum?")
    [private] = first.api.wait_calls("response_url")
    other_answerer = Scripted(lambda q, h: Answer(q, "en", True, "A majority. [1]", [citation()]))
    other = start_bot(other_answerer, feedback_db=tmp_path / "other.sqlite3")
    other.slack.click("post_to_channel", button_ids(private.params["blocks"])["post_to_channel"])
    [public] = other.api.wait_calls("chat.postMessage")
    assert "A majority. [1]" in block_text(public.params["blocks"])
    assert other_answerer.asked == [("What is the quorum?", [])]
