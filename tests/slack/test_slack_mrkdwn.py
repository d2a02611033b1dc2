"""Markdown to Slack mrkdwn, and Slack markup back to the question a person typed."""

from __future__ import annotations

import re

import pytest

from assistant.slack.mrkdwn import escape, question_text, to_mrkdwn

LIVE_MENTION = re.compile(r"<[!@#]|@(?:here|channel|everyone)\b", re.IGNORECASE)


@pytest.mark.parametrize("markdown, mrkdwn", [
    ("Rule **41** applies", "Rule *41* applies"),
    ("__bold__ and *italic* and _italic_", "*bold* and _italic_ and _italic_"),
    ("~~struck~~", "~struck~"),
    ("## Rule 41 — Quorum {#rule-41}", "*Rule 41 — Quorum*"),
    ("- one\n* two\n  + nested", "• one\n• two\n  • nested"),
    ("1. first\n2. second", "1. first\n2. second"),
    ("See [rule 41](https://www.unodc.org/r?a=1&b=2).", "See <https://www.unodc.org/r?a=1&amp;b=2|rule 41>."),
    ("<https://www.unodc.org/cop>", "<https://www.unodc.org/cop|https://www.unodc.org/cop>"),
    ("[click](javascript:alert(1))", "click"),
    ("Use `a < b` and **bold**", "Use `a &lt; b` and *bold*"),
    ("> quoted text", ">quoted text"),
    ("3 * 4 * 5 and snake_case_name", "3 * 4 * 5 and snake_case_name"),
    ("Fish & chips <b>", "Fish &amp; chips &lt;b&gt;"),
])
def test_markdown_becomes_mrkdwn(markdown: str, mrkdwn: str) -> None:
    assert to_mrkdwn(markdown) == mrkdwn


@pytest.mark.parametrize("hostile", [
    "<!channel>", "<!here>", "<!everyone>", "<@U123>", "<@U123|boss>", "<!subteam^S1|@staff>",
    "@here", "@channel", "@everyone", "@HERE please", "<#C123|general>", "**<!channel>**",
    "[<!here>](https://unodc.org)",
])
def test_mentions_are_never_live(hostile: str) -> None:
    assert not LIVE_MENTION.search(to_mrkdwn(hostile).replace("<https://unodc.org|", ""))
    assert not LIVE_MENTION.search(escape(hostile))
    assert not LIVE_MENTION.search(escape(question_text(hostile)))


@pytest.mark.parametrize("slack_text, question", [
    ("<@UBOT> What is the quorum?", "What is the quorum?"),
    ("<@UBOT|assistant>   quel   est le quorum ?", "quel est le quorum ?"),
    ("<@UBOT> what did <@U1|bob> say in <#C1|general>?", "what did @bob say in #general?"),
    ("<!here> rule 41 &amp; rule 42 &lt;draft&gt;", "@here rule 41 & rule 42 <draft>"),
    ("see <https://unodc.org/x|the page> and <https://unodc.org/y>",
     "see the page and https://unodc.org/y"),
    ("<@UBOT>", ""),
])
def test_question_text_reads_slack_markup(slack_text: str, question: str) -> None:
    assert question_text(slack_text, "UBOT") == question
