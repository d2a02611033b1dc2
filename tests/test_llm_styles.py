"""Prompt styles (prompts/styles.toml): which prompts, how many passages, how labelled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.answers.generate import render_passages
from assistant.answers.prompts import PromptError, load_prompt
from assistant.answers.retrieve import Hit
from assistant.answers.styles import load_styles
from assistant.corpus.chunks import Chunk

GOOD = ('[default]\nen = "s"\n[style.s]\ndescription = "d"\nsystem = "system"\nanswer = "answer"\n'
        'passages = 3\nsource = "heading"\n')


def test_the_shipped_styles_name_existing_prompts_and_a_default_per_language() -> None:
    styles = load_styles()
    assert {"full", "short", "compact"} <= set(styles.styles)
    for style in styles.styles.values():
        assert set(load_prompt(style.system).variables) == {"not_covered_reply"}
        assert set(load_prompt(style.answer).variables) == set(load_prompt("answer").variables)
    assert {styles.for_language(lang).name for lang in ("en", "fr", "es")} <= set(styles.styles)


def test_a_style_reads_its_number_of_passages() -> None:
    styles = load_styles()
    assert styles.styles["full"].passages_of([1, 2, 3, 4, 5]) == [1, 2, 3, 4, 5]
    assert styles.styles["compact"].passages_of([1, 2, 3, 4, 5]) == [1, 2, 3]


def test_an_unknown_style_is_named_with_the_valid_ones() -> None:
    with pytest.raises(PromptError, match=r"unknown prompt style 'terse'.*compact, full, short"):
        load_styles().for_language("en", "terse")


@pytest.mark.parametrize("content, problem", [
    (GOOD.replace('en = "s"', 'en = "x"'), "unknown: x"),
    (GOOD.replace('answer = "answer"', 'answer = "nowhere"'), "missing: nowhere"),
    (GOOD.replace('source = "heading"', 'source = "url"'), "source one of title, heading"),
    (GOOD.replace('passages = 3\n', ''), "[style.s] lacks passages"),
    ("[default\n", "not valid TOML"),
])
def test_a_malformed_styles_file_is_rejected_with_the_fix(tmp_path: Path, content: str,
                                                          problem: str) -> None:
    for name in ("system", "answer"):
        (tmp_path / f"{name}.md").write_text("", encoding="utf-8")
    (tmp_path / "styles.toml").write_text(content, encoding="utf-8")
    with pytest.raises(PromptError, match=re.escape(problem)):
        load_styles(tmp_path / "styles.toml")


def test_passages_are_labelled_by_title_or_by_heading_only() -> None:
    chunk = Chunk(doc_id="d", lang="en", kind="guide", title='Guide "A"', locator="rule-41",
                  heading="Rule 41 — Quorum", url=None, text="One third.", seq=0)
    hit = Hit(chunk, 0.9, 1.0)
    assert render_passages([hit]).startswith(
        '<passage n="1" lang="en" source="Guide &quot;A&quot; — Rule 41 — Quorum">\nOne third.')
    assert render_passages([hit], "heading") == \
        '<passage n="1" source="Rule 41 — Quorum">\nOne third.\n</passage>'
