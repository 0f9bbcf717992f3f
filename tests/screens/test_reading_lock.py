"""The core reads a project lazily and is not safe from two threads at once (a model's base looked up while
another thread resolves it reads as "imports itself in a cycle", and the reading lost every model): every
worker that reads or plans holds the app's reading lock, and a reading runs its steps one after the other."""

import threading
import time

from migrate_assistant.screens import node_details, schema_tree
from migrate_assistant.screens.plan_screen import PlanScreen

from .keys import SIZE, make_app, select, settle, type_text


def watched(record: list, name: str, function, app_of):
    """``function``, noting for each call whether this thread holds the reading lock, and when it ran."""

    def call(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            record.append((name, app_of().reading._is_owned(), threading.get_ident(), start, time.perf_counter()))

    return call


async def test_every_reading_detail_form_check_and_plan_holds_the_reading_lock(repo, monkeypatch):
    import migrate_assistant.recipes.check as check_module
    import migrate_assistant.status as status_module
    from migrate_assistant.screens import form_screen

    record: list = []
    holder: list = []
    for module, name in [
        (status_module, "project_status"),
        (check_module, "run_check"),
        (schema_tree, "build_tree"),
        (node_details, "describe"),
        (form_screen, "input_errors"),
    ]:
        monkeypatch.setattr(module, name, watched(record, name, getattr(module, name), lambda: holder[0]))
    app = make_app(repo)
    holder.append(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project.platform")
        await pilot.pause(0.6)  # the details are read once the cursor rests
        await settle(pilot)
        app.action_reload()  # a reading while the details of the selected node are asked again
        await pilot.press("down", "up")
        await pilot.pause(0.6)
        await settle(pilot)
        await select(pilot, "sentry.Team")
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "rank")
        await pilot.press("tab")
        await type_text(pilot, "models.IntegerField(db_default=0)")
        await pilot.pause(0.6)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
    names = {name for name, *_ in record}
    assert names == {"project_status", "run_check", "build_tree", "describe", "input_errors"}
    assert all(held for _, held, *_ in record), [row for row in record if not row[1]]
    readings = sorted((start, end) for name, _, _, start, end in record if name in ("project_status", "run_check"))
    assert all(end <= next_start for (_, end), (next_start, _) in zip(readings, readings[1:]))
