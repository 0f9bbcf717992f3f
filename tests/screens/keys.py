"""Helpers to drive the assistant with Pilot."""

from __future__ import annotations

from migrate_assistant.project import discover
from migrate_assistant.screens.app import AssistantApp

SIZE = (120, 36)


def make_app(repo) -> AssistantApp:
    return AssistantApp(discover(repo))


async def settle(pilot) -> None:
    """Let workers finish and the screen refresh."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if char == " " else char for char in text])


async def mark(pilot, *targets: str) -> None:
    """Type each target in the picker's filter and mark it with space."""
    for target in targets:
        await type_text(pilot, target)
        await pilot.press("space")
        await pilot.press(*["backspace"] * len(target))
