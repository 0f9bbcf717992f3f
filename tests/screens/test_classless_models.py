"""Models of the migrations' state whose class is not read statically: shown, badged, explained, refused."""

import pytest

from migrate_assistant.errors import AssistantError
from migrate_assistant.project import discover
from migrate_assistant.targets import resolve_model

from .keys import SIZE, make_app, select, settle

MIGRATION = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sentry", "{leaf}")]

    operations = [
        migrations.CreateModel(
            name="RuntimeStore",
            fields=[("id", models.AutoField(primary_key=True)), ("store_key", models.CharField(max_length=64))],
        ),
        migrations.CreateModel(name="Widget", fields=[("id", models.AutoField(primary_key=True))]),
        migrations.CreateModel(name="Gadget", fields=[("id", models.AutoField(primary_key=True))]),
        migrations.CreateModel(name="Gone", fields=[("id", models.AutoField(primary_key=True))]),
        migrations.RenameModel(old_name="Gone", new_name="Renamed"),
        migrations.DeleteModel(name="Renamed"),
    ]
"""
WIDGETS = """from django.apps import apps

Base = apps.get_model("elsewhere", "Base")


class Widget(Base):
    pass


if not apps.is_installed("gadgets"):

    class Gadget(make_base()):
        pass
"""


def add_classless(repo):
    leaf = discover(repo).index.graph.leaves("sentry")[0]
    (repo / "src/sentry/migrations/9001_classless.py").write_text(MIGRATION.format(leaf=leaf))
    (repo / "src/sentry/models/widgets.py").write_text(WIDGETS)


def test_live_models_follow_creations_renames_and_deletions(repo):
    add_classless(repo)
    index = discover(repo).index
    live = index.live_models("sentry")
    assert {"runtimestore", "widget", "gadget"} <= set(live) and "renamed" not in live and "gone" not in live
    found = {item.name: item for item in index.classless("sentry")}
    assert set(found) == {"RuntimeStore", "Widget", "Gadget"}
    assert found["RuntimeStore"].badge == "no class" and found["RuntimeStore"].path is None
    assert found["Widget"].badge == "class unreadable"
    assert "src/sentry/models/widgets.py:6" in found["Widget"].why and "base Base of Widget" in found["Widget"].why
    assert "make_base()" in found["Gadget"].why
    for name in found:
        with pytest.raises(AssistantError, match=f"sentry.{name} has no model class the assistant can change"):
            resolve_model(discover(repo), "sentry", name)


async def test_a_model_without_a_class_has_a_row_a_badge_and_why(repo):
    add_classless(repo)
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        node = app.schema.nodes[app.schema.find("sentry.RuntimeStore")]
        assert [badge.text for badge in node.badges] == ["no class"]
        widget = app.schema.nodes[app.schema.find("sentry.Widget")]
        assert [badge.text for badge in widget.badges] == ["class unreadable"]
        assert "3 without class" in [badge.text for badge in app.schema.nodes[app.schema.find("sentry")].badges]
        assert "sentry.RuntimeStore" not in [target.label for target in app.schema.targets({"model"})]
        await select(pilot, "sentry.RuntimeStore")
        details = app.screen.query_one("#details").render().plain
        assert "no class RuntimeStore in the models modules of sentry" in " ".join(details.split())
        assert "store_key" in details and "CharField" in details


async def test_long_reasons_wrap_at_words_in_a_small_terminal(repo):
    add_classless(repo)
    app = make_app(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Widget")
        pane = app.screen.query_one("#details-pane")
        width = pane.scrollable_content_region.width
        lines = app.screen.query_one("#details").render().plain.splitlines()
        assert ["class Widget at", "src/sentry/models/widgets.py:6 is not", "known to be a model:"] == lines[3:6]
        assert all(len(line) <= width for line in lines if " " in line.strip() and not line.startswith("file ")), (
            width,
            lines,
        )
        assert any(line.strip() == "src/sentry/models/widgets.py:6 is not" for line in lines), lines  # never broken
        assert "file      src/sentry/models/widgets.py:6" in lines  # an identifier row scrolls sideways instead


PROXY = """from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("sentry", "{leaf}")]

    operations = [
        migrations.CreateModel(name="TeamProxy", fields=[], options={{"proxy": True}}, bases=("sentry.team",)),
    ]
"""


async def test_the_footer_offers_no_change_the_recipes_refuse_and_a_proxy_says_whose_fields_it_has(repo):
    leaf = discover(repo).index.graph.leaves("sentry")[0]
    (repo / "src/sentry/migrations/9001_proxy.py").write_text(PROXY.format(leaf=leaf))
    models = repo / "src/sentry/models/team.py"
    models.write_text(models.read_text() + "\n\nclass TeamProxy(Team):\n    class Meta:\n        proxy = True\n")
    add_classless(repo)
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.TeamProxy")
        details = " ".join(app.screen.query_one("#details").render().plain.split())
        assert "proxy of sentry.Team" in details and "its fields are those of the model it proxies" in details
        for key in ("sentry.TeamProxy", "sentry.RuntimeStore"):
            await select(pilot, key)
            offered = {active.binding.action for active in app.screen.active_bindings.values() if active.enabled}
            assert offered.isdisjoint({"remove", "rename", "add_field", "add_index", "mark"}), (key, offered)
            assert "data_migration" in offered
        await select(pilot, "sentry.Team")
        offered = {active.binding.action for active in app.screen.active_bindings.values() if active.enabled}
        assert {"remove", "rename", "add_field", "add_index"} <= offered


LONG_NAMES = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sentry", "{leaf}")]

    operations = [
        migrations.CreateModel(
            name="RuntimeStore",
            fields=[
                ("id", models.AutoField(primary_key=True)),
                ("a_field_name_longer_than_half_the_pane", models.TextField()),
            ],
        ),
    ]
"""


async def test_a_long_field_name_pushes_only_its_own_class_on_in_a_small_terminal(repo):
    leaf = discover(repo).index.graph.leaves("sentry")[0]
    (repo / "src/sentry/migrations/9001_long_names.py").write_text(LONG_NAMES.format(leaf=leaf))
    app = make_app(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.RuntimeStore")
        width = app.screen.query_one("#details-pane").scrollable_content_region.width
        lines = app.screen.query_one("#details").render().plain.splitlines()
        [short] = [line for line in lines if line.startswith("  id ")]
        assert short.index("AutoField") + len("AutoField") <= width, (width, short)
        assert any(line.startswith("  a_field_name_longer_than_half_the_pane  TextField") for line in lines), lines
