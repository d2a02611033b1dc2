"""Slack's text formats: Markdown to mrkdwn on the way out, Slack markup to plain text on the way in.

Everything that comes from a question or a document is escaped, so ``<!channel>``,
``<@U123>`` or ``@here`` are shown as text and never notify anyone.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"  # invisible; breaks "@here" so Slack does not read it as a mention
BROADCAST = re.compile(r"@(here|channel|everyone)(?![A-Za-z0-9])", re.IGNORECASE)
CODE = re.compile(r"```.*?```|`[^`\n]+`", re.DOTALL)
LINK = re.compile(r"!?\[([^\]\n]+)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))+)>?(?:\s+\"[^\"]*\")?\s*\)"
                  r"|<(https?://[^>\s]+)>")
BOLD = re.compile(r"\*\*(?!\s)(.+?)(?<!\s)\*\*|__(?!\s)(.+?)(?<!\s)__")
ITALIC = re.compile(r"(?<![\w*])\*(?![\s*])([^*\n]+?)(?<![\s*])\*(?![\w*])")
STRIKE = re.compile(r"~~(?!\s)(.+?)(?<!\s)~~")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*(?:\{#[^}]*\})?\s*#*\s*$")
BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
QUOTE = re.compile(r"^\s*>\s?(.*)$")
RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
SLACK_TOKEN = re.compile(r"<([^<>]*)>")
SAFE_SCHEMES = ("http://", "https://", "mailto:")
BOLD_MARK = "\x01"
HOLE = "\x02{}\x02"


def escape(text: str) -> str:
    """Plain text made safe for mrkdwn: ``& < >`` escaped, broadcasts defused."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return BROADCAST.sub(lambda m: f"@{WORD_JOINER}{m.group(1)}", text)


def link(url: str, label: str) -> str:
    """A mrkdwn link; a URL of another scheme (``javascript:``…) is shown as its label only."""
    if not url.startswith(SAFE_SCHEMES):
        return escape(label)
    safe_url = url.replace("&", "&amp;").replace("|", "%7C").replace("<", "%3C").replace(">", "%3E")
    return f"<{safe_url}|{escape(label).replace('|', '¦')}>"


def to_mrkdwn(markdown: str) -> str:
    """Convert Markdown (bold, italics, lists, headings, links, code) to Slack mrkdwn."""
    holes: list[str] = []

    def keep(rendered: str) -> str:
        holes.append(rendered)
        return HOLE.format(len(holes) - 1)

    text = CODE.sub(lambda m: keep(escape(m.group(0))), markdown)  # defused inside code as well
    text = LINK.sub(lambda m: keep(link(m.group(2) or m.group(3), m.group(1) or m.group(3))), text)
    text = "\n".join(_line(line) for line in text.split("\n"))
    for n, rendered in enumerate(holes):
        text = text.replace(HOLE.format(n), rendered)
    return text


def _line(line: str) -> str:
    if RULE.match(line):
        return "──────────"
    if heading := HEADING.match(line):
        return f"*{_inline(heading.group(1))}*"
    if bullet := BULLET.match(line):
        return f"{bullet.group(1)}• {_inline(bullet.group(2))}"
    if quote := QUOTE.match(line):
        return f">{_inline(quote.group(1))}"
    return _inline(line)


def _inline(text: str) -> str:
    text = escape(text)
    text = BOLD.sub(lambda m: f"{BOLD_MARK}{m.group(1) or m.group(2)}{BOLD_MARK}", text)
    text = ITALIC.sub(r"_\1_", text)
    text = STRIKE.sub(r"~\1~", text)
    return text.replace(BOLD_MARK, "*")


def question_text(slack_text: str, bot_user_id: str | None = None) -> str:
    """What a person typed, from Slack's markup: the bot's mention removed, others as plain text."""

    def plain(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if bot_user_id and target == f"@{bot_user_id}":
            return " "
        if target.startswith(("@", "#")):
            return target[0] + (label or target[1:])
        if target.startswith("!"):
            return label or "@" + target[1:].split("^")[0]
        return label or target

    text = SLACK_TOKEN.sub(plain, slack_text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())
