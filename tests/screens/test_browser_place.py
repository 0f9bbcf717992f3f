"""The browser's tree order, its place kept across a failed reading, its status line and its details' labels."""

import re

from migrate_assistant.screens.browser import plural, status_line
from migrate_assistant.screens.schema_view import SchemaView

from ..checks.test_rules import CASES, write
from .keys import SIZE, SMALL, make_app, select, settle, type_text

PENDING = "sentry.Organization.default_role"


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def row_keys(app) -> list[str]:
    return [app.schema.nodes[number].key for number in app.screen.view.rows]


async def test_a_pending_field_deletion_is_drawn_under_its_own_model(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Organization")
        await pilot.press("right")
        await settle(pilot)
        keys = row_keys(app)
        start, at = keys.index("sentry.Organization"), keys.index(PENDING)
        assert all(key.startswith("sentry.Organization.") for key in keys[start + 1 : at + 1]), keys[start:at]
        assert not keys[at + 1].startswith("sentry.Organization.")  # the next model (or migrations) follows
        view = app.screen.view
        line = view._row_text(view.rows[at], 200).plain
        field = view._row_text(view.rows[at - 1], 200).plain
        assert line.index("default_role") == len(field) - len(field.lstrip())  # at its siblings' depth

        # every node is drawn below its own parent, whatever is expanded
        view.expanded = set(range(len(app.schema.nodes)))
        view.apply_filter("")
        rows = view.rows
        for above, number in zip(rows, rows[1:]):
            chain, node = [], app.schema.nodes[above]
            while node is not None:
                chain.append(app.schema.nodes.index(node))
                node = app.schema.nodes[node.parent] if node.parent is not None else None
            parent = app.schema.nodes[number].parent
            assert parent is None or parent in chain, (app.schema.nodes[above].key, app.schema.nodes[number].key)


async def test_a_failed_reading_keeps_the_cursor_the_expanded_nodes_and_the_marks(repo):
    models = repo / "src/sentry/models/project.py"
    good = models.read_text()
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Organization.slug")
        await pilot.press("space")
        await select(pilot, "sentry.Project.platform")
        view = app.screen.view
        expanded = {app.schema.nodes[number].key for number in view.expanded}
        assert {"sentry", "sentry.Organization", "sentry.Project"} <= expanded

        models.write_text(good.replace("class Meta:", "class Meta\n", 1))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.load_error and app.screen.query_one("#banner").display
        assert view.rows == []

        models.write_text(good)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.load_error is None
        assert app.screen.node.key == "sentry.Project.platform"
        assert {app.schema.nodes[number].key for number in view.expanded} == expanded
        assert [node.key for node in view.marked_nodes] == ["sentry.Organization.slug"]
        assert isinstance(app.focused, SchemaView)


def test_counts_are_plural_only_when_not_one():
    assert [plural(n, "finding") for n in (0, 1, 2)] == ["0 findings", "1 finding", "2 findings"]


async def test_the_status_line_says_1_finding(repo):
    write(repo, CASES["MA005"][0])
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(app.check.findings) == 1
        status = shown(app, "#tree-status")
        assert status.startswith("Ready: ") and status.endswith(", 1 pending, 1 finding"), status
        assert re.search(r"\d+ models, \d+ migrations", status)


async def test_every_details_label_is_followed_by_two_spaces(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry")
        details = shown(app, "#details")
        assert re.search(r"^migrations  +\d+$", details, re.M), details
        values = [line.index(line.split()[1]) for line in details.splitlines()[1:6] if len(line.split()) > 1]
        assert len(set(values)) == 1, details  # path, leaf, lockfile, models and migrations line up

        await select(pilot, PENDING)
        details = shown(app, "#details")
        assert re.search(r"^main branch  +main$", details, re.M), details
        assert not re.search(r"^merged", details, re.M)  # only each phase's own row says merged
        assert re.search(r"^ +merged \d{4}-\d\d-\d\d$", details, re.M), details


def test_the_status_line_drops_ready_then_migrations_then_models_and_cuts_between_counts():
    counts = ["12 models", "8 migrations", "1 pending", "0 findings"]
    assert status_line(counts, 60) == "Ready: 12 models, 8 migrations, 1 pending, 0 findings"
    assert status_line(counts, 52) == "12 models, 8 migrations, 1 pending, 0 findings"
    assert status_line(counts, 40) == "12 models, 1 pending, 0 findings"
    assert status_line(counts, 38, "31 rows shown") == "31 rows shown, 1 pending, 0 findings"
    assert status_line(counts, 30, "31 rows shown") == "31 rows shown, 1 pending…"
    assert status_line(counts, 12, "1031 rows shown") == "1031 rows…"


async def test_the_status_line_is_one_line_at_120x36_and_80x24(repo):
    for size, ready in (
        (SIZE, "12 models, 8 migrations, 1 pending, 0 findings"),
        (SMALL, "12 models, 1 pending, 0 findings"),
    ):
        app = make_app(repo)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            status = app.screen.query_one("#tree-status")
            assert status.size.height == 1 and shown(app, "#tree-status") == ready, (size, shown(app, "#tree-status"))
            await pilot.press("slash")
            await type_text(pilot, "project")
            await pilot.pause(0.3)
            await settle(pilot)
            line = shown(app, "#tree-status")
            rows = len(app.screen.view.rows)
            assert rows > 1 and line.startswith(f"{rows} rows shown, ") and line.endswith(", 1 pending, 0 findings"), (
                line
            )
            assert len(line) <= status.scrollable_content_region.width and status.size.height == 1


def test_a_model_shows_the_fields_it_inherits_from_an_abstract_model(repo):
    """django-oscar's concrete models hold no field of their own: the tree listed them empty."""
    from migrate_assistant.project import discover
    from migrate_assistant.screens.node_details import describe
    from migrate_assistant.screens.schema_tree import build_tree

    project = discover(repo)
    tree = build_tree(project)
    nodes = {node.key: node for node in tree.nodes}
    model = nodes["hybridcloud.WebhookPayload"]
    shown = [tree.nodes[child].name for child in model.children]
    assert {"date_added", "date_updated", "mailbox_name"} <= set(shown), shown
    assert "id" not in shown  # an inherited auto primary key is left out, like Django's implicit one
    inherited = nodes["hybridcloud.WebhookPayload.date_added"]
    assert inherited.detail == "DateTimeField · null · inherited from DefaultFieldsModel"
    details = describe(project, inherited).plain
    assert "file      src/sentry/db/models/base.py:22\n" in details, details
    assert "column    hybridcloud_webhookpayload.date_added\n" in details, details
    # the recipes refuse to change an inherited field on one model: the pickers do not offer it
    targets = {target.label for target in tree.targets({"field"})}
    assert "hybridcloud.WebhookPayload.mailbox_name" in targets
    assert "hybridcloud.WebhookPayload.date_added" not in targets
