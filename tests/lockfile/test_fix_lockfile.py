"""fix-lockfile on real git histories: merges, rebases, diff3, squashes, chains, two apps."""

import json

import git
import pytest

from ..conftest import assert_no_model_changes, django, tree_state
from .histories import FOLDERS, LEAVES, add_migration, branches, commit, run_git

MIGRATIONS = FOLDERS["sentry"]


def assert_resolved(repo, cli) -> None:
    status = json.loads(cli(repo, "status", "--format", "json").out)
    assert all(len(app["leaves"]) == 1 for app in status["apps"]), status["apps"]
    assert status["lockfile"]["ok"], status
    assert_no_model_changes(repo)
    assert django(repo, "migrate", "--no-input").returncode == 0


def fix(repo, cli) -> str:
    result = cli(repo, "fix-lockfile")
    assert result.code == 0, result.err
    return result.out


def test_rebase_with_one_migration(repo, cli):
    branches(
        repo,
        lambda r: add_migration(r, "sentry", "0008_feature", ("sentry", LEAVES["sentry"])),
        lambda r: add_migration(r, "sentry", "0008_upstream", ("sentry", LEAVES["sentry"])),
    )
    run_git(repo, "rebase", "main", expect_conflict=True)
    out = fix(repo, cli)
    assert f"renamed {MIGRATIONS}/0008_feature.py → {MIGRATIONS}/0009_feature.py" in out
    assert "git rebase --continue" in out
    assert '("sentry", "0008_upstream")' in (repo / MIGRATIONS / "0009_feature.py").read_text()
    run_git(repo, "rebase", "--continue")
    with git.Repo(repo) as handle:
        assert not handle.is_dirty(untracked_files=True)
        assert (repo / "migrations_lockfile.txt").read_text() == handle.git.show("HEAD:migrations_lockfile.txt") + "\n"
    assert (repo / MIGRATIONS / "0008_upstream.py").is_file(), "the upstream migration keeps its name"
    assert_resolved(repo, cli)


def test_merge_with_a_chain_of_two(repo, cli):
    def feature(r):
        add_migration(r, "sentry", "0008_first", ("sentry", LEAVES["sentry"]))
        add_migration(r, "sentry", "0009_second", ("sentry", "0008_first"))

    branches(repo, feature, lambda r: add_migration(r, "sentry", "0008_upstream", ("sentry", LEAVES["sentry"])))
    run_git(repo, "merge", "main", expect_conflict=True)
    out = fix(repo, cli)
    assert "0008_first.py → src/sentry/migrations/0009_first.py" in out
    assert "0009_second.py → src/sentry/migrations/0010_second.py" in out
    assert '("sentry", "0009_first")' in (repo / MIGRATIONS / "0010_second.py").read_text()
    assert "sentry: 0010_second" in (repo / "migrations_lockfile.txt").read_text()
    run_git(repo, "commit", "--no-edit")
    assert_resolved(repo, cli)


def test_two_apps_conflicting_in_one_hunk(repo, cli):
    def feature(r):
        add_migration(r, "sentry", "0008_feature", ("sentry", LEAVES["sentry"]))
        add_migration(r, "uptime", "0003_feature", ("uptime", LEAVES["uptime"]))

    def upstream(r):
        add_migration(r, "sentry", "0008_upstream", ("sentry", LEAVES["sentry"]))
        add_migration(r, "uptime", "0003_upstream", ("uptime", LEAVES["uptime"]))

    branches(repo, feature, upstream)
    run_git(repo, "merge", "main", expect_conflict=True)
    lockfile = (repo / "migrations_lockfile.txt").read_text()
    hunk = lockfile[lockfile.index("<<<<<<<") : lockfile.index(">>>>>>>")]
    assert "sentry:" in hunk and "uptime:" in hunk, "one hunk spans both apps"
    fix(repo, cli)
    text = (repo / "migrations_lockfile.txt").read_text()
    assert "sentry: 0009_feature\n\nuptime: 0004_feature\n" in text and "<<<" not in text
    run_git(repo, "commit", "--no-edit")
    assert_resolved(repo, cli)


def test_diff3_markers(repo, cli):
    branches(
        repo,
        lambda r: add_migration(r, "sentry", "0008_feature", ("sentry", LEAVES["sentry"])),
        lambda r: add_migration(r, "sentry", "0008_upstream", ("sentry", LEAVES["sentry"])),
    )
    run_git(repo, "-c", "merge.conflictStyle=diff3", "merge", "main", expect_conflict=True)
    assert "|||||||" in (repo / "migrations_lockfile.txt").read_text()
    fix(repo, cli)
    run_git(repo, "commit", "--no-edit")
    assert_resolved(repo, cli)


def test_squashed_upstream_head(repo, cli):
    def upstream(r):
        add_migration(r, "uptime", "0003_upstream", ("uptime", LEAVES["uptime"]))
        commit(r, "upstream migration")
        squashed = django(r, "squashmigrations", "uptime", "0003_upstream", "--noinput")
        assert squashed.returncode == 0, squashed.stderr
        for name in ("0001_initial", "0002_uptimeregion", "0003_upstream"):
            (r / FOLDERS["uptime"] / f"{name}.py").unlink()
        path = r / "migrations_lockfile.txt"
        path.write_text(path.read_text().replace("uptime: 0003_upstream", "uptime: 0001_squashed_0003_upstream"))

    branches(repo, lambda r: add_migration(r, "uptime", "0003_feature", ("uptime", LEAVES["uptime"])), upstream)
    run_git(repo, "merge", "main", expect_conflict=True)
    out = fix(repo, cli)
    assert "0003_feature.py → src/sentry/uptime/migrations/0004_feature.py" in out
    assert '("uptime", "0001_squashed_0003_upstream")' in (repo / FOLDERS["uptime"] / "0004_feature.py").read_text()
    run_git(repo, "commit", "--no-edit")
    assert_resolved(repo, cli)


def test_no_markers_but_two_leaves(repo, cli):
    branches(
        repo,
        lambda r: add_migration(r, "sentry", "0008_feature", ("sentry", LEAVES["sentry"]), lock=False),
        lambda r: add_migration(r, "sentry", "0008_upstream", ("sentry", LEAVES["sentry"])),
    )
    run_git(repo, "merge", "main", "--no-edit")
    assert "<<<" not in (repo / "migrations_lockfile.txt").read_text()
    fix(repo, cli)
    commit(repo, "renumbered")
    assert_resolved(repo, cli)


def test_cross_app_dependency_and_migration_test_follow_the_rename(repo, cli):
    def feature(r):
        add_migration(r, "sentry", "0008_feature", ("sentry", LEAVES["sentry"]))
        add_migration(r, "uptime", "0003_feature", ("uptime", LEAVES["uptime"]), ("sentry", "0008_feature"))
        (r / "tests/sentry/migrations/test_0008_feature.py").write_text(
            "from sentry.testutils.cases import TestMigrations\n\n\n"
            "class FeatureTest(TestMigrations):\n"
            f'    migrate_from = "{LEAVES["sentry"]}"\n'
            '    migrate_to = "0008_feature"\n\n'
            "    def test(self):\n        assert self.apps is not None\n"
        )

    branches(repo, feature, lambda r: add_migration(r, "sentry", "0008_upstream", ("sentry", LEAVES["sentry"])))
    run_git(repo, "rebase", "main", expect_conflict=True)
    fix(repo, cli)
    assert '("sentry", "0009_feature")' in (repo / FOLDERS["uptime"] / "0003_feature.py").read_text()
    test = (repo / "tests/sentry/migrations/test_0009_feature.py").read_text()
    assert 'migrate_from = "0008_upstream"' in test and 'migrate_to = "0009_feature"' in test
    assert not (repo / "tests/sentry/migrations/test_0008_feature.py").exists()
    run_git(repo, "rebase", "--continue")
    assert_resolved(repo, cli)
    result = django(repo, "test", "tests.sentry.migrations.test_0009_feature", "-v", "0")
    assert result.returncode == 0, result.stderr


def test_dry_run_shows_the_renames_and_writes_nothing(repo, cli):
    branches(
        repo,
        lambda r: add_migration(r, "sentry", "0008_feature", ("sentry", LEAVES["sentry"])),
        lambda r: add_migration(r, "sentry", "0008_upstream", ("sentry", LEAVES["sentry"])),
    )
    run_git(repo, "merge", "main", expect_conflict=True)
    before = tree_state(repo)
    result = cli(repo, "fix-lockfile", "--dry-run")
    assert result.code == 0
    assert f"rename from {MIGRATIONS}/0008_feature.py\nrename to {MIGRATIONS}/0009_feature.py" in result.out
    assert "+sentry: 0009_feature" in result.out
    assert tree_state(repo) == before
    with git.Repo(repo) as handle:
        assert "migrations_lockfile.txt" in handle.git.diff("--name-only", "--diff-filter=U")


def test_nothing_to_fix(repo, cli):
    result = cli(repo, "fix-lockfile")
    assert result.code == 0 and "Nothing to fix" in result.out


def test_a_stale_lockfile_is_regenerated(repo, cli):
    path = repo / "migrations_lockfile.txt"
    path.write_text(path.read_text().replace("uptime: 0002_uptimeregion", "uptime: 0001_initial"))
    fix(repo, cli)
    assert "uptime: 0002_uptimeregion" in path.read_text()


@pytest.mark.parametrize("conflicted", ["src/sentry/models/team.py"])
def test_other_conflicts_are_refused(repo, cli, conflicted):
    def edit(text):
        return lambda r: (r / conflicted).write_text((r / conflicted).read_text() + f"\n# {text}\n")

    def feature(r):
        add_migration(r, "sentry", "0008_feature", ("sentry", LEAVES["sentry"]))
        edit("feature")(r)

    def upstream(r):
        add_migration(r, "sentry", "0008_upstream", ("sentry", LEAVES["sentry"]))
        edit("upstream")(r)

    branches(repo, feature, upstream)
    run_git(repo, "merge", "main", expect_conflict=True)
    before = tree_state(repo)
    result = cli(repo, "fix-lockfile")
    assert result.code == 1
    assert f"{conflicted} has conflicts too: resolve it first" in result.err
    assert tree_state(repo) == before


def refused(repo, cli) -> str:
    before = tree_state(repo)
    result = cli(repo, "fix-lockfile")
    assert result.code == 1 and "Traceback" not in result.err
    assert tree_state(repo) == before
    return result.err


def test_two_upstream_leaves_are_not_ours_to_fix(repo, cli):
    add_migration(repo, "sentry", "0008_a", ("sentry", LEAVES["sentry"]))
    add_migration(repo, "sentry", "0008_b", ("sentry", LEAVES["sentry"]))
    commit(repo, "two leaves on main")
    assert "app 'sentry' has several leaves (0008_a, 0008_b) and all of them are upstream" in refused(repo, cli)


def test_without_a_main_branch_upstream_is_unknown(repo, cli):
    run_git(repo, "branch", "-m", "main", "trunk")
    add_migration(repo, "sentry", "0008_a", ("sentry", LEAVES["sentry"]))
    assert "cannot tell which migrations exist upstream" in refused(repo, cli)


def test_unbalanced_markers(repo, cli):
    path = repo / "migrations_lockfile.txt"
    path.write_text(path.read_text().replace("uptime: 0002_uptimeregion", "<<<<<<< HEAD\nuptime: 0002_uptimeregion"))
    assert "conflict hunk is not closed (unbalanced conflict markers)" in refused(repo, cli)
