"""Writing respects the files: modes, read-only files, symlinks, and what changed while planning."""

from __future__ import annotations

import os
import stat

import pytest

from migrate_assistant.apply import apply_edits, apply_plan
from migrate_assistant.errors import AssistantError
from migrate_assistant.plan import FileEdit
from migrate_assistant.project import discover
from migrate_assistant.recipes.remove_field import plan_remove_fields

from .conftest import tree_state

MODEL = "src/sentry/models/project.py"
MIGRATION = "src/sentry/migrations/0008_project_platform_pending.py"
REMOVE = ("remove-field", "sentry.Project.platform", "--phase", "1")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("umask, expected", [(0o022, 0o644), (0o002, 0o664)])
def test_new_files_get_the_umask_mode_edited_files_keep_theirs(repo, cli, umask, expected):
    os.chmod(repo / MODEL, 0o640)
    os.chmod(repo / "migrations_lockfile.txt", 0o600)
    previous = os.umask(umask)
    try:
        result = cli(repo, *REMOVE)
        data = cli(repo, "data-migration", "sentry", "backfill_things")
        apply_edits(repo, [FileEdit("src/sentry/new_dir/new.py", None, "x = 1\n")])
    finally:
        os.umask(previous)
    assert result.code == 0 and data.code == 0, result.err + data.err
    assert mode(repo / MIGRATION) == expected
    assert mode(repo / MODEL) == 0o640
    assert mode(repo / "migrations_lockfile.txt") == 0o600
    created = repo / "tests/sentry/migrations/test_0009_backfill_things.py"
    assert mode(created) == expected
    assert mode(repo / "src/sentry/new_dir/new.py") == expected
    assert mode(repo / "src/sentry/new_dir") == expected | 0o111  # a new folder too


def test_read_only_planned_file_is_refused(repo, cli):
    os.chmod(repo / MODEL, 0o444)
    before = tree_state(repo)
    result = cli(repo, *REMOVE)
    assert result.code == 1
    assert f"{MODEL} is read-only" in result.err and "nothing was written" in result.err
    assert tree_state(repo) == before
    assert mode(repo / MODEL) == 0o444


def test_edits_go_through_a_symlink_to_its_target(repo, cli):
    target = repo / "shared/project.py"
    target.parent.mkdir()
    os.replace(repo / MODEL, target)
    os.symlink("../../../shared/project.py", repo / MODEL)
    result = cli(repo, *REMOVE)
    assert result.code == 0, result.err
    assert (repo / MODEL).is_symlink() and os.readlink(repo / MODEL) == "../../../shared/project.py"
    assert "platform = models.CharField" not in target.read_text()
    assert (repo / MIGRATION).is_file()


def test_a_symlink_leading_outside_the_repository_is_refused(repo, cli, tmp_path):
    outside = tmp_path / "outside.py"
    os.replace(repo / MODEL, outside)
    os.symlink(outside, repo / MODEL)
    before = tree_state(repo)
    original = outside.read_text()
    result = cli(repo, *REMOVE)
    assert result.code == 1
    assert "outside the repository" in result.err and MODEL in result.err
    assert tree_state(repo) == before
    assert outside.read_text() == original


def test_an_unexpected_error_midway_puts_every_file_back(repo, monkeypatch):
    os.chmod(repo / "src/sentry/models/team.py", 0o640)
    edits = [
        FileEdit("src/sentry/models/team.py", (repo / "src/sentry/models/team.py").read_text(), "# changed\n"),
        FileEdit("src/sentry/new_dir/new_file.py", None, "created = True\n"),
        FileEdit("migrations_lockfile.txt", (repo / "migrations_lockfile.txt").read_text(), "changed\n"),
    ]
    before = tree_state(repo)
    real_replace = os.replace

    def failing(src, dst):
        if str(dst).endswith("migrations_lockfile.txt"):
            raise ValueError("injected")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(AssistantError, match="internal error while writing .*injected.*nothing was changed"):
        apply_edits(repo, edits)
    monkeypatch.undo()
    assert tree_state(repo) == before
    assert mode(repo / "src/sentry/models/team.py") == 0o640
    assert not (repo / "src/sentry/new_dir").exists()
    assert not (repo / ".git/migrate-assistant/journal").exists()


def test_a_rollback_that_cannot_complete_says_what_is_left_and_the_next_command_finishes_it(repo, cli, monkeypatch):
    team = "src/sentry/models/team.py"
    edits = [
        FileEdit(team, (repo / team).read_text(), "# changed\n"),
        FileEdit("src/sentry/new_dir/new_file.py", None, "created = True\n"),
        FileEdit("migrations_lockfile.txt", (repo / "migrations_lockfile.txt").read_text(), "changed\n"),
    ]
    before = tree_state(repo)
    real_replace = os.replace
    calls = []

    def disk_full(src, dst):  # the first file goes in, then the disk is full, also for the rollback
        if ".git" not in str(dst):
            calls.append(dst)
            if len(calls) > 2:
                raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(AssistantError) as error:
        apply_edits(repo, edits)
    monkeypatch.undo()
    message = str(error.value)
    assert "could not write migrations_lockfile.txt (No space left on device)" in message
    assert "nothing was changed" not in message
    assert f"{team} (No space left on device): restore it: git checkout -- {team}" in message
    assert "src/sentry/new_dir/new_file.py" not in message  # that one could be removed
    assert (repo / team).read_text() == "# changed\n"
    assert (repo / ".git/migrate-assistant/journal/manifest.json").is_file()
    with pytest.raises(AssistantError, match="an interrupted write has not been undone yet"):
        apply_edits(repo, [FileEdit("src/sentry/other.py", None, "x = 1\n")])

    result = cli(repo, "status")
    assert result.code == 0
    assert "was undone" in result.err and team in result.err
    assert tree_state(repo) == before
    assert not (repo / ".git/migrate-assistant/journal").exists()


def test_the_repository_changed_while_planning(repo):
    project = discover(repo)
    plan = plan_remove_fields(project, ["sentry.Project.platform"], 1)
    (repo / "src/sentry/migrations/0008_other.py").write_text(
        (repo / "src/sentry/migrations/0007_organization_default_role_pending.py").read_text()
    )
    before = tree_state(repo)
    with pytest.raises(AssistantError, match="the repository changed while planning .*sentry/migrations"):
        apply_plan(repo, plan)
    assert tree_state(repo) == before


def test_a_file_the_plan_read_changed(repo):
    project = discover(repo)
    plan = plan_remove_fields(project, ["sentry.Project.platform"], 1)
    read = repo / "src/sentry/migrations/0005_environment.py"
    read.write_text(read.read_text() + "# edited meanwhile\n")
    before = tree_state(repo)
    with pytest.raises(AssistantError, match="changed while planning .*0005_environment.py"):
        apply_plan(repo, plan)
    assert tree_state(repo) == before


def test_the_core_api_waits_for_the_lock_of_another_process_then_refuses(repo, monkeypatch):
    """What the assistant calls (``apply_plan``) takes the same lock as the command line."""
    import subprocess
    import sys

    project = discover(repo)
    plan = plan_remove_fields(project, ["sentry.Project.platform"], 1)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from migrate_assistant.repo_lock import repository_lock\n"
            "with repository_lock(sys.argv[1]):\n    print('held', flush=True); time.sleep(30)",
            str(repo),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        monkeypatch.setenv("MIGRATE_ASSISTANT_LOCK_WAIT", "0.3")
        before = tree_state(repo)
        with pytest.raises(AssistantError, match=f"locked by another migrate-assistant \\(pid {holder.pid}\\)"):
            apply_plan(repo, plan)
        assert tree_state(repo) == before
    finally:
        holder.kill()
        holder.wait()
    apply_plan(repo, plan)  # the holder died: its lock went with it
    assert (repo / MIGRATION).is_file()


def test_symlinked_directories_inside_are_followed_outside_refused(repo, tmp_path):
    (repo / "real").mkdir()
    os.symlink("real", repo / "linked")
    apply_edits(repo, [FileEdit("linked/new.py", None, "x = 1\n")])
    assert (repo / "linked").is_symlink() and (repo / "real/new.py").read_text() == "x = 1\n"
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", repo / "away")
    with pytest.raises(AssistantError, match="away/new.py is outside the repository"):
        apply_edits(repo, [FileEdit("away/new.py", None, "x = 1\n")])
    assert not any((tmp_path / "outside").iterdir())
