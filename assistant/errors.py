"""Errors shown to users: each says what went wrong and what to do."""


class AssistantError(Exception):
    """Base class: the CLI prints the message on one line and exits 1."""

    exit_code = 1


class UsageError(AssistantError):
    """Bad input from the user (empty question, unknown value): exit 2."""

    exit_code = 2


class LoadError(AssistantError):
    """A document could not be read; names the file and the reason."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class IndexNotReadyError(AssistantError):
    """The index is missing, unreadable or built with other embeddings."""
