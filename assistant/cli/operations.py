"""Operations: ``ingest``, ``sources``, ``sync`` (official texts), ``slack`` and its ``feedback``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assistant.errors import AssistantError
from assistant.settings import Settings


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rebuild", is_flag=True, help="Re-read and re-embed everything (the index in use serves meanwhile).")
@click.option("--follow-links", is_flag=True,
              help="Also read files reached through symbolic links, even outside the folders given.")
@click.pass_obj
def ingest(settings: Settings, paths: tuple[Path, ...], rebuild: bool, follow_links: bool) -> None:
    """Index the knowledge base, plus any files or folders given.

    Files outside the manifest are indexed as local documents (language detected)
    and kept on later ingests. Unchanged documents are not embedded again. The new
    index is built beside the one in use and replaces it only when it is complete.
    Only regular files are read; symbolic links are refused unless --follow-links.

    \b
    Example usage:
      assistant ingest
      assistant ingest my-notes/ --rebuild
    """
    from assistant.index.ingest import ingest as run_ingest

    report = run_ingest(settings, paths, rebuild=rebuild, follow_links=follow_links)
    click.echo(f"Indexed {report.documents} documents, {report.chunks} chunks "
               f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f} s."
               + (f" {report.questions} sample questions embedded." if report.questions else ""))
    for path, reason in report.warnings:
        click.echo(f"warning: {path}: {reason}", err=True)
    for path, reason in report.failures:
        click.echo(f"skipped {path}: {reason}", err=True)
    if report.failures:
        click.echo(f"{len(report.failures)} file(s) could not be indexed; fix or remove them "
                   "and run assistant ingest again.", err=True)
        sys.exit(1)


@click.command()
@click.pass_obj
def sources(settings: Settings) -> None:
    """List indexed documents with their languages and chunk counts."""
    from assistant.index.store import IndexStore

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


@click.command(name="sync")
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
    from assistant.corpus.fetch import FetchPolicy
    from assistant.index.ingest import sync_and_ingest

    report, indexed = sync_and_ingest(settings, force=force, policy=FetchPolicy(timeout=timeout))
    total = len(report.fetched) + len(report.kept) + len(report.failures)
    click.echo(f"Fetched {len(report.fetched)} of {total} official texts into {report.folder} "
               f"({len(report.kept)} already there, {len(report.failures)} failed).")
    for entry, reason in report.failures:
        click.echo(f"could not fetch {entry.id} ({entry.lang}) from {entry.url}: {reason}", err=True)
    if indexed:
        click.echo(f"Indexed {indexed.documents} documents, {indexed.chunks} chunks "
                   f"({indexed.embedded} embedded, {indexed.reused} reused).")
        for path, reason in indexed.failures:
            click.echo(f"skipped {path}: {reason}", err=True)
    if report.failures or (indexed and indexed.failures):
        click.echo("Some texts are missing from the index; check the network or the url in "
                   "manifest.toml and run assistant sync again.", err=True)
        sys.exit(1)


@click.command()
@click.option("--http", "http", is_flag=True,
              help="Receive Slack's requests over HTTP at /slack/events instead of Socket Mode.")
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=3000, show_default=True,
              envvar="PORT", help="Port to listen on with --http [env PORT].")
@click.option("--host", default="0.0.0.0", show_default=True, help="Interface to listen on with --http.")
@click.option("-w", "--workers", type=click.IntRange(1, 256), default=None,
              help="Questions answered at once [env ASSISTANT_SLACK_WORKERS; default: the CPUs, at least 2].")
@click.option("-q", "--queue", type=click.IntRange(0, 100_000), default=None,
              help="Questions that may wait for a worker before the bot says it is busy "
                   "[env ASSISTANT_SLACK_QUEUE; default 256].")
@click.pass_obj
def slack(settings: Settings, http: bool, port: int, host: str, workers: int | None, queue: int | None) -> None:
    """Run the Slack bot: mentions, direct messages, /ask, thread follow-ups, feedback.

    Socket Mode by default (SLACK_BOT_TOKEN and SLACK_APP_TOKEN; one instance, no public
    URL). With --http it serves /slack/events and /healthz (SLACK_BOT_TOKEN and
    SLACK_SIGNING_SECRET); several replicas behind a load balancer answer each event
    once when they share ASSISTANT_REDIS_URL. It stops on SIGTERM or Ctrl-C once the
    answers in hand are posted. See "Run it in Slack" in the README.

    \b
    Example usage:
      assistant slack
      assistant slack --http --port 8080 --workers 4
      ASSISTANT_REDIS_URL=redis://redis:6379/0 assistant slack --http
    """
    from assistant.slack.config import SlackConfig

    config = SlackConfig.from_env(settings, workers=workers, queue=queue)
    config.check(http=http)
    from assistant.cli.answering import ready_assistant
    from assistant.slack.app import serve  # imports slack_bolt: only when the bot runs

    serve(ready_assistant(settings), config, http=http, port=port, host=host)


@click.group()
def feedback() -> None:
    """Votes (👍 / 👎) that people gave the Slack bot's answers."""


@feedback.command(name="export")
@click.option("--only-negative", is_flag=True, help="Only answers that got at least one 👎.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE instead of standard output.")
@click.pass_obj
def export_feedback(settings: Settings, only_negative: bool, output: Path | None) -> None:
    """Write voted answers as candidate question lines (the format of evals/test.jsonl).

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
