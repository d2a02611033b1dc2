"""Prompt files: every one renders with its documented variables; mistakes are named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.answers.prompts import PROMPTS_DIR, MissingVariablesError, PromptError, load_prompt, load_prompts

PROMPT_FILES = sorted(path.stem for path in PROMPTS_DIR.glob("*.md"))


def test_the_prompts_the_code_uses_are_all_there() -> None:
    assert {"system", "answer", "condense", "not_covered", "ping"} <= set(PROMPT_FILES)


@pytest.mark.parametrize("name", PROMPT_FILES)
def test_every_prompt_renders_with_its_documented_variables(name: str) -> None:
    prompt = load_prompt(name)
    assert prompt.description
    values = {var: f"<value of {var}>" for var in prompt.variables}
    text = prompt.render(**values)
    assert "{{" not in text and "}}" not in text
    assert all(value in text for value in values.values())


@pytest.mark.parametrize("name", [n for n in PROMPT_FILES if load_prompt(n).variables])
def test_a_missing_variable_is_named(name: str) -> None:
    prompt = load_prompt(name)
    first, *rest = sorted(prompt.variables)
    with pytest.raises(MissingVariablesError, match=first) as error:
        prompt.render(**{var: "x" for var in rest})
    assert error.value.missing == [first]


def test_an_unknown_variable_is_named_with_the_valid_ones() -> None:
    prompt = load_prompt("condense")
    with pytest.raises(PromptError, match="histroy.*history, question"):
        prompt.render(history="", question="", histroy="")


def test_a_value_is_never_read_as_a_placeholder() -> None:
    text = load_prompt("condense").render(history="- {{question}}", question="quorum?")
    assert "- {{question}}" in text


@pytest.mark.parametrize("content, problem", [
    ("no front matter {{x}}\n", "front matter between '+++'"),
    ('+++\ndescription = "d"\n[variables]\n+++\nHello {{name}}\n', "undocumented variable(s) name"),
    ('+++\ndescription = "d"\n[variables]\nname = "who"\nage = "how old"\n+++\nHi {{name}}\n',
     "documented variable(s) age never used"),
    ('+++\n[variables]\nname = "who"\n+++\nHi {{name}}\n', "needs description"),
    ('+++\ndescription = d\n+++\nHi\n', "not valid TOML"),
])
def test_malformed_prompt_files_are_rejected_with_the_fix(tmp_path: Path, content: str, problem: str) -> None:
    (tmp_path / "bad.md").write_text(content, encoding="utf-8")
    with pytest.raises(PromptError, match=re.escape(problem)) as error:
        load_prompts(tmp_path)
    assert "bad.md" in str(error.value)


def test_a_missing_prompt_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="cannot read prompt 'answer'"):
        load_prompt("answer", tmp_path)
