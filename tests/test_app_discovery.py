"""App discovery agrees with Django's MigrationLoader: utility packages named ``migrations``, namespace
packages, symlinked app and migrations directories (inside the repository only, never looping)."""

from __future__ import annotations

import json
import os
import shutil

from migrate_assistant.project import discover

from .conftest import django

UPTIME = "src/sentry/uptime"


def test_a_utility_package_named_migrations_is_not_an_app(repo, cli):
    helpers = repo / "src/sentry/utils/migrations"
    helpers.mkdir(parents=True)
    (helpers / "__init__.py").write_text("")
    (helpers / "0001_helpers.py").write_text("def rename_columns(apps, schema_editor):\n    pass\n")
    (helpers / "tools.py").write_text("CHUNK = 100\n")
    (helpers / "writer.py").write_text('TEMPLATE = """\nclass Migration(migrations.Migration):\n    pass\n"""\n')
    project = discover(repo)
    assert "utils" not in project.apps
    assert set(project.apps) == {"sentry", "uptime", "hybridcloud"}
    assert "several leaves" not in cli(repo, "status").out


def test_an_app_with_an_empty_migrations_package_is_an_app(repo):
    folder = repo / "src/sentry/newapp/migrations"
    folder.mkdir(parents=True)
    (folder.parent / "__init__.py").write_text("")
    (folder / "__init__.py").write_text("")
    project = discover(repo)
    assert project.index.graph.leaves("newapp") == []


def test_migrations_without_init_are_unmigrated_as_django_says(repo, cli):
    (repo / UPTIME / "migrations/__init__.py").unlink()
    shown = django(repo, "showmigrations", "uptime")
    assert shown.returncode == 0 and "(no migrations)" in shown.stdout, shown.stdout + shown.stderr
    project = discover(repo)
    assert "uptime" not in project.apps
    result = cli(repo, "status")
    assert result.code == 0
    assert f"note: {UPTIME}/migrations has no __init__.py: Django loads it as a namespace package" in result.err
    data = json.loads(cli(repo, "status", "--format", "json").out)
    assert any("treats the app as unmigrated" in note for note in data["notes"])


def test_a_symlinked_migrations_directory_is_discovered(repo, cli):
    shared = repo / "src/shared"
    shared.mkdir()
    shutil.move(repo / UPTIME / "migrations", shared / "uptime_migrations")
    os.symlink("../../shared/uptime_migrations", repo / UPTIME / "migrations")
    project = discover(repo)
    assert project.apps["uptime"].migrations_dir == repo / UPTIME / "migrations"
    assert project.index.graph.leaves("uptime") == ["0002_uptimeregion"]
    shown = django(repo, "showmigrations", "uptime")
    assert "0002_uptimeregion" in shown.stdout, shown.stdout + shown.stderr
    result = cli(repo, "rename-model", "sentry.Team", "Squad", "--dry-run")
    assert result.code == 0, result.err
    assert "uptime/migrations/0003_" in result.out, "uptime's relation to Team is retargeted too"


def test_a_symlinked_app_directory_is_discovered(repo):
    vendor = repo / ".vendor"
    vendor.mkdir()
    shutil.move(repo / UPTIME, vendor / "uptime")
    os.symlink("../../.vendor/uptime", repo / UPTIME)
    project = discover(repo)
    assert project.apps["uptime"].path == repo / UPTIME and project.apps["uptime"].module == "sentry.uptime"
    assert project.index.graph.leaves("uptime") == ["0002_uptimeregion"]
    assert project.index.model_source("uptime", "UptimeSubscription") is not None


def test_symlink_cycles_and_links_out_of_the_repository(repo, tmp_path):
    outside = tmp_path / "outside/app"
    shutil.copytree(repo / UPTIME, outside)
    os.symlink("..", repo / "src/sentry/loop")
    os.symlink(repo / "src", repo / "src/sentry/uptime/again")
    (outside / "apps.py").write_text(
        "from django.apps import AppConfig\n\n\nclass Config(AppConfig):\n    name = 'outside'\n"
    )
    os.symlink(outside, repo / "src/outside")
    project = discover(repo)
    assert set(project.apps) == {"sentry", "uptime", "hybridcloud"}
    assert project.problems == []
    assert len(project.python_files) == len(set(path.resolve() for path in project.python_files))
