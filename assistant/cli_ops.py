"""Operations: ``assistant sync`` (official texts), ``assistant slack`` and its feedback."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assistant.errors import AssistantError
from assistant.settings import Settings


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


@click.command()
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

    from assistant.cli import _ready_assistant

    serve(_ready_assistant(settings), config, http=http, port=port, host=host)


@click.group()
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
