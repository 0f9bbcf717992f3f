"""Errors with the exit code the command line turns them into."""

import os


class AssistantError(Exception):
    """Refused or failed: one clear message, nothing written (exit code 1).

    ``argument`` names the command's argument the refusal concerns, as the command line calls it:
    ``target`` (what is changed: app, model or field), ``new_name`` (a rename's new name), ``name`` (the
    name of what is added: field, index, migration), ``expression`` (add-field's field), ``fields``
    (add-index's), ``app`` and ``model`` (data-migration's). ``None``: no one argument (the repository,
    its files, its migration graph), as the assistant's forms say it for the whole form.
    """

    exit_code = 1

    def __init__(self, message: str = "", *, argument: str | None = None):
        super().__init__(message)
        self.argument = argument


class UsageError(AssistantError):
    """The command was called the wrong way (exit code 2)."""

    exit_code = 2


def within(message: str, root) -> str:
    """``message`` with the paths under ``root`` written from it (``src/app/models.py:18``), as every other
    message names a file; paths elsewhere stay whole."""
    return message.replace(f"{root}{os.sep}", "")
