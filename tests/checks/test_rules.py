"""One test per rule: an unsafe and a safe example, checked the way a developer runs it."""

import json

import pytest

HEADER = """\
from django.db import migrations, models

from sentry.new_migrations.migrations import CheckedMigration
from sentry.new_migrations.monkey.fields import SafeRemoveField
from sentry.new_migrations.monkey.models import SafeDeleteModel
from sentry.new_migrations.monkey.special import SafeRunSQL
from sentry.new_migrations.monkey.state import DeletionAction


class Migration(CheckedMigration):
    is_post_deployment = {post}

    dependencies = [
        ("{app}", "{parent}"),
    ]

    operations = [
{operations}
    ]
"""
PARENTS = {"sentry": "0007_organization_default_role_pending", "uptime": "0002_uptimeregion"}
FOLDERS = {"sentry": "src/sentry/migrations", "uptime": "src/sentry/uptime/migrations"}
MOVE = "deletion_action=DeletionAction.MOVE_TO_PENDING"

CASES = {
    "MA001": (
        'migrations.RemoveField(model_name="project", name="platform"),',
        f'SafeRemoveField(model_name="project", name="platform", {MOVE}),\n'
        'migrations.SeparateDatabaseAndState(state_operations=[migrations.RemoveField(model_name="project", name="first_event")]),',
    ),
    "MA002": (
        'migrations.DeleteModel(name="UptimeRegion"),',
        f'SafeDeleteModel(name="UptimeRegion", {MOVE}),',
        "uptime",
    ),
    "MA003": (
        'SafeRemoveField(model_name="project", name="platform", deletion_action=DeletionAction.DELETE),',
        'SafeRemoveField(model_name="organization", name="default_role", deletion_action=DeletionAction.DELETE),',
    ),
    "MA004": (
        f'SafeRemoveField(model_name="project", name="template_version", {MOVE}),\n'
        f'SafeRemoveField(model_name="project", name="organization", {MOVE}),',
        'migrations.AlterField(model_name="project", name="template_version", field=models.CharField(max_length=32, null=True)),\n'
        f'SafeRemoveField(model_name="project", name="template_version", {MOVE}),',
    ),
    "MA005": (
        'migrations.AddField(model_name="project", name="tier", field=models.IntegerField(default=0)),',
        'migrations.AddField(model_name="project", name="tier", field=models.IntegerField(db_default=0)),\n'
        'migrations.AddField(model_name="project", name="note", field=models.TextField(null=True)),',
    ),
    "MA006": (
        'migrations.RenameField(model_name="project", old_name="slug", new_name="handle"),\n'
        'migrations.RenameModel(old_name="ProjectBookmark", new_name="Favorite"),\n'
        'migrations.AlterModelTable(name="team", table="sentry_squad"),',
        'migrations.AlterField(model_name="project", name="slug", field=models.SlugField(db_column="slug", null=True)),\n'
        'migrations.RenameField(model_name="project", old_name="slug", new_name="handle"),\n'
        'migrations.RenameModel(old_name="Team", new_name="Squad"),\n'
        'migrations.SeparateDatabaseAndState(state_operations=[migrations.RenameModel(old_name="ProjectBookmark", new_name="Favorite")]),',
    ),
    "MA007": (
        'migrations.AlterField(model_name="project", name="name", field=models.IntegerField()),',
        'migrations.AlterField(model_name="project", name="name", field=models.CharField(max_length=300)),\n'
        'migrations.AlterField(model_name="project", name="platform", field=models.TextField(null=True)),',
    ),
    "MA008": (
        'migrations.RunSQL("SELECT 1", hints={"tables": ["sentry_project"]}),',
        'SafeRunSQL("SELECT 1", hints={"tables": ["sentry_project"]}),',
    ),
    "MA009": (
        "migrations.RunPython(migrations.RunPython.noop),",
        'migrations.RunPython(migrations.RunPython.noop, hints={"tables": ["sentry_project"]}),',
    ),
    "MA010": (
        'migrations.AddIndex(model_name="project", index=models.Index(fields=["name"], name="project_name_idx")),',
        'migrations.AddIndex(model_name="project", index=models.Index(fields=["name"], name="project_name_idx")),',
    ),
    "MA011": (
        f'migrations.AddIndex(model_name="team", index=models.Index(fields=["name"], name="{"x" * 64}")),',
        'migrations.AddIndex(model_name="team", index=models.Index(fields=["name"], name="team_name_idx")),',
    ),
    "MA012": (
        'migrations.CreateModel(name="Widget", fields=[("id", models.BigAutoField(primary_key=True))]),',
        'migrations.CreateModel(name="Widget", fields=[("id", models.BigAutoField(primary_key=True))]),',
    ),
}


def write(repo, operations: str, app: str = "sentry", post: bool = False, name: str = "0008_change") -> str:
    indented = "\n".join("        " + line for line in operations.splitlines())
    text = HEADER.format(post=post, app=app, parent=PARENTS[app], operations=indented)
    path = f"{FOLDERS[app]}/{name if app == 'sentry' else name.replace('0008', '0003')}.py"
    (repo / path).write_text(text)
    return path


def rules(repo, cli, *args) -> list[str]:
    result = cli(repo, "check", "--format", "json", *args)
    data = json.loads(result.out)
    assert result.code == (1 if data["findings"] else 0)
    return [finding["rule"] for finding in data["findings"]]


def prepare(case: str, repo, safe: bool) -> None:
    if case == "MA010":
        path = repo / "pyproject.toml"
        path.write_text(path.read_text() + 'large-tables = ["sentry_project"]\n')
    if case == "MA012":
        (repo / "src/sentry/models/widget.py").write_text(
            "from sentry.db.models import Model, region_silo_model\n\n\n@region_silo_model\nclass Widget(Model):\n"
            '    class Meta:\n        app_label = "sentry"\n'
        )
        if safe:
            init = repo / "src/sentry/models/__init__.py"
            init.write_text("from sentry.models.widget import Widget  # noqa: F401\n" + init.read_text())


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_unsafe_example_is_found(case, repo, cli):
    unsafe, _, *app = CASES[case]
    prepare(case, repo, safe=False)
    write(repo, unsafe, *app)
    found = rules(repo, cli)
    assert found and set(found) == {case}, found


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_safe_example_is_clean(case, repo, cli):
    _, safe, *app = CASES[case]
    prepare(case, repo, safe=True)
    write(repo, safe, *app, post=case == "MA010")
    assert rules(repo, cli) == []


def test_every_finding_names_its_fix(repo, cli):
    write(repo, CASES["MA001"][0])
    [finding] = json.loads(cli(repo, "check", "--format", "json").out)["findings"]
    assert finding["line"] == 18 and finding["path"] == "src/sentry/migrations/0008_change.py"
    assert "SafeRemoveField" in finding["fix"]
    assert finding["command"] == "migrate-assistant fix-migration src/sentry/migrations/0008_change.py"
