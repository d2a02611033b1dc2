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
    from assistant.index.embed import make_embedder
    from assistant.index.store import IndexStore

    lines = [f"knowledge:  {settings.knowledge_dir}", f"data dir:   {settings.data_dir}"]
    ok, manifest_lines = _manifest_report(settings)
    lines += manifest_lines
    embedder = make_embedder(settings)
    try:
        started = time.perf_counter()
        dim = len(embedder.embed_query("quorum"))
        lines.append(f"embeddings: {embedder.name} (dim {dim}, loaded in "
                     f"{(time.perf_counter() - started) * 1000:.0f} ms)")
    except Exception as exc:  # any backend failure is reported, not raised
        ok = False
        lines.append(f"embeddings: {embedder.name} ERROR {exc}")
    lists_ok, lists_line = _word_lists_report()
    ok = ok and lists_ok
    lines.append(lists_line)
    llm_ok, llm_lines = _llm_report(settings)
    ok = ok and llm_ok
    lines += llm_lines
    store = IndexStore.for_settings(settings)
    try:
        state = store.state()
        if state is not None:
            from assistant.index.vectors import VectorCollection

            stored = VectorCollection(store.client, state.version).count()
            questions = len((store.read_questions(state.version) or ([], [], None))[0])
    except AssistantError as exc:
        return False, lines + [f"index:      ERROR {exc}"]
    if state is None:
        return False, lines + ["index:      none yet; run: assistant ingest"]
    chunks = sum(r.chunks for r in state.documents.values())
    lines.append(f"index:      version {state.version}, {len(state.documents)} documents, "
                 f"{chunks} chunks ({stored} stored), {questions} sample questions, {state.embedding} embeddings")
    if state.embedding != embedder.name:
        ok = False
        lines.append("            built with other embeddings; run: assistant ingest")
    return ok, lines


def _word_lists_report() -> tuple[bool, str]:
    """Whether typo correction can tell common English and French words (pyspellchecker's lists)."""
    from assistant.answers.spelling import WordListsMissing, read_word_lists

    try:
        sizes = [text.count('":') for text in read_word_lists()]
    except WordListsMissing as exc:
        return False, f"word lists: ERROR {exc}"
    return True, f"word lists: common English and French words ({sizes[0]:,} and {sizes[1]:,})"


def _manifest_report(settings: Settings) -> tuple[bool, list[str]]:
    """The manifest checked as ingest checks it: every violation, and each local file ingest would refuse."""
    from assistant.corpus.files import check_place
    from assistant.corpus.manifest import ManifestError, load_manifest
    from assistant.errors import LoadError

    try:
        entries = load_manifest(settings.knowledge_dir)
    except ManifestError as exc:
        return False, [f"manifest:   ERROR {len(exc.problems)} problem(s); ingest indexes nothing until they are "
                       "fixed"] + [f"            {problem}" for problem in exc.problems]
    except AssistantError as exc:
        return False, [f"manifest:   ERROR {exc}"]
    refused = []
    for entry in entries:
        try:
            if entry.path is not None:
                check_place(entry.path, settings.knowledge_dir, follow_links=False)
        except LoadError as exc:
            refused.append(f"            {entry.key}: {exc}")
    local = sum(1 for e in entries if e.path)
    summary = f"manifest:   {len(entries)} entries ({local} with a local file)"
    if refused:
        summary += f"; ingest would skip {len(refused)} of the files:"
    return not refused, [summary] + refused


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
