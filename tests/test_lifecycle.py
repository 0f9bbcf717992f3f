"""The lifecycle of pending deletions against real git histories and real django_migrations tables."""

import json
import os
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from migrate_assistant.deployments import connect_read_only
from migrate_assistant.lifecycle import lifecycles
from migrate_assistant.project import discover

from .conftest import django, migrate, tree_state

PHASE_1 = "sentry/0007_organization_default_role_pending"
TARGET = "sentry.Organization.default_role"


def git(repo, *args, date=None):
    env = {**os.environ}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def lifecycle(cli, repo, *args):
    result = cli(repo, "status", "--format", "json", *args)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    return data["deployment"], {item["target"]: item for item in data["lifecycle"]}


def test_without_a_source_deployed_is_unknown(repo, cli):
    deployment, items = lifecycle(cli, repo)
    assert deployment["source"] is None and deployment["main_branch"] == "main"
    item = items[TARGET]
    assert item["stage"] == "phase-1-merged"
    assert item["phase_1"]["migration"] == PHASE_1
    assert item["phase_1"]["merged"] is True and item["phase_1"]["merged_at"]
    assert item["phase_1"]["deployed"] is None and item["waiting_days"] is None
    assert item["phase_2"] is None and item["forgotten"] is False
    text = cli(repo, "status").out
    assert "deployed: unknown (no deployment source)" in text


def test_every_stage_from_a_real_database(repo, cli, database):
    url = ["--database-url", database.url]
    migrated = django(repo, "migrate", "sentry", "0006", "--no-input", database=database)
    assert migrated.returncode == 0, migrated.stderr
    git(repo, "checkout", "-q", "-b", "cleanup")
    assert cli(repo, "remove-field", "sentry.Project.template_version", "--phase", "1").code == 0
    _, items = lifecycle(cli, repo, *url)
    assert items["sentry.Project.template_version"]["stage"] == "phase-1-written"
    assert items["sentry.Project.template_version"]["phase_1"]["merged"] is False
    assert items[TARGET]["stage"] == "phase-1-merged"
    assert items[TARGET]["phase_1"]["deployed"] is False

    migrate(repo, database)
    deployment, items = lifecycle(cli, repo, *url)
    assert deployment["source"] == "database"
    assert items[TARGET]["stage"] == "phase-1-deployed"
    assert items[TARGET]["phase_1"]["deployed_at"][:4] >= "2026"
    assert items[TARGET]["waiting_days"] == 0

    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "phase 1 of template_version")
    git(repo, "checkout", "-q", "main")
    assert cli(repo, "remove-field", TARGET, "--phase", "2", *url).code == 0
    _, items = lifecycle(cli, repo, *url)
    second = items[TARGET]["phase_2"]
    assert items[TARGET]["stage"] == "phase-2-written" and items[TARGET]["command"] is None
    assert second["migration"] == "sentry/0008_organization_default_role_drop" and second["merged"] is False
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "phase 2")
    _, items = lifecycle(cli, repo, *url)
    assert items[TARGET]["stage"] == "phase-2-merged" and items[TARGET]["phase_2"]["deployed"] is False

    migrate(repo, database)
    _, items = lifecycle(cli, repo, *url)
    assert TARGET not in items, "a deletion whose phase 2 has deployed is finished"
    project = discover(repo)
    project.config = replace(project.config, database_url=database.url)
    [done] = [item for item in lifecycles(project, include_finished=True).items if item.target == TARGET]
    assert done.stage == "phase-2-deployed" and done.phase_2.deployed_at is not None and done.waiting_days is None


def test_phase_2_refused_until_phase_1_deployed_and_forced_with_a_reason(repo, cli, database):
    migrated = django(repo, "migrate", "sentry", "0006", "--no-input", database=database)
    assert migrated.returncode == 0, migrated.stderr
    before = tree_state(repo)
    refused = cli(repo, "remove-field", TARGET, "--phase", "2", "--database-url", database.url)
    assert refused.code == 1 and tree_state(repo) == before
    assert refused.err.startswith(f"migrate-assistant: phase 1 of {TARGET} ({PHASE_1}) has not deployed")
    assert "--force REASON" in refused.err

    forced = cli(repo, "remove-field", TARGET, "--phase", "2", "--database-url", database.url, "--force", "hotfix")
    assert forced.code == 0, forced.err
    assert "writing phase 2 anyway: hotfix" in forced.err
    text = (repo / "src/sentry/migrations/0008_organization_default_role_drop.py").read_text()
    head = text.split("\nclass Migration(")[0].splitlines()
    start = next(i for i, line in enumerate(head) if line.startswith("# Phase 2 written"))
    comment = " ".join(line.removeprefix("# ") for line in head[start:])
    assert comment == f"Phase 2 written before phase 1 ({PHASE_1}) was known to have deployed (--force): hotfix"


def test_phase_2_allowed_once_deployed(repo, cli, database):
    migrate(repo, database)
    result = cli(repo, "remove-model", "sentry.ProjectBookmark", "--phase", "1")
    assert result.code == 0, result.err
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "phase 1")
    refused = cli(repo, "remove-model", "sentry.ProjectBookmark", "--phase", "2", "--database-url", database.url)
    assert refused.code == 1 and "has not deployed" in refused.err
    migrate(repo, database)
    assert cli(repo, "remove-model", "sentry.ProjectBookmark", "--phase", "2", "--database-url", database.url).code == 0


def test_database_is_only_read(repo, cli, database):
    migrate(repo, database)
    rows = database.query("SELECT app, name, applied FROM django_migrations ORDER BY id")
    sqlite_file = Path(database.url.removeprefix("sqlite:///"))
    before = sqlite_file.read_bytes() if database.kind == "sqlite" else None
    assert cli(repo, "status", "--database-url", database.url).code == 0
    assert cli(repo, "check", "--forgotten", "--database-url", database.url).code == 0
    assert database.query("SELECT app, name, applied FROM django_migrations ORDER BY id") == rows
    if database.kind == "sqlite":
        assert sqlite_file.read_bytes() == before and not Path(f"{sqlite_file}-journal").exists()
    if database.kind == "postgresql":
        import psycopg

        with connect_read_only(database.url) as connection, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            connection.execute("DELETE FROM django_migrations")


def test_deployed_tag_pattern_gives_the_date_and_the_forgotten_phase_2(repo, cli, monkeypatch):
    git(repo, "tag", "-a", "-m", "deploy", "deploy-0001", date="2026-03-01T12:00:00+00:00")
    git(repo, "commit", "-q", "--allow-empty", "-m", "later", date="2026-03-05T12:00:00+00:00")
    git(repo, "tag", "-a", "-m", "deploy", "deploy-0002", date="2026-03-05T12:00:00+00:00")
    assert cli(repo, "remove-field", "sentry.Project.template_version", "--phase", "1").code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "phase 1 of template_version", date="2026-03-06T12:00:00+00:00")
    args = ("--deployed-ref", "deploy-*")

    monkeypatch.setenv("MIGRATE_ASSISTANT_NOW", "2026-03-10T12:00:00")
    deployment, items = lifecycle(cli, repo, *args)
    assert deployment["source"] == "git-ref" and "deploy-0002 (newest of deploy-*)" in deployment["description"]
    assert items[TARGET]["phase_1"]["deployed_at"] == "2026-03-01T12:00:00+00:00"
    assert items[TARGET]["waiting_days"] == 9 and items[TARGET]["forgotten"] is False
    pending = items["sentry.Project.template_version"]
    assert pending["stage"] == "phase-1-merged" and pending["phase_1"]["deployed"] is False
    assert cli(repo, "check", "--forgotten", *args).code == 0

    monkeypatch.setenv("MIGRATE_ASSISTANT_NOW", "2026-03-20T12:00:00")
    _, items = lifecycle(cli, repo, *args)
    assert items[TARGET]["waiting_days"] == 19 and items[TARGET]["forgotten"] is True
    text = cli(repo, "status", *args).out
    assert "Forgotten phase 2 (phase 1 deployed more than 14 days ago):" in text
    assert f"run: migrate-assistant remove-field {TARGET} --phase 2" in text
    nag = cli(repo, "check", "--forgotten", *args)
    assert nag.code == 1
    assert f"MA021 phase 2 of {TARGET} not written" in nag.out
    assert f"run: migrate-assistant remove-field {TARGET} --phase 2" in nag.out


def test_phase_2_after_days_and_a_plain_ref(repo, cli, monkeypatch):
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'deployed-ref = "production"\nphase-2-after-days = 30\n')
    git(repo, "commit", "-q", "-am", "config")
    git(repo, "branch", "production")
    initial = datetime.fromisoformat(git(repo, "log", "--reverse", "--format=%cI").splitlines()[0])
    monkeypatch.setenv("MIGRATE_ASSISTANT_NOW", (initial + timedelta(days=20)).isoformat())
    deployment, items = lifecycle(cli, repo)
    assert deployment["description"] == "git ref production" and deployment["phase_2_after_days"] == 30
    assert items[TARGET]["phase_1"]["deployed_at"] == initial.astimezone(UTC).isoformat()
    assert items[TARGET]["waiting_days"] == 20 and items[TARGET]["forgotten"] is False
    assert cli(repo, "check", "--forgotten").code == 0
    monkeypatch.setenv("MIGRATE_ASSISTANT_NOW", (initial + timedelta(days=31)).isoformat())
    assert cli(repo, "check", "--forgotten", "--format", "json").code == 1


def test_bad_sources_are_refused_clearly(repo, cli):
    for args, message in [
        (("--deployed-ref", "nowhere"), "deployed-ref nowhere: no such git ref"),
        (("--deployed-ref", "release-*"), "deployed-ref release-*: no tag matches"),
        (("--database-url", "mysql://x/y"), "database-url must start with"),
        (("--database-url", f"sqlite:///{repo}/missing.sqlite3"), "no such SQLite database"),
    ]:
        result = cli(repo, "status", *args)
        assert result.code == 1 and result.err.startswith("migrate-assistant: ") and message in result.err
    (repo / "empty.sqlite3").write_bytes(b"")
    result = cli(repo, "status", "--database-url", "sqlite:///empty.sqlite3")
    assert result.code == 1 and "cannot read django_migrations" in result.err
    assert cli(repo, "remove-field", TARGET, "--phase", "1", "--force", "x").code == 2
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "phase-2-after-days = -3\n")
    result = cli(repo, "status")
    assert result.code == 1 and "phase-2-after-days must be a whole number of days" in result.err
    pyproject.write_text(pyproject.read_text().replace("phase-2-after-days = -3", 'deployed-ref = ""'))
    result = cli(repo, "status")
    assert result.code == 1 and "deployed-ref must be a non-empty string" in result.err


def test_the_core_api_reports_a_failing_source_instead_of_failing(repo):
    """The assistant's dashboard calls project_status: a configured source that cannot be read is a problem."""
    from migrate_assistant.project import discover
    from migrate_assistant.status import project_status

    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'database-url = "sqlite:///$NO_SUCH_DIR/db.sqlite3"\n')
    status = project_status(discover(repo))
    assert status.lifecycle.source is None and status.lifecycle.description.startswith("unknown: the deployment")
    assert any("no such SQLite database" in problem for problem in status.problems)
    [item] = status.lifecycle.items
    assert item.target == TARGET and item.stage == "phase-1-merged" and item.phase_1.deployed is None
