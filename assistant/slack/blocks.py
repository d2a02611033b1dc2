"""Block Kit layout of an answer, within Slack's limits: split, never drop.

A message is the answer (mrkdwn sections of at most 3,000 characters), the numbered
sources as links, then the buttons. Past 50 blocks the rest goes to further messages.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from assistant.answers.answer import Answer, Citation
from assistant.answers.present import source_label
from assistant.slack.carry import pack
from assistant.slack.mrkdwn import escape, link, to_mrkdwn
from assistant.slack.phrases import say

SECTION_LIMIT = 3000
BLOCK_LIMIT = 50
PAGE_BLOCKS = BLOCK_LIMIT - 1  # one block kept free for the feedback acknowledgement
PREVIEW_CHARS = 300
FEEDBACK_BLOCK, FEEDBACK_ACK_BLOCK = "feedback", "feedback_ack"
VOTE_ACTIONS = {"up": "feedback_up", "down": "feedback_down"}
POST_ACTION = "post_to_channel"
MARKUP = re.compile(r"<[^<>]*>|&[a-z]+;")
BREAKS = ("\n\n", "\n", ". ", "; ", ", ", " ")

Block = dict[str, Any]


def answer_pages(answer: Answer, answer_id: str, header: str | None = None,
                 post_button: bool = False) -> list[list[Block]]:
    """The answer as one or more messages of at most 49 blocks; buttons on the last one."""
    lang = answer.language
    blocks: list[Block] = []
    if header:
        blocks += sections(header)
    blocks += sections(to_mrkdwn(answer.answer))
    if answer.citations:
        blocks += sections(sources_text(answer.citations, lang))
    blocks.append(buttons(pack(answer_id, answer), lang, post_button))
    return [blocks[start:start + PAGE_BLOCKS] for start in range(0, len(blocks), PAGE_BLOCKS)]


def draft_blocks(text: str, lang: str) -> list[Block]:
    """An answer still being written: its text so far and a note; no sources, no buttons."""
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": say("writing", lang)}]}
    return sections(to_mrkdwn(text))[:PAGE_BLOCKS - 1] + [note]


def sources_text(citations: Iterable[Citation], lang: str) -> str:
    """``*Sources*`` then one line per citation: ``[n]`` and a link titled with its heading."""
    lines = [f"*{say('sources', lang)}*"]
    for citation in citations:
        label = source_label(citation, lang)
        shown = link(citation.url, label) if citation.url else (
            f"{escape(label)} · `{escape(citation.doc_id)}#{escape(citation.locator)}`")
        lines.append(f"[{citation.n}] {shown}")
    return "\n".join(lines)


def buttons(value: str, lang: str, post_button: bool = False) -> Block:
    """👍 / 👎 (and "Post to channel" for an /ask answer); each carries ``value`` (see ``carry``)."""
    elements = []
    if post_button:
        elements.append(_button(say("post", lang), POST_ACTION, value, style="primary"))
    elements.append(_button(f"👍 {say('helpful', lang)}", VOTE_ACTIONS["up"], value))
    elements.append(_button(f"👎 {say('not_helpful', lang)}", VOTE_ACTIONS["down"], value))
    return {"type": "actions", "block_id": FEEDBACK_BLOCK, "elements": elements}


def sections(mrkdwn: str) -> list[Block]:
    """One section block per piece of at most 3,000 characters."""
    return [{"type": "section", "text": {"type": "mrkdwn", "text": piece}}
            for piece in split_text(mrkdwn, SECTION_LIMIT)]


def notice(mrkdwn: str) -> list[Block]:
    """A short message of the bot's own (placeholder, apology…)."""
    return sections(mrkdwn)


def with_feedback_note(blocks: list[Block], up: int, down: int, lang: str) -> list[Block]:
    """``blocks`` with the vote tally under the buttons (replacing an earlier tally)."""
    kept = [block for block in blocks if block.get("block_id") != FEEDBACK_ACK_BLOCK]
    note = {"type": "context", "block_id": FEEDBACK_ACK_BLOCK,
            "elements": [{"type": "mrkdwn", "text": say("thanks", lang, up=up, down=down)}]}
    return kept[:BLOCK_LIMIT - 1] + [note]


def answer_text(message: dict) -> str:
    """The text of a posted answer: its sections up to the sources."""
    parts = []
    for block in message.get("blocks") or []:
        text = (block.get("text") or {}).get("text", "") if block.get("type") == "section" else ""
        if text.startswith(f"*{say('sources', 'en')}*"):
            break
        parts.append(text)
    return "\n".join(part for part in parts if part)


def preview(text: str) -> str:
    """The notification text that goes with blocks: the start of the answer."""
    text = " ".join(text.split())
    return escape(text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS - 1] + "…")


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at the largest natural break.

    Cuts never fall inside a link ``<url|label>`` or an entity ``&amp;``; only the
    whitespace at a cut is dropped.
    """
    pieces = []
    while len(text) > limit:
        cut = _cut(text, limit)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text.strip():
        pieces.append(text)
    return pieces


def _cut(text: str, limit: int) -> int:
    inside = [(m.start(), m.end()) for m in MARKUP.finditer(text, 0, limit + 4000)]

    def free(pos: int) -> bool:
        return not any(start < pos < end for start, end in inside)

    for mark in BREAKS:
        pos = text.rfind(mark, 0, limit - len(mark) + 1)
        while pos > limit // 4:
            if free(pos + len(mark)):
                return pos + len(mark)
            pos = text.rfind(mark, 0, pos)
    starts = [start for start, end in inside if start < limit < end and start > 0]
    return starts[0] if starts else limit


def _button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    button: Block = {"type": "button", "action_id": action_id, "value": value,
                     "text": {"type": "plain_text", "text": text[:75], "emoji": True}}
    if style:
        button["style"] = style
    return button
