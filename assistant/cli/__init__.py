"""The ``assistant`` command: thin verbs over the answering service.

Takes the command line; gives text or JSON and an exit code (2 usage, 1 failure).
A front end: it may import any stage; nothing but ``cli`` imports ``click``.
Heavy libraries are imported inside the commands that need them, so
``assistant --help`` starts instantly.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assistant.cli import answering, doctor, operations, quality
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


for _command in (answering.ask, answering.chat, answering.show, operations.ingest, operations.sources,
                 operations.sync_texts, operations.slack, operations.feedback, doctor.doctor_command,
                 quality.evaluate, quality.bench, quality.calibrate):
    cli.add_command(_command)
