"""The chat model behind LLM answers, built from ``ASSISTANT_LLM=provider:model``.

LangChain's ``init_chat_model`` picks the provider class (``openai:gpt-4o-mini``,
``anthropic:claude-…``, ``ollama:llama3.1``). Any OpenAI-compatible server (vLLM,
llama.cpp, LM Studio, Ollama's ``/v1``) is reached with ``openai:<model>`` and
``OPENAI_BASE_URL``. API keys stay in the provider's own environment variables.
LangChain is imported here only, on first use.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Mapping

from assistant.errors import AssistantError, UsageError
from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

# One retry absorbs a dropped connection or a 429; more would multiply the wait on a dead server.
MAX_RETRIES = 1
# A local OpenAI-compatible server ignores the key, but the openai client insists on one.
PLACEHOLDER_KEY = "not-needed"


class LLMError(AssistantError):
    """The model failed or timed out; ``kind`` is ``"timeout"`` or ``"error"``."""

    def __init__(self, message: str, kind: str = "error") -> None:
        super().__init__(message)
        self.kind = kind


def chat_model(settings: Settings, env: Mapping[str, str] | None = None) -> BaseChatModel:
    """The configured chat model, with the timeout and token limit applied."""
    if not settings.llm:
        raise UsageError("no language model configured; set ASSISTANT_LLM=provider:model, "
                         "e.g. openai:gpt-4o-mini")
    from langchain.chat_models import init_chat_model

    provider, _, name = settings.llm.partition(":")
    kwargs = _provider_options(provider, settings, os.environ if env is None else env)
    try:
        return init_chat_model(name, model_provider=provider, **kwargs)  # type: ignore[return-value]
    except ImportError:
        raise UsageError(f"ASSISTANT_LLM={settings.llm} needs the LangChain package for "
                         f"{provider!r}: pip install langchain-{provider.replace('_', '-')}") from None
    except ValueError as exc:
        raise UsageError(f"ASSISTANT_LLM={settings.llm}: {str(exc).splitlines()[0]} "
                         "(see LangChain's init_chat_model for provider names)") from None


def endpoint(settings: Settings, env: Mapping[str, str] | None = None) -> str:
    """Where requests go, for ``assistant doctor`` (never shows a key)."""
    env = os.environ if env is None else env
    provider = (settings.llm or "").partition(":")[0]
    if provider == "openai" and env.get("OPENAI_BASE_URL"):
        return env["OPENAI_BASE_URL"]
    return f"{provider} default endpoint"


def as_llm_error(exc: BaseException) -> LLMError:
    """A provider exception as an LLMError that says what happened."""
    if "timeout" in type(exc).__name__.lower():
        return LLMError("the language model did not answer in time; a slow model may need a "
                        "larger ASSISTANT_LLM_TIMEOUT", "timeout")
    first_line = (str(exc).splitlines() or [""])[0][:200]
    return LLMError(f"the language model failed: {type(exc).__name__}: {first_line}")


def ping(model: BaseChatModel) -> str:
    """Send the tiny ``ping`` prompt and return the reply (raises LLMError)."""
    from assistant.answers.prompts import load_prompt

    try:
        return model.invoke([("human", load_prompt("ping").render())]).text.strip()
    except Exception as exc:  # provider errors have no common base class
        raise as_llm_error(exc) from exc


def _provider_options(provider: str, settings: Settings, env: Mapping[str, str]) -> dict[str, Any]:
    """Timeout, token limit and endpoint under the names each provider class expects."""
    if provider == "ollama":  # ChatOllama names these differently
        return {"num_predict": settings.llm_max_tokens,
                "client_kwargs": {"timeout": settings.llm_timeout}}
    options: dict[str, Any] = {"timeout": settings.llm_timeout, "max_tokens": settings.llm_max_tokens,
                               "max_retries": MAX_RETRIES}
    if provider == "openai" and env.get("OPENAI_BASE_URL"):
        options["base_url"] = env["OPENAI_BASE_URL"]
        # langchain-openai sends the limit as max_completion_tokens; some servers read only max_tokens.
        options["extra_body"] = {"max_tokens": settings.llm_max_tokens}
        if not env.get("OPENAI_API_KEY"):
            options["api_key"] = PLACEHOLDER_KEY
    return options
