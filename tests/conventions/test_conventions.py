"""The convention of a repository: detection, status, markers, check rules and fix-migration per convention."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from migrate_assistant.conventions import safemigrate
from migrate_assistant.project import discover

from ..conftest import assert_no_model_changes
from ..lockfile.histories import commit
from .test_removal_end_to_end import SENTRY_WORDS

MIGRATIONS = "shop/migrations"


def write(repo, name: str, body: str, marker: str = "") -> str:
    path = f"{MIGRATIONS}/{name}.py"
    (repo / path).write_text(
        "from django.db import migrations, models\n"
        + ("from django_safemigrate import Safe\n" if marker else "")
        + "\n\nclass Migration(migrations.Migration):\n"
        + (f"    safe = {marker}\n" if marker else "")
        + body
    )
    return path


def test_detection_and_override(repo, plain_repo, safemigrate_repo, cli):
    assert discover(repo).convention.name == "sentry"
    assert discover(plain_repo).convention.name == "plain"
    assert discover(safemigrate_repo).convention.name == "safemigrate"
    assert "(plain Django)" in cli(plain_repo, "status").out.splitlines()[0]
    assert "(django-safemigrate)" in cli(safemigrate_repo, "status").out.splitlines()[0]
    (plain_repo / "pyproject.toml").write_text('[tool.migrate-assistant]\nconvention = "safemigrate"\n')
    assert json.loads(cli(plain_repo, "status", "--format", "json").out)["convention"] == "safemigrate"


def _fake_safemigrate(tmp_path, monkeypatch, source: str) -> None:
    package = tmp_path / "fake" / "django_safemigrate"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path / "fake"))
    for name in [n for n in sys.modules if n.startswith("django_safemigrate")]:
        monkeypatch.delitem(sys.modules, name)
    safemigrate.installed_style.cache_clear()


ENUM_SAFE = 'from enum import Enum\n\n\nclass Safe(Enum):\n    always = "always"\n    before_deploy = "before_deploy"\n'
CLASS_SAFE = "class Safe:\n    @classmethod\n    def before_deploy(cls):\n        return cls()\n"


@pytest.mark.parametrize(
    ("source", "marker"), [(ENUM_SAFE, "Safe.before_deploy\n"), (CLASS_SAFE, "Safe.before_deploy()\n")]
)
def test_marker_follows_the_installed_release(safemigrate_repo, cli, tmp_path, monkeypatch, source, marker):
    _fake_safemigrate(tmp_path, monkeypatch, source)
    try:
        result = cli(safemigrate_repo, "add-field", "shop.Project.score", "models.IntegerField(db_default=0)")
        assert result.code == 0, result.err
        assert f"    safe = {marker}" in (safemigrate_repo / MIGRATIONS / "0002_project_score.py").read_text()
    finally:
        safemigrate.installed_style.cache_clear()


def test_marker_style_unknown_is_refused(safemigrate_repo, cli, monkeypatch):
    monkeypatch.setattr(safemigrate, "installed_style", lambda: None)
    initial = safemigrate_repo / MIGRATIONS / "0001_initial.py"
    initial.write_text(initial.read_text().replace("    safe = Safe.before_deploy()\n", ""))
    result = cli(safemigrate_repo, "add-field", "shop.Project.score", "models.IntegerField(db_default=0)")
    assert result.code == 1
    assert "cannot tell how this project's django-safemigrate writes markers" in result.err
    assert not (safemigrate_repo / MIGRATIONS / "0002_project_score.py").exists()


def test_hand_written_state_only_removal_is_a_pending_deletion(plain_repo, cli):
    write(
        plain_repo,
        "0002_remove_project_platform",
        '    dependencies = [("shop", "0001_initial")]\n\n    operations = [\n'
        "        migrations.SeparateDatabaseAndState(\n"
        "            database_operations=[],\n"
        '            state_operations=[migrations.RemoveField(model_name="project", name="platform")],\n'
        "        ),\n    ]\n",
    )
    models = plain_repo / "shop/models.py"
    models.write_text(models.read_text().replace("    platform = models.CharField(max_length=64, null=True)\n", ""))
    (plain_repo / MIGRATIONS / "max_migration.txt").write_text("0002_remove_project_platform\n")
    commit(plain_repo, "saleor-style state-only removal")
    status = json.loads(cli(plain_repo, "status", "--format", "json").out)
    [pending] = status["pending_deletions"]
    assert pending["target"] == "shop.Project.platform" and pending["column"] == "platform"

    refused = cli(plain_repo, "remove-field", "shop.Project.flags", "--phase", "2")
    assert refused.code == 1 and "is not pending deletion: run phase 1 first" in refused.err
    result = cli(plain_repo, "remove-field", "shop.Project.platform", "--phase", "2")
    assert result.code == 0, result.err
    assert_no_model_changes(plain_repo)
    assert json.loads(cli(plain_repo, "status", "--format", "json").out)["pending_deletions"] == []


def test_state_removal_beside_sql_is_not_taken_for_pending(plain_repo, cli):
    """SQL next to the state-only removal may have dropped the column: it is not reported as left behind."""
    write(
        plain_repo,
        "0002_drop_platform",
        '    dependencies = [("shop", "0001_initial")]\n\n    operations = [\n'
        "        migrations.SeparateDatabaseAndState(\n"
        '            database_operations=[migrations.RunSQL("ALTER TABLE shop_project DROP COLUMN platform")],\n'
        '            state_operations=[migrations.RemoveField(model_name="project", name="platform")],\n'
        "        ),\n    ]\n",
    )
    assert json.loads(cli(plain_repo, "status", "--format", "json").out)["pending_deletions"] == []


def test_a_model_moved_to_another_app_is_no_pending_deletion(plain_repo, cli):
    """django-oscar moved its customer app's models to communication: state only on both sides, the new app
    naming the old table. Nothing is left behind, and phase 2 would have dropped a table in use."""
    settings = plain_repo / "config/settings.py"
    settings.write_text(settings.read_text().replace('    "shop",\n', '    "shop",\n    "catalog",\n'))
    (plain_repo / "catalog/migrations").mkdir(parents=True)
    for name in ("catalog/__init__.py", "catalog/migrations/__init__.py"):
        (plain_repo / name).write_text("")
    (plain_repo / "catalog/models.py").write_text(
        "from django.db import models\n\n\nclass Bookmark(models.Model):\n"
        "    note = models.CharField(max_length=100, blank=True)\n\n"
        '    class Meta:\n        db_table = "shop_bookmark"\n'
    )
    (plain_repo / "catalog/migrations/0001_initial.py").write_text(
        "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
        '    initial = True\n    dependencies = [("shop", "0001_initial")]\n\n    operations = [\n'
        "        migrations.SeparateDatabaseAndState(state_operations=[\n"
        '            migrations.CreateModel(name="Bookmark", fields=[\n'
        '                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),\n'
        '                ("note", models.CharField(blank=True, max_length=100)),\n'
        '            ], options={"db_table": "shop_bookmark"}),\n'
        "        ]),\n    ]\n"
    )
    write(
        plain_repo,
        "0002_move_bookmark",
        '    dependencies = [("shop", "0001_initial"), ("catalog", "0001_initial")]\n\n    operations = [\n'
        '        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Bookmark")]),\n'
        "    ]\n",
    )
    models = plain_repo / "shop/models.py"
    models.write_text(models.read_text().split("\n\nclass Bookmark(")[0] + "\n")
    (plain_repo / MIGRATIONS / "max_migration.txt").write_text("0002_move_bookmark\n")
    commit(plain_repo, "move Bookmark to the catalog app")
    status = json.loads(cli(plain_repo, "status", "--format", "json").out)
    assert status["pending_deletions"] == []
    state = json.loads(cli(plain_repo, "state", "shop", "--format", "json").out)
    assert state["apps"]["shop"]["pending_deletions"] == [], "state agrees with status"
    refused = cli(plain_repo, "remove-model", "shop.Bookmark", "--phase", "2")
    assert refused.code == 1 and "shop.Bookmark is not a model pending deletion" in refused.err, refused.err


def test_plain_check_rules_and_wording(plain_repo, cli):
    path = write(
        plain_repo,
        "0002_change",
        '    dependencies = [("shop", "0001_initial")]\n\n    operations = [\n'
        '        migrations.RemoveField(model_name="project", name="platform"),\n'
        '        migrations.RunSQL("SELECT 1", migrations.RunSQL.noop),\n    ]\n',
    )
    data = json.loads(cli(plain_repo, "check", path, "--format", "json").out)
    assert [finding["rule"] for finding in data["findings"]] == ["MA001"]
    assert not {"MA003", "MA004", "MA008", "MA009", "MA022"} & set(data["rules"])
    finding = data["findings"][0]
    assert "Sentry" not in json.dumps(finding) and "Safe" not in json.dumps(finding)
    assert "SeparateDatabaseAndState(state_operations=[...])" in finding["fix"]
    assert finding["command"] == f"migrate-assistant fix-migration {path}"

    fixed = cli(plain_repo, "fix-migration", path)
    assert fixed.code == 0, fixed.err
    text = (plain_repo / path).read_text()
    assert "state_operations=[" in text and "Safe" not in text
    assert "sentry" not in (fixed.out + fixed.err).lower()
    assert cli(plain_repo, "check", path).code == 0


def test_safemigrate_check_rules(safemigrate_repo, cli):
    repo = safemigrate_repo
    unmarked = write(repo, "0002_unmarked", '    dependencies = [("shop", "0001_initial")]\n    operations = []\n')
    after = write(
        repo,
        "0003_drop",
        '    dependencies = [("shop", "0002_unmarked")]\n    operations = [\n'
        '        migrations.RemoveField(model_name="project", name="platform"),\n    ]\n',
        "Safe.before_deploy()",
    )
    data = json.loads(cli(repo, "check", unmarked, after, "--format", "json").out)
    rules = {finding["rule"]: finding for finding in data["findings"]}
    assert set(rules) == {"MA001", "MA022", "MA024"}
    assert rules["MA024"]["line"] == 9 and "Safe.before_deploy migration" in rules["MA024"]["message"]
    assert rules["MA001"]["command"] is None and "Safe.after_deploy" in rules["MA001"]["fix"]
    assert "Sentry" not in json.dumps(data)

    (repo / after).write_text((repo / after).read_text().replace("before_deploy", "after_deploy"))
    blocked = write(
        repo, "0004_add", '    dependencies = [("shop", "0003_drop")]\n    operations = []\n', "Safe.before_deploy()"
    )
    data = json.loads(cli(repo, "check", after, blocked, "--format", "json").out)
    assert [finding["rule"] for finding in data["findings"]] == ["MA001", "MA023"]
    commit(repo, "shipped")  # on main: migrate has run 0003 after its deploy
    data = json.loads(cli(repo, "check", blocked, "--format", "json").out)
    assert data["findings"] == []


def test_safemigrate_fix_migration_is_refused(safemigrate_repo, cli):
    path = write(
        safemigrate_repo,
        "0002_change",
        '    dependencies = [("shop", "0001_initial")]\n    operations = [\n'
        '        migrations.RemoveField(model_name="project", name="platform"),\n    ]\n',
        "Safe.after_deploy()",
    )
    result = cli(safemigrate_repo, "fix-migration", path)
    assert result.code == 1
    assert "under django-safemigrate a removal is one PR" in result.err


def test_demo_builds_each_convention(tmp_path, cli):
    for convention in ("plain", "safemigrate"):
        target = tmp_path / convention
        result = cli(tmp_path, "demo", str(target), "--convention", convention, "--no-tui")
        assert result.code == 0, result.err
        assert discover(target).convention.name == convention
        assert (target / "sample.sqlite3").is_file()
    assert "django_safemigrate" in (tmp_path / "safemigrate/config/settings.py").read_text()
    assert "django-safemigrate" in (tmp_path / "safemigrate/requirements.txt").read_text()
    assert not (tmp_path / "plain/sentry").exists() and (tmp_path / "plain/manage.py").is_file()


def test_django_contrib_as_a_plain_repository(tmp_path, cli):
    """Django's own contrib apps (real migrations shipped on PyPI): removals plan with no Sentry text."""
    import shutil

    import django
    import git

    repo = tmp_path / "contrib"
    shutil.copytree(Path(django.__file__).parent / "contrib", repo / "contrib")
    (repo / "settings.py").write_text('AUTH_USER_MODEL = "auth.User"\n')
    (repo / "pyproject.toml").write_text('[tool.migrate-assistant]\nsettings = "settings"\n')
    with git.Repo.init(repo) as handle:
        handle.git.add(all=True)
        handle.git.execute(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "contrib"])
    assert discover(repo).convention.name == "plain"
    for command, target in [
        ("remove-field", "sites.Site.name"),
        ("remove-field", "flatpages.FlatPage.template_name"),
        ("remove-model", "redirects.Redirect"),
        ("remove", "redirects.Redirect"),
    ]:
        result = cli(repo, command, target, "--phase", "1", "--dry-run")
        assert result.code == 0, result.err
        assert "SeparateDatabaseAndState(" in result.out
        assert not SENTRY_WORDS.search(result.out + result.err), result.out
    check = cli(repo, "check", *sorted(str(p) for p in repo.glob("contrib/*/migrations/0*.py")))
    assert "MA001" in check.out and not SENTRY_WORDS.search(check.out + check.err)


def test_command_help_names_sentry_terms_only_as_sentry_s():
    """The help is read on every convention: "post-deployment" and "move to pending" are Sentry's words."""
    from migrate_assistant.cli import build_parser

    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    texts = [parser.format_help()] + [command.format_help() for command in commands.values()]
    for text in texts:
        flat = " ".join(text.split())
        assert not re.search(r"post-deployment|move to pending|the way Sentry", flat, re.I), flat
    listing = " ".join(parser.format_help().split())
    assert "add a Meta index (run after the deploy on a large table; Sentry: is_post_deployment)" in listing
    assert "a RunPython migration run after the deploy, and its test" in listing


def test_a_data_migration_test_names_an_app_called_sentry_outside_sentry(plain_repo, cli):
    """Only Sentry's TestMigrations means the sentry app when it names none; the convention says so."""
    (plain_repo / "pyproject.toml").write_text(
        '[tool.migrate-assistant]\nconvention = "plain"\ntest-migrations = "shop.testing.TestMigrations"\n'
    )
    (plain_repo / "sentry/migrations").mkdir(parents=True)
    (plain_repo / "sentry/__init__.py").write_text("")
    (plain_repo / "sentry/migrations/__init__.py").write_text("")
    (plain_repo / "sentry/migrations/0001_initial.py").write_text(
        "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
        "    initial = True\n    dependencies = []\n    operations = [\n"
        '        migrations.CreateModel(name="Event", fields=[("id", models.AutoField(primary_key=True))]),\n'
        "    ]\n"
    )
    result = cli(plain_repo, "data-migration", "sentry", "backfill_events", "--dry-run")
    assert result.code == 0, result.err
    assert '+class BackfillEventsTest(TestMigrations):\n+    app = "sentry"\n' in result.out, result.out


def test_removing_a_model_names_another_apps_unreadable_migration_and_what_to_do(plain_repo, cli):
    """Another app's custom operation could point at the model: refused, naming file:line and the way on."""
    (plain_repo / "other/migrations").mkdir(parents=True)
    (plain_repo / "other/__init__.py").write_text("")
    (plain_repo / "other/migrations/__init__.py").write_text("")
    (plain_repo / "other/migrations/0001_initial.py").write_text(
        "from django.db import migrations, models\n\nfrom other.operations import UniqueSettings\n\n\n"
        "class Migration(migrations.Migration):\n    initial = True\n    dependencies = []\n\n"
        "    operations = [\n"
        '        migrations.CreateModel(name="Setting", fields=[("id", models.AutoField(primary_key=True))]),\n'
        "        UniqueSettings(),\n    ]\n"
    )
    result = cli(plain_repo, "remove-model", "shop.Bookmark", "--phase", "1")
    assert result.code == 1
    message = " ".join(result.err.split())
    assert "relations to shop.Bookmark cannot all be found statically" in message
    assert "other/migrations/0001_initial.py:12: operation UniqueSettings" in message
    assert "To go on, make it readable" in message and "set python-path" in message
    assert "or make this change by hand" in message
    assert not (plain_repo / "shop/migrations/0002_bookmark_pending.py").exists()
