"""Errors with the exit code the command line turns them into."""


class AssistantError(Exception):
    """Refused or failed: one clear message, nothing written (exit code 1)."""

    exit_code = 1


class UsageError(AssistantError):
    """The command was called the wrong way (exit code 2)."""

    exit_code = 2
