"""Answering verbs: ``assistant ask`` and ``assistant chat``."""

from __future__ import annotations

from typing import Sequence

import click

from assistant.errors import AssistantError
from assistant.settings import Settings


@click.command()
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
    from assistant.answers import present
    from assistant.answers.service import clean_question

    clean_question(question)  # fail fast, before any index work
    assistant = ready_assistant(settings)
    if settings.llm and not as_json:
        _stream_answer(assistant, question, k=k)
        return
    answer = assistant.ask(question, k=k)
    click.echo(present.as_json(answer) if as_json else present.as_text(answer))


@click.command()
@click.pass_obj
def chat(settings: Settings) -> None:
    """Ask questions in a row; a short follow-up ("and the observers?") uses the previous one.

    Type an empty line or press Ctrl-D to leave.
    """
    from assistant.answers import present

    assistant = ready_assistant(settings)
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


REPLACED = {
    "en": ("[Checked against the sources: {n} unsupported sentence(s) removed. As checked:]",
           "[The generated answer was set aside:]", "[With the citations numbered as below:]"),
    "fr": ("[Vérifiée dans les sources : {n} phrase(s) non étayée(s) retirée(s). Après vérification :]",
           "[La réponse générée a été écartée :]", "[Avec les citations numérotées comme ci-dessous :]"),
}


@click.command()
@click.argument("name")
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None,
              help="Language version to show [default: English where there is one].")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def show(settings: Settings, name: str, lang: str | None, as_json: bool) -> None:
    """Print a provision whole, with its source.

    NAME is a locator (rule-41, art-32-para-3, cop-10), a document and locator
    (guide-rules#rule-41) or a reference as staff write it ("rule 41", "art. 32(3)").

    \b
    Example usage:
      assistant show rule-41
      assistant show guide-rules#rule-41 --lang fr
      assistant show "res 9/1"
    """
    from assistant.answers import present

    chunks = ready_assistant(settings).provision(name, lang)
    if not chunks:
        raise AssistantError(f"no provision {name!r} in the index; try a locator such as rule-41 or "
                             "art-32, or list the documents with: assistant sources")
    click.echo(present.provision_json(chunks) if as_json else present.provision_text(chunks))


def _stream_answer(assistant, question: str, history: Sequence[str] = (),  # type: ignore[no-untyped-def]
                   k: int | None = None) -> None:
    """Print the answer as the model writes it; then, if the citation check changed it,
    the checked answer; then the sources."""
    from assistant.answers import present

    streamed: list[str] = []

    def show(token: str) -> None:
        streamed.append(token)
        click.echo(token, nl=False)

    answer = assistant.ask(question, history=history, k=k, on_token=show)
    if streamed:
        click.echo()
    if "".join(streamed).strip() != answer.answer.strip():
        if streamed:
            click.echo(f"\n{_notice(answer)}")
        click.echo(answer.answer)
    text = present.as_text(answer)
    click.echo(text[len(answer.answer):].removeprefix("\n") if text.startswith(answer.answer) else text)


def _notice(answer) -> str:  # type: ignore[no-untyped-def]
    """Why the answer printed after the stream differs from it."""
    checked, set_aside, renumbered = REPLACED.get(answer.language, REPLACED["en"])
    if answer.mode != "llm":
        return set_aside
    return checked.format(n=len(answer.dropped)) if answer.dropped else renumbered


def ready_assistant(settings: Settings):  # type: ignore[no-untyped-def]
    """The service, building the index first on a fresh checkout."""
    from assistant.answers.service import Assistant

    assistant = Assistant(settings)
    if not assistant.has_index():
        click.echo("No index yet: building it from the knowledge base (once)…", err=True)
        from assistant.index.ingest import ingest as run_ingest

        report = run_ingest(settings)
        for path, reason in report.failures:
            click.echo(f"skipped {path}: {reason}", err=True)
    return assistant
