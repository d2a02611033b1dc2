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
        sys.stdout.flush()  # a full device or a closed pipe shows here, not as a traceback at exit
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):  # click turns Ctrl-C into Abort
        click.echo("interrupted (an unfinished ingest is discarded; the index in use is unchanged)", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        hint = f" (see: {exc.ctx.command_path} --help)" if exc.ctx else ""
        click.echo(f"error: {exc.format_message()}{hint}", err=True)
        sys.exit(2)
    except AssistantError as exc:
        from assistant.masking import env_secrets, redact

        for line in redact(str(exc), env_secrets()).splitlines():
            click.echo(f"error: {line}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        _os_error(exc)


def _os_error(exc: OSError) -> None:
    """A failure of the machine (full disk, closed output) as one line; stdout is dropped so exit stays quiet."""
    import errno
    import os

    if exc.errno in (errno.EPIPE, errno.ENOSPC) or isinstance(exc, BrokenPipeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if exc.errno == errno.EPIPE:
        sys.exit(1)  # the reader went away (assistant ask … | head): nothing to say to it
    where = f" ({exc.filename})" if exc.filename else " (standard output)" if exc.errno == errno.ENOSPC else ""
    fix = "free space and run the command again" if exc.errno == errno.ENOSPC else "check the path and permissions"
    click.echo(f"error: {(exc.strerror or str(exc)).lower()}{where}: {fix}", err=True)
    sys.exit(1)


for _command in (answering.ask, answering.chat, answering.show, operations.ingest, operations.sources,
                 operations.sync_texts, operations.slack, operations.feedback, doctor.doctor_command,
                 quality.evaluate, quality.bench, quality.calibrate):
    cli.add_command(_command)
