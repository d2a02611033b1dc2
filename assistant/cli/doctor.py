"""``assistant doctor``: what is configured and whether each part works."""

from __future__ import annotations

import os
import sys
import time
from typing import Mapping

import click

from assistant.errors import AssistantError
from assistant.masking import SECRET_VARIABLES, env_secrets, mask, redact
from assistant.settings import Settings


@click.command(name="doctor")
@click.pass_obj
def doctor_command(settings: Settings) -> None:
    """Show the configuration, the embedding backend and the state of the index."""
    ok, lines = report(settings)
    click.echo("\n".join(lines))
    if not ok:
        sys.exit(1)


def report(settings: Settings, env: Mapping[str, str] | None = None) -> tuple[bool, list[str]]:
    """(all good, lines to show); secrets are listed masked and never shown, even in errors."""
    ok, lines = _checks(settings)
    lines.insert(2, _secrets_line(env))
    secrets = env_secrets(env)
    return ok, [redact(line, secrets) for line in lines]


def _secrets_line(env: Mapping[str, str] | None) -> str:
    """Which secrets are set, each shown as its kind only (``xoxb-***``)."""
    env = os.environ if env is None else env
    shown = [f"{name} {mask(env[name])}" for name in SECRET_VARIABLES if env.get(name)]
    return f"secrets:    {', '.join(shown) if shown else 'none set'}"


def _checks(settings: Settings) -> tuple[bool, list[str]]:
    from assistant.corpus.manifest import load_manifest
    from assistant.index.embed import make_embedder
    from assistant.index.store import IndexStore

    ok = True
    lines = [f"knowledge:  {settings.knowledge_dir}", f"data dir:   {settings.data_dir}"]
    try:
        entries = load_manifest(settings.knowledge_dir)
        local = sum(1 for e in entries if e.path)
        lines.append(f"manifest:   {len(entries)} entries ({local} with a local file)")
    except AssistantError as exc:
        ok = False
        lines.append(f"manifest:   ERROR {exc}")
    embedder = make_embedder(settings)
    try:
        started = time.perf_counter()
        dim = len(embedder.embed_query("quorum"))
        lines.append(f"embeddings: {embedder.name} (dim {dim}, loaded in "
                     f"{(time.perf_counter() - started) * 1000:.0f} ms)")
    except Exception as exc:  # any backend failure is reported, not raised
        ok = False
        lines.append(f"embeddings: {embedder.name} ERROR {exc}")
    llm_ok, llm_lines = _llm_report(settings)
    ok = ok and llm_ok
    lines += llm_lines
    try:
        state = IndexStore.for_settings(settings).state()
    except AssistantError as exc:
        return False, lines + [f"index:      ERROR {exc}"]
    if state is None:
        return False, lines + ["index:      none yet; run: assistant ingest"]
    chunks = sum(r.chunks for r in state.documents.values())
    lines.append(f"index:      version {state.version}, {len(state.documents)} documents, "
                 f"{chunks} chunks, {state.embedding} embeddings")
    if state.embedding != embedder.name:
        ok = False
        lines.append("            built with other embeddings; run: assistant ingest")
    return ok, lines


def _llm_report(settings: Settings) -> tuple[bool, list[str]]:
    """The model in use and whether it answers a tiny prompt."""
    if not settings.llm:
        return True, ["llm:        none, answers are extractive (set ASSISTANT_LLM=provider:model)"]
    from assistant.answers.llm import chat_model, endpoint, ping

    lines = [f"llm:        {settings.llm} at {endpoint(settings)} (timeout {settings.llm_timeout:g} s, "
             f"at most {settings.llm_max_tokens} tokens)"]
    try:
        model = chat_model(settings)
        started = time.perf_counter()
        reply = ping(model)
    except AssistantError as exc:
        return False, lines + [f"            ERROR {exc}"]
    elapsed = (time.perf_counter() - started) * 1000
    return True, lines + [f"            answers ({reply[:40]!r} in {elapsed:.0f} ms)"]
