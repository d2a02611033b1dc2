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
from assistant.settings import PACKAGE_ROOT, Settings


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


@cli.command(name="sync")
@click.option("-f", "--force", is_flag=True, help="Download again the texts fetched before.")
@click.option("--timeout", type=click.FloatRange(min=1), default=30, show_default=True,
              help="Seconds to wait for a server to connect or send data.")
@click.pass_obj
def sync_texts(settings: Settings, force: bool, timeout: float) -> None:
    """Download the official texts listed in the manifest, then index them.

    Every manifest entry with a url and no local file is fetched into the data
    directory (sync/<id>.<lang>.html or .pdf, checksums in sync/checksums.json), with
    retries. A text that cannot be fetched is named with the reason; the others go on.

    \b
    Example usage:
      assistant sync
      assistant sync --force --timeout 60
    """
    from assistant.fetch import FetchPolicy
    from assistant.sync import sync as run_sync

    report = run_sync(settings, force=force, policy=FetchPolicy(timeout=timeout))
    total = len(report.fetched) + len(report.kept) + len(report.failures)
    click.echo(f"Fetched {len(report.fetched)} of {total} official texts into {report.folder} "
               f"({len(report.kept)} already there, {len(report.failures)} failed).")
    for entry, reason in report.failures:
        click.echo(f"could not fetch {entry.id} ({entry.lang}) from {entry.url}: {reason}", err=True)
    indexed = report.ingest
    if indexed:
        click.echo(f"Indexed {indexed.documents} documents, {indexed.chunks} chunks "
                   f"({indexed.embedded} embedded, {indexed.reused} reused).")
        for path, reason in indexed.failures:
            click.echo(f"skipped {path}: {reason}", err=True)
    if report.failures or (indexed and indexed.failures):
        click.echo("Some texts are missing from the index; check the network or the url in "
                   "manifest.toml and run assistant sync again.", err=True)
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


@cli.command(name="eval")
@click.option("--questions", type=click.Path(path_type=Path, dir_okay=False),
              default=PACKAGE_ROOT / "evals" / "golden.jsonl", show_default="evals/golden.jsonl",
              help="Golden set, one JSON object per line.")
@click.option("-k", "--k", type=click.IntRange(1, 50), default=5, show_default=True,
              help="Passages retrieved per question.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with all metrics.")
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write a Markdown report (tables per language, every failure).")
@click.option("--baseline", is_flag=True, help="Also run the LangChain-tutorial pipeline, side by side.")
@click.option("--thresholds", type=click.Path(path_type=Path, dir_okay=False),
              default=PACKAGE_ROOT / "evals" / "thresholds.toml", show_default="evals/thresholds.toml",
              help="Minimum (and maximum) values per metric; exit 1 when one is crossed.")
@click.pass_obj
def evaluate(settings: Settings, questions: Path, k: int, as_json: bool, report: Path | None,
             baseline: bool, thresholds: Path) -> None:
    """Measure answer quality on a golden set; fail when a metric drops below its threshold.

    \b
    Example usage:
      assistant eval --baseline --report eval-report.md
      assistant eval --questions my-questions.jsonl --json
    """
    import json

    from assistant import report as markdown_report
    from assistant.eval_run import run_evaluation
    from assistant.thresholds import load_thresholds, violations

    limits = load_thresholds(thresholds)
    result, outcomes = run_evaluation(settings, questions, k, baseline, progress=not as_json)
    if report:
        report.write_text(markdown_report.markdown(result, outcomes), encoding="utf-8")
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        ours = result["baseline"]["metrics"] if result["baseline"] else None
        click.echo("\n".join(markdown_report.metrics_table(result["metrics"], ours)))
        click.echo(f"{len(result['failures'])} failures; calibration: {result['calibration']}")
    broken = violations(result["metrics"], limits)
    for line in broken:
        click.echo(f"threshold: {line}", err=True)
    if broken:
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


@cli.command()
@click.option("--http", "http", is_flag=True,
              help="Receive Slack's requests over HTTP at /slack/events instead of Socket Mode.")
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=3000, show_default=True,
              envvar="PORT", help="Port to listen on with --http [env PORT].")
@click.option("--host", default="0.0.0.0", show_default=True, help="Interface to listen on with --http.")
@click.pass_obj
def slack(settings: Settings, http: bool, port: int, host: str) -> None:
    """Run the Slack bot: mentions, direct messages, /ask, thread follow-ups, feedback.

    Socket Mode by default (SLACK_BOT_TOKEN and SLACK_APP_TOKEN; one instance, no public
    URL). With --http it serves /slack/events (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET;
    several replicas can share a load balancer). See "Run it in Slack" in the README.

    \b
    Example usage:
      assistant slack
      assistant slack --http --port 8080
    """
    from assistant.slack.config import SlackConfig

    config = SlackConfig.from_env(settings)
    config.check(http=http)
    from assistant.slack.app import serve  # imports slack_bolt: only when the bot runs

    serve(_ready_assistant(settings), config, http=http, port=port, host=host)


@cli.group()
def feedback() -> None:
    """Votes (👍 / 👎) that people gave the Slack bot's answers."""


@feedback.command(name="export")
@click.option("--only-negative", is_flag=True, help="Only answers that got at least one 👎.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE instead of standard output.")
@click.pass_obj
def export_feedback(settings: Settings, only_negative: bool, output: Path | None) -> None:
    """Write voted answers as candidate golden-set lines (the format of evals/golden.jsonl).

    A 👍 keeps the bot's sources as the expected ones; a 👎 leaves expected_sources for you
    to fill in. Review the lines, then add them to the golden set.

    \b
    Example usage:
      assistant feedback export --only-negative -o candidates.jsonl
    """
    from assistant.slack.config import feedback_path
    from assistant.slack.feedback import FeedbackStore, export

    path = feedback_path(settings)
    if not path.exists():
        raise AssistantError(f"no feedback file at {path}; the Slack bot creates it when it answers "
                             "(set ASSISTANT_FEEDBACK_DB or --data-dir to where the bot writes)")
    lines = [line + "\n" for line in export(FeedbackStore(path), only_negative=only_negative)]
    if output:
        output.write_text("".join(lines), encoding="utf-8")
        click.echo(f"Wrote {len(lines)} candidate lines to {output}.", err=True)
    else:
        click.echo("".join(lines), nl=False)


@cli.command()
@click.option("--questions", type=click.Path(path_type=Path, dir_okay=False),
              default=PACKAGE_ROOT / "evals" / "golden.jsonl", show_default="evals/golden.jsonl",
              help="Questions for the warm-latency run.")
@click.option("--cold-runs", type=click.IntRange(1, 50), default=5, show_default=True,
              help="Fresh processes timed for the cold `ask` median.")
@click.option("--no-baseline", is_flag=True, help="Skip the LangChain-tutorial baseline.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def bench(settings: Settings, questions: Path, cold_runs: int, no_baseline: bool, as_json: bool) -> None:
    """Benchmark cold start, warm latency, ingest time and memory (in a temporary data dir).

    \b
    Example usage:
      assistant bench
      assistant bench --json --no-baseline
    """
    import json

    from assistant.bench import run_bench, table

    result = run_bench(settings, questions, cold_runs, with_baseline=not no_baseline)
    click.echo(json.dumps(result) if as_json else table(result))


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
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted (an unfinished ingest is discarded; the index in use is unchanged)", err=True)
        sys.exit(130)
