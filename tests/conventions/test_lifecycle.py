"""The lifecycle of pending deletions on plain Django and django-safemigrate repositories: real git histories,
deployed refs and tags, and real ``django_migrations`` tables (SQLite, migrated by Django)."""

from __future__ import annotations

import json
from dataclasses import replace

from migrate_assistant.lifecycle import lifecycles
from migrate_assistant.project import discover

from ..conftest import django, migrate
from ..databases import Database
from ..test_lifecycle import git, lifecycle
from .test_removal_end_to_end import SENTRY_WORDS

FIELD = "shop.Project.flags"
MODEL = "shop.Bookmark"
PENDING = "shop/0002_project_flags_pending"
DROP = "shop/0003_project_flags_drop"


def _database(tmp_path) -> Database:
    return Database(f"sqlite:///{tmp_path / 'production.sqlite3'}")


def _finished(repo, url: str, target: str):
    project = discover(repo)
    project.config = replace(project.config, database_url=url)
    [item] = [item for item in lifecycles(project, include_finished=True).items if item.target == target]
    return item


def test_plain_every_stage_from_a_real_database(plain_repo, cli, tmp_path):
    database = _database(tmp_path)
    url = ["--database-url", database.url]
    migrate(plain_repo, database)
    assert cli(plain_repo, "remove-field", FIELD, "--phase", "1").code == 0
    _, items = lifecycle(cli, plain_repo, *url)
    assert items[FIELD]["stage"] == "phase-1-written" and items[FIELD]["kind"] == "field"
    assert items[FIELD]["phase_1"]["migration"] == PENDING and items[FIELD]["phase_1"]["merged"] is False
    assert items[FIELD]["table"] == "shop_project" and items[FIELD]["column"] == "flags"
    assert items[FIELD]["command"] == f"migrate-assistant remove-field {FIELD} --phase 2"

    git(plain_repo, "add", "-A")
    git(plain_repo, "commit", "-q", "-m", "phase 1")
    _, items = lifecycle(cli, plain_repo, *url)
    assert items[FIELD]["stage"] == "phase-1-merged" and items[FIELD]["phase_1"]["merged_at"]
    assert items[FIELD]["phase_1"]["deployed"] is False

    migrate(plain_repo, database)
    deployment, items = lifecycle(cli, plain_repo, *url)
    assert deployment["source"] == "database"
    assert items[FIELD]["stage"] == "phase-1-deployed" and items[FIELD]["waiting_days"] == 0
    assert items[FIELD]["phase_1"]["deployed_at"][:4] >= "2026"
    text = cli(plain_repo, "status", *url).out
    assert f"phase 1 {PENDING} (state-only removal): written, merged " in text
    assert "      phase 2 not written" in text
    assert not SENTRY_WORDS.search(text.split("Lifecycle")[1]), text

    assert cli(plain_repo, "remove-field", FIELD, "--phase", "2", *url).code == 0
    _, items = lifecycle(cli, plain_repo, *url)
    assert items[FIELD]["stage"] == "phase-2-written" and items[FIELD]["command"] is None
    assert items[FIELD]["phase_2"]["migration"] == DROP and items[FIELD]["phase_2"]["merged"] is False
    assert f"phase 2 {DROP} (RemoveField): written, not merged, not deployed" in cli(plain_repo, "status", *url).out
    git(plain_repo, "add", "-A")
    git(plain_repo, "commit", "-q", "-m", "phase 2")
    _, items = lifecycle(cli, plain_repo, *url)
    assert items[FIELD]["stage"] == "phase-2-merged" and items[FIELD]["phase_2"]["deployed"] is False

    migrate(plain_repo, database)
    _, items = lifecycle(cli, plain_repo, *url)
    assert FIELD not in items, "a deletion whose phase 2 has deployed is finished"
    done = _finished(plain_repo, database.url, FIELD)
    assert done.stage == "phase-2-deployed" and done.phase_2.deployed_at is not None and done.waiting_days is None


def test_plain_deploy_tags_date_phase_1_and_nag_about_the_forgotten_phase_2(plain_repo, cli, monkeypatch):
    git(plain_repo, "tag", "-a", "-m", "deploy", "deploy-0001", date="2026-03-01T12:00:00+00:00")
    assert cli(plain_repo, "remove-field", FIELD, "--phase", "1").code == 0
    assert cli(plain_repo, "remove-model", MODEL, "--phase", "1").code == 0
    git(plain_repo, "add", "-A")
    git(plain_repo, "commit", "-q", "-m", "phase 1", date="2026-03-02T12:00:00+00:00")
    git(plain_repo, "tag", "-a", "-m", "deploy", "deploy-0002", date="2026-03-03T12:00:00+00:00")
    args = ("--deployed-ref", "deploy-*")

    monkeypatch.setenv("MIGRATE_ASSISTANT_NOW", "2026-03-10T12:00:00")
    deployment, items = lifecycle(cli, plain_repo, *args)
    assert deployment["source"] == "git-ref" and "deploy-0002 (newest of deploy-*)" in deployment["description"]
    assert items[FIELD]["stage"] == "phase-1-deployed" and items[MODEL]["kind"] == "model"
    assert items[FIELD]["phase_1"]["deployed_at"] == "2026-03-03T12:00:00+00:00"
    assert items[FIELD]["waiting_days"] == 7 and items[FIELD]["forgotten"] is False
    assert cli(plain_repo, "check", "--forgotten", *args).code == 0

    monkeypatch.setenv("MIGRATE_ASSISTANT_NOW", "2026-03-20T12:00:00")
    _, items = lifecycle(cli, plain_repo, *args)
    assert items[FIELD]["waiting_days"] == 17 and items[FIELD]["forgotten"] is True and items[MODEL]["forgotten"]
    text = cli(plain_repo, "status", *args).out
    assert "Forgotten phase 2 (phase 1 deployed more than 14 days ago):" in text
    assert f"run: migrate-assistant remove-field {FIELD} --phase 2" in text
    assert f"run: migrate-assistant remove-model {MODEL} --phase 2" in text
    nag = cli(plain_repo, "check", "--forgotten", *args)
    assert nag.code == 1
    line = next(
        n
        for n, text in enumerate((plain_repo / "shop/migrations/0002_project_flags_pending.py").open(), 1)
        if 'RemoveField(model_name="project", name="flags")' in text
    )
    assert f"shop/migrations/0002_project_flags_pending.py:{line}: MA021 phase 2 of {FIELD} not written" in nag.out
    assert f"phase 1 ({PENDING}, a state-only removal) deployed 17 days ago" in nag.out
    assert f"run: migrate-assistant remove-field {FIELD} --phase 2" in nag.out
    assert f"run: migrate-assistant remove-model {MODEL} --phase 2" in nag.out
    assert not SENTRY_WORDS.search(nag.out), nag.out
    report = json.loads(cli(plain_repo, "check", "--forgotten", "--format", "json", *args).out)
    commands = {finding["rule"]: [] for finding in report["findings"]}
    for finding in report["findings"]:
        commands[finding["rule"]].append(finding["command"])
    assert sorted(commands["MA021"]) == [
        f"migrate-assistant remove-field {FIELD} --phase 2",
        f"migrate-assistant remove-model {MODEL} --phase 2",
    ]


def test_plain_hand_written_restore_and_drop_end_the_lifecycle(plain_repo, cli, tmp_path):
    """A hand-written phase 2: the state given the field back in one migration, a plain RemoveField in the next;
    a state given back without a drop undoes the deletion."""
    database = _database(tmp_path)
    folder = plain_repo / "shop/migrations"
    assert cli(plain_repo, "remove-field", FIELD, "--phase", "1").code == 0
    assert cli(plain_repo, "remove-field", "shop.Project.platform", "--phase", "1").code == 0
    header = "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
    (folder / "0004_restore.py").write_text(
        header + '    dependencies = [("shop", "0003_project_platform_pending")]\n    operations = [\n'
        "        migrations.SeparateDatabaseAndState(state_operations=[\n"
        '            migrations.AddField("project", "flags", models.BigIntegerField(default=0, null=True)),\n'
        '            migrations.AddField("project", "platform", models.CharField(max_length=64, null=True)),\n'
        "        ]),\n    ]\n"
    )
    (folder / "0005_drop_flags.py").write_text(
        header + '    dependencies = [("shop", "0004_restore")]\n'
        '    operations = [migrations.RemoveField(model_name="project", name="flags")]\n'
    )
    (folder / "max_migration.txt").write_text("0005_drop_flags\n")
    migrated = django(plain_repo, "migrate", "--no-input", database=database)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert "flags" not in database.columns("shop_project") and "platform" in database.columns("shop_project")
    git(plain_repo, "add", "-A")
    git(plain_repo, "commit", "-q", "-m", "hand-written")

    _, items = lifecycle(cli, plain_repo, "--database-url", database.url)
    assert "shop.Project.platform" not in items, "given back to the state without a drop: no longer pending"
    assert FIELD not in items
    done = _finished(plain_repo, database.url, FIELD)
    assert done.phase_1.migration == PENDING and done.phase_2.migration == "shop/0005_drop_flags"
    assert done.stage == "phase-2-deployed" and done.phase_2.mark == "RemoveField"


def test_safemigrate_both_migrations_of_one_pr_from_a_real_database(safemigrate_repo, cli, tmp_path):
    """Phase 2 is the Safe.after_deploy migration: deployed once migrate (not safemigrate) has applied it."""
    repo, database = safemigrate_repo, _database(tmp_path)
    url = ["--database-url", database.url]
    migrate(repo, database)
    assert cli(repo, "remove-field", FIELD, "--phase", "1").code == 0
    _, items = lifecycle(cli, repo, *url)
    assert items[FIELD]["stage"] == "phase-2-written" and items[FIELD]["command"] is None
    assert items[FIELD]["phase_1"]["migration"] == PENDING and items[FIELD]["phase_2"]["migration"] == DROP
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "remove flags")
    _, items = lifecycle(cli, repo, *url)
    assert items[FIELD]["stage"] == "phase-2-merged"
    assert items[FIELD]["phase_1"]["deployed"] is False and items[FIELD]["phase_2"]["deployed"] is False

    before = django(repo, "safemigrate", "--no-input", database=database)
    assert before.returncode == 0, before.stdout + before.stderr
    _, items = lifecycle(cli, repo, *url)
    assert items[FIELD]["phase_1"]["deployed"] is True and items[FIELD]["phase_2"]["deployed"] is False
    assert items[FIELD]["stage"] == "phase-2-merged" and items[FIELD]["waiting_days"] == 0
    text = cli(repo, "status", *url).out
    assert f"phase 1 {PENDING} (state-only removal, Safe.before_deploy): written, merged " in text
    assert f"phase 2 {DROP} (RemoveField, Safe.after_deploy): written, merged " in text
    assert text.rstrip().endswith("not deployed") and not SENTRY_WORDS.search(text.split("Lifecycle")[1])

    migrate(repo, database)
    _, items = lifecycle(cli, repo, *url)
    assert FIELD not in items
    done = _finished(repo, database.url, FIELD)
    assert done.stage == "phase-2-deployed" and done.phase_2.deployed_at is not None and done.waiting_days is None


def test_safemigrate_deployed_ref_cannot_tell_whether_migrate_ran_the_drop(safemigrate_repo, cli):
    repo = safemigrate_repo
    git(repo, "branch", "production")
    assert cli(repo, "remove-field", FIELD, "--phase", "1").code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "remove flags")
    _, items = lifecycle(cli, repo, "--deployed-ref", "production")
    assert items[FIELD]["phase_1"]["deployed"] is False and items[FIELD]["phase_2"]["deployed"] is False

    git(repo, "branch", "-f", "production", "main")
    _, items = lifecycle(cli, repo, "--deployed-ref", "production")
    assert FIELD not in items, "listed until what the ref can tell: the drop's code is deployed"
    project = discover(repo)
    project.config = replace(project.config, deployed_ref="production")
    [item] = [item for item in lifecycles(project, include_finished=True).items if item.target == FIELD]
    assert item.phase_1.deployed is True and item.phase_1.deployed_at is not None
    assert item.phase_2.deployed is None and item.phase_2.deployed_at is None and item.stage == "phase-2-merged"
    assert "whether migrate has run this Safe.after_deploy migration only database-url can tell" in item.phase_2.unknown


def test_safemigrate_state_only_removal_without_its_drop_is_a_forgotten_phase_2(safemigrate_repo, cli, monkeypatch):
    repo = safemigrate_repo
    assert cli(repo, "remove-field", FIELD, "--phase", "1").code == 0
    (repo / "shop/migrations/0003_project_flags_drop.py").unlink()
    (repo / "shop/migrations/max_migration.txt").write_text("0002_project_flags_pending\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "state-only removal", date="2026-03-01T12:00:00+00:00")
    git(repo, "tag", "-a", "-m", "deploy", "deploy-0001", date="2026-03-02T12:00:00+00:00")
    args = ("--deployed-ref", "deploy-*")
    monkeypatch.setenv("MIGRATE_ASSISTANT_NOW", "2026-03-30T12:00:00")
    _, items = lifecycle(cli, repo, *args)
    assert items[FIELD]["stage"] == "phase-1-deployed" and items[FIELD]["phase_2"] is None
    assert items[FIELD]["waiting_days"] == 28 and items[FIELD]["forgotten"] is True
    assert f"run: migrate-assistant remove-field {FIELD} --phase 2" in cli(repo, "status", *args).out
    nag = cli(repo, "check", "--forgotten", *args)
    assert nag.code == 1 and f"MA021 phase 2 of {FIELD} not written" in nag.out
    assert f"({PENDING}, a state-only removal, Safe.before_deploy)" in nag.out
    assert "Write phase 2 (a Safe.after_deploy migration that drops it) now" in nag.out
    assert f"run: migrate-assistant remove-field {FIELD} --phase 2" in nag.out
    assert not SENTRY_WORDS.search(nag.out), nag.out
