"""👍 / 👎: stored with the answer, acknowledged in Slack, exported as golden-set candidates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assistant.answers.answer import Answer
from assistant.cli import cli
from assistant.slack.carry import unpack
from assistant.slack.feedback import FeedbackStore, export, golden_lines
from tests.slack_api_server import Bot, Scripted, block_text, citation

pytest_plugins = ["tests.slack_api_server"]  # its fixtures: slack_api, start_bot, slack_bot

GOLDEN_FIELDS = {"id", "question", "lang", "answerable", "expected_sources", "expected_keywords"}


def answer_message(bot: Bot, update: Any) -> dict:
    return next(m for m in bot.api.messages[update.params["channel"]] if m["ts"] == update.params["ts"])


def button_value(blocks: list[dict], action_id: str) -> str:
    return next(e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == action_id)


def answer_id(blocks: list[dict]) -> str:
    return unpack(button_value(blocks, "feedback_up")).answer_id


def test_a_click_is_stored_acknowledged_and_exported(slack_bot: Bot, tmp_path: Path) -> None:
    question = "Who provides the secretariat of the Conference of the Parties?"
    slack_bot.slack.mention(question)
    [update] = slack_bot.api.wait_calls("chat.update")
    message = answer_message(slack_bot, update)
    value = button_value(message["blocks"], "feedback_down")

    assert slack_bot.slack.click("feedback_down", value, user="U0BOB", message=message).status == 200
    acknowledged = slack_bot.api.wait_calls("chat.update", 2)[1]
    assert acknowledged.params["ts"] == message["ts"]
    assert "Thanks for the feedback: 👍 0 · 👎 1" in block_text(acknowledged.params["blocks"])
    slack_bot.slack.click("feedback_up", value, user="U0CAROL", message=answer_message(slack_bot, update))
    tally = block_text(slack_bot.api.wait_calls("chat.update", 3)[2].params["blocks"])
    assert "👍 1 · 👎 1" in tally and tally.count("Thanks for the feedback") == 1

    [record] = FeedbackStore(slack_bot.config.feedback_db).records()
    assert (record.up, record.down) == (1, 1)
    assert record.answer.question == question and record.answer.citations

    out = tmp_path / "candidates.jsonl"
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "feedback", "export",
                                      "--only-negative", "--output", str(out)])
    assert result.exit_code == 0, result.output
    [line] = [json.loads(text) for text in out.read_text(encoding="utf-8").splitlines()]
    assert GOLDEN_FIELDS <= set(line) and line["question"] == question and line["lang"] == "en"
    assert line["vote"] == "down" and line["votes"] == {"up": 1, "down": 1}
    assert line["cited_sources"] == [f"{c.doc_id}#{c.locator}" for c in record.answer.citations]


def test_a_vote_on_a_private_answer_is_acknowledged_privately(start_bot: Any) -> None:
    bot = start_bot(Scripted(lambda q, h: Answer(q, "en", True, "A majority. [1]", [citation()])))
    bot.slack.command("What is the quorum?")
    [private] = bot.api.wait_calls("response_url")
    bot.slack.click("feedback_up", button_value(private.params["blocks"], "feedback_up"), message=None)
    thanks = bot.api.wait_calls("response_url", 2)[1]
    assert thanks.params == {"text": "Thanks, your 👍 is recorded.", "response_type": "ephemeral",
                             "replace_original": False}
    assert FeedbackStore(bot.config.feedback_db).tally(answer_id(private.params["blocks"])) == (1, 0)


def test_a_vote_on_an_unknown_answer_says_so(start_bot: Any) -> None:
    bot = start_bot(Scripted(lambda q, h: Answer(q, "en", True, "x", [])))
    bot.slack.click("feedback_up", "0" * 32, message={"ts": "1.2", "text": "x", "blocks": []})
    [reply] = bot.api.wait_calls("response_url")
    assert "no longer available" in reply.params["text"] and not bot.api.calls_to("chat.update")


def test_a_vote_reaching_another_replica_is_still_recorded(start_bot: Any, tmp_path: Path) -> None:
    answer = Answer("What is the quorum?", "en", True, "A majority. [1]", [citation()])
    posting = start_bot(Scripted(lambda q, h: answer))
    posting.slack.mention("What is the quorum?")
    [update] = posting.api.wait_calls("chat.update")
    message = answer_message(posting, update)
    other = start_bot(Scripted(lambda q, h: answer), feedback_db=tmp_path / "other.sqlite3")
    other.slack.click("feedback_down", button_value(message["blocks"], "feedback_down"), message=message)
    acknowledged = other.api.wait_calls("chat.update", 2)[1]
    assert "👍 0 · 👎 1" in block_text(acknowledged.params["blocks"])
    [line] = golden_lines(FeedbackStore(tmp_path / "other.sqlite3").records())
    assert line["question"] == "What is the quorum?" and line["cited_sources"] == ["guide-rules#rule-41"]
    assert line["id"] == f"slack-{answer_id(message['blocks'])[:12]}"


@pytest.mark.parametrize("answered, votes, answerable, expects_sources", [
    (True, ["up"], True, True),            # confirmed: the bot's sources become the expected ones
    (False, ["up"], False, False),         # confirmed "not covered": an out-of-scope case
    (True, ["up", "down"], True, False),   # disputed answer: sources left to the reviewer
    (False, ["down"], True, False),        # should have answered
])
def test_export_turns_votes_into_golden_set_candidates(tmp_path: Path, answered: bool, votes: list[str],
                                                       answerable: bool, expects_sources: bool) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    answer_id = store.save_answer(Answer("Quel est le quorum ?", "fr", answered, "La majorité. [1]",
                                         [citation(lang="fr")]), "C1", "U1")
    for n, vote in enumerate(votes):
        store.record_vote(answer_id, vote, f"U{n}")
    [line] = golden_lines(store.records())
    assert line["answerable"] is answerable and line["lang"] == "fr"
    assert line["expected_sources"] == (["guide-rules#rule-41"] if expects_sources else [])
    assert line["expected_keywords"] == [] and line["id"] == f"slack-{answer_id[:12]}"


def test_each_user_counts_once_with_their_latest_vote(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    answer_id = store.save_answer(Answer("q", "en", True, "a [1]", [citation()]))
    for vote in ("up", "down", "up"):
        store.record_vote(answer_id, vote, "U1")
    store.record_vote(answer_id, "down", "U2")
    assert store.tally(answer_id) == (1, 1)
    assert [json.loads(line)["votes"] for line in export(store, only_negative=True)] == [{"up": 1, "down": 1}]
    assert store.record_vote("unknown", "up", "U1") is None


def test_export_without_a_feedback_file_says_where_it_looked(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "feedback", "export"])
    assert result.exit_code == 1
    assert "feedback.sqlite3" in str(result.exception) and "ASSISTANT_FEEDBACK_DB" in str(result.exception)
