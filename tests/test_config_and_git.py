"""Overrides in [tool.migrate-assistant], detection, git-aware warnings and --verify."""

import git

from migrate_assistant.project import discover

from .conftest import tree_state


def configure(repo, text: str) -> None:
    path = repo / "pyproject.toml"
    path.write_text(path.read_text() + text)


def test_detection_on_the_sample(repo):
    project = discover(repo)
    assert project.sentry_style
    assert {label: app.module for label, app in project.apps.items()} == {
        "hybridcloud": "sentry.hybridcloud",
        "sentry": "sentry",
        "uptime": "sentry.uptime",
    }
    assert project.lockfile == repo / "migrations_lockfile.txt"
    assert project.router == repo / "src/sentry/db/router.py"
    assert project.django_command == ("python", "manage.py")
    assert project.imports["safe-remove-field"] == "sentry.new_migrations.monkey.fields.SafeRemoveField"
    assert project.line_length == 100


def test_import_paths_lockfile_and_line_length_can_be_overridden(repo, cli):
    (repo / "config").mkdir()
    (repo / "migrations_lockfile.txt").rename(repo / "config/locks.txt")
    configure(
        repo,
        'safe-remove-field = "sentry.db.safe.SafeRemoveField"\n'
        'deletion-action = "sentry.db.safe.DeletionAction"\n'
        'checked-migration = "sentry.db.safe.CheckedMigration"\n'
        'lockfile = "config/locks.txt"\nline-length = 79\n',
    )
    result = cli(repo, "remove-field", "sentry.Project.first_event", "--phase", "1", "--dry-run")
    assert result.code == 0, result.err
    assert "+from sentry.db.safe import CheckedMigration, DeletionAction, SafeRemoveField" in result.out
    assert "--- a/config/locks.txt" in result.out
    assert "+        SafeRemoveField(\n" in result.out  # exploded at 79 columns


def test_plain_django_repository_gets_the_plain_recipe_unless_sentry_is_configured(tmp_path, cli):
    app = tmp_path / "shop"
    (app / "migrations").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "migrations/__init__.py").write_text("")
    (app / "models.py").write_text(
        "from django.db import models\n\n\nclass Item(models.Model):\n    name = models.CharField(max_length=10)\n"
    )
    (app / "migrations/0001_initial.py").write_text(
        "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
        "    initial = True\n    dependencies = []\n    operations = [\n        migrations.CreateModel(\n"
        '            name="Item",\n            fields=[\n                ("id", models.BigAutoField(primary_key=True)),\n'
        '                ("name", models.CharField(max_length=10)),\n            ],\n        ),\n    ]\n'
    )
    (tmp_path / "pyproject.toml").write_text('[tool.migrate-assistant]\nconvention = "sentry"\n')
    before = tree_state(tmp_path)
    result = cli(tmp_path, "remove-field", "shop.Item.name", "--phase", "1")
    assert result.code == 1
    assert "this repository has no SafeRemoveField / DeletionAction: set 'safe-remove-field'" in result.err
    assert tree_state(tmp_path) == before
    assert discover(tmp_path).django_command is None

    (tmp_path / "pyproject.toml").unlink()
    assert discover(tmp_path).convention.name == "plain"
    result = cli(tmp_path, "remove-field", "shop.Item.name", "--phase", "1")
    assert result.code == 0, result.err
    text = (app / "migrations/0002_item_name_pending.py").read_text()
    assert "migrations.SeparateDatabaseAndState(" in text and "Safe" not in text


def test_convention_must_be_a_known_one(tmp_path, cli):
    (tmp_path / "shop/migrations").mkdir(parents=True)
    (tmp_path / "shop/migrations/__init__.py").write_text("")
    (tmp_path / "pyproject.toml").write_text('[tool.migrate-assistant]\nconvention = "heroku"\n')
    result = cli(tmp_path, "status")
    assert result.code == 1
    assert "convention must be one of sentry, safemigrate, plain" in result.err


def commit_all(repo, message):
    with git.Repo(repo) as handle:
        handle.git.add(all=True)
        handle.index.commit(message)


def test_phase_two_warns_until_phase_one_is_on_main(repo, cli):
    with git.Repo(repo) as handle:
        handle.git.checkout("-b", "remove-first-event")
    assert cli(repo, "remove-field", "sentry.Project.first_event", "--phase", "1").code == 0
    commit_all(repo, "Phase 1")
    early = cli(repo, "remove-field", "sentry.Project.first_event", "--phase", "2", "--dry-run")
    assert early.code == 0
    assert (
        "phase 1 of sentry.Project.first_event (sentry/0008_project_first_event_pending) is not on the main branch yet"
        in early.err
    )
    with git.Repo(repo) as handle:
        handle.git.checkout("main")
        handle.git.merge("remove-first-event")
    later = cli(repo, "remove-field", "sentry.Project.first_event", "--phase", "2", "--dry-run")
    assert later.code == 0 and "not on the main branch" not in later.err


def test_verify_passes_on_a_clean_tree(repo, cli):
    result = cli(repo, "remove-field", "sentry.Project.first_event", "--phase", "1", "--verify")
    assert result.code == 0, result.err
    assert "verified: Django's check and makemigrations --check agree with the plan" in result.out


def test_verify_failure_undoes_everything(repo, cli):
    team = repo / "src/sentry/models/team.py"
    team.write_text(
        team.read_text().replace(
            "    name = ", "    motto = models.CharField(max_length=20, null=True)\n    name = ", 1
        )
    )
    before = tree_state(repo)
    result = cli(repo, "remove-field", "sentry.Project.first_event", "--phase", "1", "--verify")
    assert result.code == 1
    assert "Django's makemigrations --check disagrees with the plan, so nothing was written" in result.err
    assert "motto" in result.err
    assert tree_state(repo) == before


def test_model_names_are_case_insensitive(repo, cli):
    result = cli(repo, "remove-field", "sentry.project.first_event", "--phase", "1", "--dry-run")
    assert result.code == 0 and "0008_project_first_event_pending" in result.out


def test_router_path_can_be_configured(repo, cli):
    (repo / "src/sentry/db/router.py").rename(repo / "src/sentry/db/silo_router.py")
    configure(repo, 'router = "src/sentry/db/silo_router.py"\n')
    assert discover(repo).router == repo / "src/sentry/db/silo_router.py"
    result = cli(repo, "remove-model", "uptime.UptimeRegion", "--phase", "1", "--dry-run")
    assert result.code == 0 and "+++ b/src/sentry/db/silo_router.py" in result.out
