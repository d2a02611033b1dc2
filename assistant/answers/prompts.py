"""Prompts are data: ``prompts/*.md`` files, loaded at run time and validated.

A prompt file starts with TOML front matter between ``+++`` lines that describes it and
documents each variable; the body uses ``{{name}}`` placeholders::

    +++
    description = "What this prompt is for"
    [variables]
    question = "the question as the user asked it"
    +++
    Question: {{question}}

Loading checks that the placeholders and the documented variables are the same set;
rendering names any variable that is missing or unknown. Values are substituted in one
pass, so a value that itself contains ``{{…}}`` (a document, a question) stays as it is.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import AssistantError
from assistant.settings import PACKAGE_ROOT

PROMPTS_DIR = PACKAGE_ROOT / "prompts"
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
FRONT_MATTER = re.compile(r"\A\+\+\+\n(.*?)\n\+\+\+\n?(.*)\Z", re.DOTALL)


class PromptError(AssistantError):
    """A prompt file is malformed, or was rendered with the wrong variables."""


class MissingVariablesError(PromptError):
    """Rendering a prompt without some of its variables; ``missing`` names them."""

    def __init__(self, prompt: str, missing: list[str]) -> None:
        super().__init__(f"prompt {prompt!r} needs variable(s) {', '.join(missing)}; "
                         "pass them to render()")
        self.missing = missing


@dataclass(frozen=True)
class Prompt:
    """One validated prompt: its documented variables and its template body."""

    name: str
    description: str
    variables: dict[str, str]
    template: str
    path: Path

    def render(self, **values: object) -> str:
        """The template with every ``{{name}}`` replaced by ``str(values[name])``."""
        missing = sorted(set(self.variables) - set(values))
        if missing:
            raise MissingVariablesError(self.name, missing)
        unknown = sorted(set(values) - set(self.variables))
        if unknown:
            raise PromptError(f"prompt {self.name!r} has no variable(s) {', '.join(unknown)}; "
                              f"its variables are: {', '.join(sorted(self.variables)) or 'none'}")
        return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), self.template)


def load_prompt(name: str, folder: Path = PROMPTS_DIR) -> Prompt:
    """Read and validate ``folder/name.md``."""
    path = folder / f"{name}.md"
    try:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except OSError as exc:
        raise PromptError(f"cannot read prompt {name!r} at {path}: {exc.strerror}; "
                          f"restore it from the repository") from None
    return parse_prompt(name, text, path)


def load_prompts(folder: Path = PROMPTS_DIR) -> dict[str, Prompt]:
    """Every prompt in ``folder``, by name."""
    return {path.stem: load_prompt(path.stem, folder) for path in sorted(folder.glob("*.md"))}


def parse_prompt(name: str, text: str, path: Path) -> Prompt:
    """A Prompt from a file's text; errors name the file and what to fix."""
    match = FRONT_MATTER.match(text)
    if not match:
        raise PromptError(f"{path}: a prompt file starts with front matter between '+++' lines")
    try:
        meta = tomllib.loads(match.group(1))
    except tomllib.TOMLDecodeError as exc:
        raise PromptError(f"{path}: front matter is not valid TOML ({exc})") from None
    variables = meta.get("variables", {})
    if not isinstance(meta.get("description"), str) or not isinstance(variables, dict) \
            or not all(isinstance(v, str) and v for v in variables.values()):
        raise PromptError(f"{path}: front matter needs description = \"…\" and a [variables] "
                          "table documenting each variable as name = \"meaning\"")
    template = match.group(2).strip() + "\n"
    used = set(PLACEHOLDER.findall(template))
    if used - set(variables):
        raise PromptError(f"{path}: undocumented variable(s) {', '.join(sorted(used - set(variables)))}; "
                          "document them under [variables]")
    if set(variables) - used:
        raise PromptError(f"{path}: documented variable(s) {', '.join(sorted(set(variables) - used))} "
                          "never used in the prompt; remove them or add {{name}}")
    return Prompt(name, meta["description"], dict(variables), template, path)
