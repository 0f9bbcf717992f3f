"""Migrations written by migrate-assistant's own recipes raise no finding."""

import json

import pytest

from ..lockfile.histories import LEAVES, add_migration, branches, run_git

SEQUENCES = {
    "remove-field": [
        (
            "remove-field",
            "sentry.Project.organization",
            "sentry.Project.status",
            "sentry.Project.rate_limit_count",
            "--phase",
            "1",
        ),
        (
            "remove-field",
            "sentry.Project.organization",
            "sentry.Project.status",
            "sentry.Project.rate_limit_count",
            "--phase",
            "2",
        ),
    ],
    "remove-model": [
        ("remove-model", "uptime.ProjectUptimeSubscription", "hybridcloud.ApiKeyReplica", "--phase", "1"),
        ("remove-model", "uptime.ProjectUptimeSubscription", "hybridcloud.ApiKeyReplica", "--phase", "2"),
    ],
    "remove-together": [
        ("remove", "uptime.ProjectUptimeSubscription.owner_team", "sentry.ProjectTeam", "sentry.Team", "--phase", "1"),
        ("remove", "uptime.ProjectUptimeSubscription.owner_team", "sentry.ProjectTeam", "sentry.Team", "--phase", "2"),
    ],
    "renames": [
        ("rename-field", "sentry.Project.status", "state"),
        ("rename-field", "sentry.Project.organization", "owner"),
        ("rename-model", "sentry.Team", "Squad"),
        ("rename-model", "sentry.ProjectBookmark", "Favorite"),
    ],
}


@pytest.mark.parametrize("sequence", SEQUENCES, ids=list(SEQUENCES))
def test_recipe_migrations_pass_the_check(sequence, repo, cli):
    for args in SEQUENCES[sequence]:
        result = cli(repo, *args)
        assert result.code == 0, result.err
        if "--phase" in args:  # each phase is its own PR (both in one branch is MA020)
            data = json.loads(cli(repo, "check", "--format", "json").out)
            assert data["checked"] and data["findings"] == []
            run_git(repo, "add", "-A")
            run_git(repo, "commit", "-q", "-m", f"phase {args[-1]}")
    if "--phase" not in args:
        data = json.loads(cli(repo, "check", "--format", "json").out)
        assert len(data["checked"]) >= 2
        assert data["findings"] == []


def test_lockfile_fix_passes_the_check(repo, cli):
    branches(
        repo,
        lambda r: add_migration(r, "sentry", "0008_feature", ("sentry", LEAVES["sentry"])),
        lambda r: add_migration(r, "sentry", "0008_upstream", ("sentry", LEAVES["sentry"])),
    )
    run_git(repo, "merge", "main", "--no-edit", expect_conflict=True)
    assert cli(repo, "fix-lockfile").code == 0
    data = json.loads(cli(repo, "check", "--format", "json").out)
    assert "src/sentry/migrations/0009_feature.py" in data["checked"] and data["findings"] == []
