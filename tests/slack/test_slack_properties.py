"""Property-based tests for the Slack formatting: limits kept, nothing lost, no live mention."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.answers.answer import Answer, Citation
from assistant.slack.blocks import BLOCK_LIMIT, SECTION_LIMIT, answer_pages, split_text
from assistant.slack.mrkdwn import escape, to_mrkdwn

LIVE_MENTION = re.compile(r"<!(?:channel|here|everyone)|(?<!\u2060)@(?:here|channel|everyone)\b|<@U", re.I)
PIECES = list("abc xyz.,;\n<>&|*_~`[]()#-@!é😀") + ["@here", "<!channel>", "<@U123>", "@everyone",
                                                     "[link](https://x.org)", "**bold**"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=3000).map("".join)


@settings(max_examples=60, deadline=None)
@given(TEXT, st.integers(min_value=20, max_value=3000))
def test_split_text_keeps_every_character_but_cut_whitespace(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(len(piece) <= limit for piece in pieces)
    assert re.sub(r"\s", "", "".join(pieces)) == re.sub(r"\s", "", text)  # only cut whitespace goes


@settings(max_examples=60, deadline=None)
@given(TEXT)
def test_escaped_text_never_holds_a_live_mention(text: str) -> None:
    assert not LIVE_MENTION.search(escape(text))


@settings(max_examples=60, deadline=None)
@given(TEXT)
def test_markdown_conversion_never_creates_a_live_mention(text: str) -> None:
    assert not LIVE_MENTION.search(to_mrkdwn(text))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(alphabet="abcdefgh .", min_size=1, max_size=400), min_size=1, max_size=60))
def test_any_answer_fits_slack_limits_and_loses_no_word(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs)
    citation = Citation(n=1, doc_id="guide-rules", title="Guide", locator="rule-41", heading="Rule 41",
                        lang="en", url="https://www.unodc.org/x", snippet="s", kind="guide")
    pages = answer_pages(Answer("q", "en", True, text, [citation]), "a1")
    shown = []
    for blocks in pages:
        assert len(blocks) < BLOCK_LIMIT
        for block in blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= SECTION_LIMIT
                shown.append(block["text"]["text"])
    assert " ".join(text.split()) in " ".join(" ".join(shown).split())
