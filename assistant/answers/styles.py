"""Prompt styles: how the model is asked for an answer, read from ``prompts/styles.toml``.

A style names its system and answer prompts (files in ``prompts/``), how many of the
retrieved passages the model reads, and how each passage is labelled. ``[default]``
picks a style per language; ``ASSISTANT_LLM_PROMPT`` picks one for every language.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence, TypeVar

from assistant.answers.prompts import PROMPTS_DIR, PromptError

STYLES_FILE = PROMPTS_DIR / "styles.toml"
SOURCE_LABELS = ("title", "heading")
T = TypeVar("T")


@dataclass(frozen=True)
class Style:
    """One way of asking: prompts by name, passages read (0: all), passage label."""

    name: str
    description: str
    system: str
    answer: str
    passages: int
    source: str

    def passages_of(self, hits: Sequence[T]) -> list[T]:
        """The passages the model reads, best first."""
        return list(hits[:self.passages] if self.passages else hits)


@dataclass(frozen=True)
class Styles:
    """Every style by name, and the default style's name per language."""

    styles: dict[str, Style]
    default: dict[str, str]

    def for_language(self, lang: str, name: str | None = None) -> Style:
        """The style called ``name``, else the default for ``lang`` (English's for others)."""
        chosen = name or self.default.get(lang) or self.default["en"]
        if chosen not in self.styles:
            raise PromptError(f"unknown prompt style {chosen!r} (ASSISTANT_LLM_PROMPT); "
                              f"use one of: {', '.join(sorted(self.styles))}")
        return self.styles[chosen]


@lru_cache(maxsize=4)
def load_styles(path: Path = STYLES_FILE) -> Styles:
    """Read and validate the styles file; errors name the file and what to fix."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PromptError(f"cannot read {path}: {exc.strerror}; restore it from the repository") from None
    except tomllib.TOMLDecodeError as exc:
        raise PromptError(f"{path} is not valid TOML ({exc})") from None
    styles = {name: _style(name, table, path) for name, table in data.get("style", {}).items()}
    default = data.get("default", {})
    unknown = sorted(set(default.values()) - set(styles))
    if "en" not in default or unknown:
        raise PromptError(f"{path}: [default] needs en = \"<style>\" and may name only the styles "
                          f"defined ({', '.join(sorted(styles))}); unknown: {', '.join(unknown) or '-'}")
    return Styles(styles, dict(default))


def _style(name: str, table: dict, path: Path) -> Style:
    try:
        style = Style(name, str(table["description"]), table["system"], table["answer"],
                      int(table["passages"]), table["source"])
    except KeyError as exc:
        raise PromptError(f"{path}: [style.{name}] lacks {exc.args[0]}") from None
    missing = [p for p in (style.system, style.answer) if not (path.parent / f"{p}.md").is_file()]
    if missing or style.passages < 0 or style.source not in SOURCE_LABELS:
        raise PromptError(f"{path}: [style.{name}] needs prompts that exist in {path.parent} "
                          f"(missing: {', '.join(missing) or '-'}), passages >= 0 and source one of "
                          f"{', '.join(SOURCE_LABELS)}")
    return style
