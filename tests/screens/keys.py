"""Helpers to drive the assistant with Pilot."""

from __future__ import annotations

from textual import events

from migrate_assistant.project import discover
from migrate_assistant.screens.app import AssistantApp

SIZE = (120, 36)
SMALL = (80, 24)


def make_app(repo, watch: bool = False) -> AssistantApp:
    return AssistantApp(discover(repo), watch=watch)


async def settle(pilot) -> None:
    """Let workers finish and the screen refresh."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if char == " " else char for char in text])


def burst(app, keys: list[str]) -> None:
    """Keys as a terminal delivers them when typed at full speed: all queued before any is handled."""
    names = {" ": "space", ".": "full_stop", "/": "slash", "\r": "enter"}
    for key in keys:
        name = names.get(key, key)
        character = key if len(key) == 1 and key != "\r" else ("\r" if name == "enter" else None)
        app._driver.send_message(events.Key(name, character))


async def mark(pilot, *targets: str) -> None:
    """Type each target in the picker's filter and mark it with space."""
    for target in targets:
        await type_text(pilot, target)
        await pilot.press("space")
        await pilot.press(*["backspace"] * len(target))


async def select(pilot, key: str) -> None:
    """Put the browser's cursor on the node called ``key`` (as the filter would) and let it rest there."""
    assert pilot.app.screen.view.select(key), key
    await pilot.pause(0.15)
    await settle(pilot)
