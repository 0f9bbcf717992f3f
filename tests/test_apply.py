"""Applying a plan is all-or-nothing and touches only the planned files."""

import os

import pytest

from migrate_assistant.apply import apply_edits
from migrate_assistant.errors import AssistantError
from migrate_assistant.plan import FileEdit

from .conftest import tree_state


def test_failure_midway_restores_every_file(repo, monkeypatch):
    edits = [
        FileEdit("src/sentry/models/team.py", (repo / "src/sentry/models/team.py").read_text(), "# changed\n"),
        FileEdit("src/sentry/new_dir/new_file.py", None, "created = True\n"),
        FileEdit("migrations_lockfile.txt", (repo / "migrations_lockfile.txt").read_text(), "changed\n"),
    ]
    before = tree_state(repo)
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if str(dst).endswith("migrations_lockfile.txt"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(AssistantError, match="could not write migrations_lockfile.txt .*nothing was changed"):
        apply_edits(repo, edits)
    monkeypatch.undo()
    assert tree_state(repo) == before
    assert not (repo / "src/sentry/new_dir").exists()
    assert not [p for p in repo.rglob("*.tmp")]


def test_file_changed_since_planning_is_refused(repo):
    path = repo / "src/sentry/models/team.py"
    edit = FileEdit("src/sentry/models/team.py", path.read_text(), "# planned\n")
    path.write_text(path.read_text() + "# edited meanwhile\n")
    with pytest.raises(AssistantError, match="changed since the plan was made"):
        apply_edits(repo, [edit])
    assert path.read_text().endswith("# edited meanwhile\n")


def test_uncommitted_work_in_an_edited_file_is_kept(repo, cli):
    path = repo / "src/sentry/models/project.py"
    text = path.read_text().replace("    def __str__", "    # work in progress, not committed\n    def __str__")
    path.write_text(text)
    other = repo / "src/sentry/models/team.py"
    other.write_text(other.read_text() + "# another uncommitted change\n")
    result = cli(repo, "remove-field", "sentry.Project.first_event", "--phase", "1")
    assert result.code == 0, result.err
    after = path.read_text()
    assert "# work in progress, not committed" in after
    assert "first_event" not in after
    assert after == text.replace("    first_event = models.DateTimeField(null=True)\n", "")
    assert other.read_text().endswith("# another uncommitted change\n")


def test_dry_run_prints_the_diff_and_writes_nothing(repo, cli):
    before = tree_state(repo)
    result = cli(repo, "remove-field", "sentry.Project.status", "--phase", "1", "--dry-run")
    assert result.code == 0
    assert tree_state(repo) == before
    assert "--- a/src/sentry/models/project.py" in result.out
    assert "+++ b/src/sentry/migrations/0008_project_status_pending.py" in result.out
    assert "-sentry: 0007_organization_default_role_pending\n+sentry: 0008_project_status_pending" in result.out
    assert "nothing was written" in result.err
