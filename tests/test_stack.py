"""--stack: both phases as stacked branches, on real git."""

import git

from .conftest import tree_state

BASE = "remove-project-template-version"


def files_of(handle, commit) -> set[str]:
    return set(handle.git.show("--name-only", "--format=", commit).split())


def test_two_stacked_branches_each_with_exactly_its_phase(repo, cli, tmp_path):
    result = cli(repo, "remove-field", "sentry.Project.template_version", "--stack", "--pr-dir", str(tmp_path / "pr"))
    assert result.code == 0, result.err
    with git.Repo(repo) as handle:
        assert handle.active_branch.name == f"{BASE}-phase-1"
        assert not handle.is_dirty(untracked_files=True)
        first, second = handle.commit(f"{BASE}-phase-1"), handle.commit(f"{BASE}-phase-2")
        assert list(first.parents) == [handle.commit("main")]
        assert list(second.parents) == [first], "phase 2 is stacked on phase 1"
        assert files_of(handle, first) == {
            "src/sentry/models/project.py",
            "src/sentry/migrations/0008_project_template_version_pending.py",
            "migrations_lockfile.txt",
        }
        assert files_of(handle, second) == {
            "src/sentry/migrations/0009_project_template_version_drop.py",
            "migrations_lockfile.txt",
        }
        phase_1 = handle.git.show(f"{first.hexsha}:src/sentry/migrations/0008_project_template_version_pending.py")
        phase_2 = handle.git.show(f"{second.hexsha}:src/sentry/migrations/0009_project_template_version_drop.py")
        assert "MOVE_TO_PENDING" in phase_1 and "DELETE" not in phase_1
        assert "deletion_action=DeletionAction.DELETE" in phase_2 and "MOVE_TO_PENDING" not in phase_2
        assert '("sentry", "0008_project_template_version_pending")' in phase_2, "planned on phase 1's result"
        assert "Merge only after remove-project-template-version-phase-1 has deployed" in second.message
        assert "phase 1 of 2" in first.message.lower()
    one = (tmp_path / "pr" / f"{BASE}-phase-1.md").read_text()
    two = (tmp_path / "pr" / f"{BASE}-phase-2.md").read_text()
    assert "### Rollback" in one and "data is all still there" in one
    assert "**Merge only after phase 1 has deployed**" in two and "its data is gone" in two
    assert f"git push -u origin {BASE}-phase-1 {BASE}-phase-2" in result.out
    assert f"gh pr create --base main --head {BASE}-phase-1" in result.out
    assert f"gh pr create --base {BASE}-phase-1 --head {BASE}-phase-2" in result.out


def test_default_pr_descriptions_stay_out_of_the_tree(repo, cli):
    result = cli(repo, "remove-model", "sentry.ProjectBookmark", "--stack", "bookmarks")
    assert result.code == 0, result.err
    assert (repo / ".git/migrate-assistant/pr/bookmarks-phase-2.md").is_file()
    with git.Repo(repo) as handle:
        assert {head.name for head in handle.heads} == {"main", "bookmarks-phase-1", "bookmarks-phase-2"}
        assert not handle.is_dirty(untracked_files=True)


def test_refused_with_changes_to_the_files_involved_or_a_merge_in_progress(repo, cli):
    model = repo / "src/sentry/models/project.py"
    model.write_text(model.read_text() + "\n# my work in progress\n")
    before = tree_state(repo)
    result = cli(repo, "remove-field", "sentry.Project.template_version", "--stack")
    assert result.code == 1 and "src/sentry/models/project.py had uncommitted changes" in result.err
    assert tree_state(repo) == before
    with git.Repo(repo) as handle:
        assert [head.name for head in handle.heads] == ["main"] and handle.active_branch.name == "main"
        handle.git.checkout("--", ".")
        (repo / ".git/MERGE_HEAD").write_text(handle.head.commit.hexsha + "\n")
    merging = cli(repo, "remove-field", "sentry.Project.template_version", "--stack")
    assert merging.code == 1 and "a merge is in progress" in merging.err


def test_stack_usage_errors(repo, cli):
    for extra in (("--phase", "1"), ("--dry-run",), ("--force", "x")):
        result = cli(repo, "remove-field", "sentry.Project.template_version", "--stack", *extra)
        assert result.code == 2 and "--stack writes both phases" in result.err
    assert cli(repo, "remove-field", "sentry.Project.template_version").code == 2


def test_a_failing_phase_2_leaves_nothing_behind(repo, cli, monkeypatch):
    from migrate_assistant.errors import AssistantError
    from migrate_assistant.recipes import stack

    real = stack.PLANNERS["remove-field"]

    def failing(project, targets, phase, name, force=None):
        if phase == 2:
            raise AssistantError("phase 2 cannot be planned")
        return real(project, targets, phase, name)

    monkeypatch.setitem(stack.PLANNERS, "remove-field", failing)
    before = tree_state(repo)
    result = cli(repo, "remove-field", "sentry.Project.template_version", "--stack")
    assert result.code == 1 and "phase 2 cannot be planned" in result.err
    assert tree_state(repo) == before
    with git.Repo(repo) as handle:
        assert [head.name for head in handle.heads] == ["main"] and handle.active_branch.name == "main"
        assert not handle.is_dirty(untracked_files=True)


def test_fields_and_models_together(repo, cli):
    targets = ["uptime.ProjectUptimeSubscription.owner_team", "sentry.ProjectTeam", "sentry.Team"]
    result = cli(repo, "remove", *targets, "--stack", "teams")
    assert result.code == 0, result.err
    with git.Repo(repo) as handle:
        first, second = handle.commit("teams-phase-1"), handle.commit("teams-phase-2")
        assert list(second.parents) == [first]
        created = {path for path in files_of(handle, second) if "/migrations/" in path}
        assert created == {
            "src/sentry/uptime/migrations/0004_projectuptimesubscription_owner_team_drop.py",
            "src/sentry/migrations/0009_projectteam_and_more_drop.py",
        }
        for path in created:
            text = handle.git.show(f"{second.hexsha}:{path}")
            assert "DeletionAction.DELETE" in text and "MOVE_TO_PENDING" not in text
