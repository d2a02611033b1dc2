"""The ``assistant`` command: thin verbs over the answering service.

Heavy libraries are imported inside the commands that need them, so
``assistant --help`` starts instantly.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

import click

from assistant.errors import AssistantError
from assistant.settings import Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data-dir", type=click.Path(path_type=Path), envvar="ASSISTANT_DATA_DIR",
              help="Where the index lives [env ASSISTANT_DATA_DIR; default ~/.local/share/assistant].")
@click.version_option(package_name="assistant")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None) -> None:
    """Cited answers to procedural questions about the UNTOC Conference of the Parties.

    \b
    Example usage:
      assistant ask "Quel est le quorum ?"
      assistant ask "Who can attend as an observer?" --json
      assistant chat
      assistant ingest my-notes/ --rebuild
    """
    ctx.obj = Settings.from_env(data_dir=data_dir)


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (a stable interface).")
@click.option("-k", "--k", type=click.IntRange(1, 50), default=None, help="How many passages to retrieve.")
@click.pass_obj
def ask(settings: Settings, question: str, as_json: bool, k: int | None) -> None:
    """Answer one question with numbered citations.

    With ASSISTANT_LLM set, the answer is written by the model and printed as it
    arrives; the citation check then removes unsupported sentences.

    \b
    Example usage:
      assistant ask "Qui assure le secrétariat de la CP ?"
      assistant ask "How early must the provisional agenda be circulated?" --json
    """
    from assistant import present
    from assistant.service import clean_question

    clean_question(question)  # fail fast, before any index work
    assistant = _ready_assistant(settings)
    if settings.llm and not as_json:
        _stream_answer(assistant, question, k=k)
        return
    answer = assistant.ask(question, k=k)
    click.echo(present.as_json(answer) if as_json else present.as_text(answer))


@cli.command()
@click.pass_obj
def chat(settings: Settings) -> None:
    """Ask questions in a row; a short follow-up ("and the observers?") uses the previous one.

    Type an empty line or press Ctrl-D to leave.
    """
    from assistant import present

    assistant = _ready_assistant(settings)
    history: list[str] = []
    while True:
        try:
            question = input("? ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if not question:
            break
        try:
            if settings.llm:
                _stream_answer(assistant, question, history=history)
            else:
                click.echo(present.as_text(assistant.ask(question, history=history)))
        except AssistantError as exc:
            click.echo(f"error: {exc}", err=True)
            continue
        history.append(question)
        click.echo()


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rebuild", is_flag=True, help="Start from scratch: re-read and re-embed everything.")
@click.pass_obj
def ingest(settings: Settings, paths: tuple[Path, ...], rebuild: bool) -> None:
    """Index the knowledge base, plus any files or folders given.

    Files outside the manifest are indexed as local documents (language detected)
    and kept on later ingests. Unchanged documents are not embedded again. The new
    index replaces the old one only when it is complete.
    """
    from assistant.ingest import ingest as run_ingest

    report = run_ingest(settings, paths, rebuild=rebuild)
    click.echo(f"Indexed {report.documents} documents, {report.chunks} chunks "
               f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f} s.")
    for path, reason in report.failures:
        click.echo(f"skipped {path}: {reason}", err=True)
    if report.failures:
        click.echo(f"{len(report.failures)} file(s) could not be indexed; fix or remove them "
                   "and run assistant ingest again.", err=True)
        sys.exit(1)


@cli.command()
@click.pass_obj
def sources(settings: Settings) -> None:
    """List indexed documents with their languages and chunk counts."""
    from assistant.store import IndexStore

    state = IndexStore.for_settings(settings).state()
    if state is None:
        raise AssistantError("there is no index yet; run: assistant ingest")
    rows: dict[str, dict[str, int]] = {}
    titles: dict[str, str] = {}
    for key, record in sorted(state.documents.items()):
        doc_id, lang = key.rsplit(":", 1)
        rows.setdefault(doc_id, {})[lang] = record.chunks
        titles.setdefault(doc_id, record.title)
    click.echo(f"{'document':<28} {'chunks by language':<22} title")
    for doc_id, counts in rows.items():
        langs = ", ".join(f"{lang} {n}" for lang, n in sorted(counts.items()))
        click.echo(f"{doc_id:<28} {langs:<22} {titles[doc_id]}")
    total = sum(r.chunks for r in state.documents.values())
    click.echo(f"{len(rows)} documents, {len(state.documents)} language versions, {total} chunks")


@cli.command()
@click.pass_obj
def doctor(settings: Settings) -> None:
    """Show the configuration, the embedding backend and the state of the index."""
    from assistant.doctor import report

    ok, lines = report(settings)
    click.echo("\n".join(lines))
    if not ok:
        sys.exit(1)


REPLACED = {
    "en": ("[Checked against the sources: {n} unsupported sentence(s) removed. As checked:]",
           "[The generated answer was set aside:]"),
    "fr": ("[Vérifiée dans les sources : {n} phrase(s) non étayée(s) retirée(s). Après vérification :]",
           "[La réponse générée a été écartée :]"),
}


def _stream_answer(assistant, question: str, history: Sequence[str] = (),  # type: ignore[no-untyped-def]
                   k: int | None = None) -> None:
    """Print the answer as the model writes it; then, if the citation check changed it,
    the checked answer; then the sources."""
    from assistant import present

    streamed: list[str] = []

    def show(token: str) -> None:
        streamed.append(token)
        click.echo(token, nl=False)

    answer = assistant.ask(question, history=history, k=k, on_token=show)
    if streamed:
        click.echo()
    if "".join(streamed).strip() != answer.answer.strip():
        if streamed:
            checked, set_aside = REPLACED.get(answer.language, REPLACED["en"])
            notice = set_aside if answer.mode != "llm" else checked.format(n=len(answer.dropped))
            click.echo(f"\n{notice}")
        click.echo(answer.answer)
    text = present.as_text(answer)
    click.echo(text[len(answer.answer):].removeprefix("\n") if text.startswith(answer.answer) else text)


def _ready_assistant(settings: Settings):  # type: ignore[no-untyped-def]
    """The service, building the index first on a fresh checkout."""
    from assistant.service import Assistant

    assistant = Assistant(settings)
    if not assistant.has_index():
        click.echo("No index yet: building it from the knowledge base (once)…", err=True)
        from assistant.ingest import ingest as run_ingest

        report = run_ingest(settings)
        for path, reason in report.failures:
            click.echo(f"skipped {path}: {reason}", err=True)
    return assistant


def main() -> None:
    """Entry point: every error is one line and an exit code (2 usage, 1 failure)."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        hint = f" (see: {exc.ctx.command_path} --help)" if exc.ctx else ""
        click.echo(f"error: {exc.format_message()}{hint}", err=True)
        sys.exit(2)
    except AssistantError as exc:
        from assistant.masking import env_secrets, redact

        click.echo(f"error: {redact(str(exc), env_secrets())}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted (an unfinished ingest is discarded; the index in use is unchanged)", err=True)
        sys.exit(130)


def _register() -> None:
    from assistant import cli_ops, cli_quality

    for command in (cli_ops.sync_texts, cli_ops.slack, cli_ops.feedback, cli_quality.evaluate, cli_quality.bench):
        cli.add_command(command)


_register()
