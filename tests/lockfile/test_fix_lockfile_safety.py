"""fix-lockfile never stages the user's work, never guesses upstream, keeps CRLF lockfiles as they are."""

import git

from ..conftest import tree_state
from .histories import FOLDERS, LEAVES, add_migration, commit, run_git

MIGRATIONS = FOLDERS["sentry"]
LOCK = "migrations_lockfile.txt"


def refused(repo, cli) -> str:
    before = tree_state(repo)
    with git.Repo(repo) as handle:
        index = handle.git.diff("--cached")
    result = cli(repo, "fix-lockfile")
    assert result.code == 1 and "Traceback" not in result.err, result.err
    assert tree_state(repo) == before
    with git.Repo(repo) as handle:
        assert handle.git.diff("--cached") == index
    return result.err


def diverge(repo, base: str = "main", trunk: str = "main") -> None:
    """``feature`` (from ``base``) adds 0008_feature; ``trunk`` adds 0008_team_slug."""
    run_git(repo, "checkout", "-b", "feature", base)
    add_migration(repo, "sentry", "0008_feature", ("sentry", LEAVES["sentry"]))
    commit(repo, "feature")
    run_git(repo, "checkout", trunk)
    add_migration(repo, "sentry", "0008_team_slug", ("sentry", LEAVES["sentry"]))
    commit(repo, "trunk")
    run_git(repo, "checkout", "feature")


def test_unstaged_user_edits_of_a_file_to_stage_are_refused(repo, cli):
    diverge(repo)
    run_git(repo, "merge", "main", expect_conflict=True)
    feature = repo / MIGRATIONS / "0008_feature.py"
    feature.write_text(feature.read_text() + "# my unfinished work\n")
    err = refused(repo, cli)
    assert f"{MIGRATIONS}/0008_feature.py has changes that are not staged" in err
    assert "git stash" in err


def test_only_what_it_writes_is_staged(repo, cli):
    diverge(repo)
    run_git(repo, "merge", "main", expect_conflict=True)
    other = repo / "src/sentry/models/team.py"
    other.write_text(other.read_text() + "# unrelated work in progress\n")
    result = cli(repo, "fix-lockfile")
    assert result.code == 0, result.err
    with git.Repo(repo) as handle:
        staged = set(handle.git.diff("--cached", "--name-only").split())
        unstaged = set(handle.git.diff("--name-only").split())
    assert "src/sentry/models/team.py" not in staged and "src/sentry/models/team.py" in unstaged
    assert f"{MIGRATIONS}/0009_feature.py" in staged and LOCK in staged


def test_stale_main_and_a_committed_merge_of_master(repo, cli):
    """Local main is stale, the trunk is master, master was merged and committed: master's migration stays."""
    run_git(repo, "branch", "master")
    diverge(repo, base="main", trunk="master")
    run_git(repo, "merge", "master", expect_conflict=True)
    run_git(repo, "checkout", "--ours", LOCK)
    run_git(repo, "add", LOCK)
    run_git(repo, "commit", "--no-edit")
    result = cli(repo, "fix-lockfile")
    assert result.code == 0, result.err
    assert f"renamed {MIGRATIONS}/0008_feature.py → {MIGRATIONS}/0009_feature.py" in result.out
    assert (repo / MIGRATIONS / "0008_team_slug.py").is_file()
    assert '("sentry", "0008_team_slug")' in (repo / MIGRATIONS / "0009_feature.py").read_text()
    assert "sentry: 0009_feature" in (repo / LOCK).read_text()


def test_main_and_master_without_a_remote_default_are_refused(repo, cli):
    run_git(repo, "branch", "master")
    run_git(repo, "checkout", "-b", "feature")
    add_migration(repo, "sentry", "0008_a", ("sentry", LEAVES["sentry"]), lock=False)
    add_migration(repo, "sentry", "0008_b", ("sentry", LEAVES["sentry"]), lock=False)
    commit(repo, "two migrations")
    err = refused(repo, cli)
    assert "both main and master exist" in err and "set main-branch" in err
    path = repo / "pyproject.toml"
    path.write_text(path.read_text() + 'main-branch = "master"\n')
    result = cli(repo, "fix-lockfile")
    assert result.code == 0, result.err  # told which is the trunk: both new migrations are this branch's


def test_the_remote_default_branch_decides(repo, cli, tmp_path):
    run_git(repo, "branch", "master")
    origin = tmp_path / "origin.git"
    git.Repo.init(origin, bare=True).close()
    run_git(repo, "remote", "add", "origin", str(origin))
    run_git(repo, "push", "-q", "origin", "main", "master")
    run_git(repo, "remote", "set-head", "origin", "master")
    run_git(repo, "checkout", "-b", "feature")
    add_migration(repo, "sentry", "0008_a", ("sentry", LEAVES["sentry"]), lock=False)
    add_migration(repo, "sentry", "0008_b", ("sentry", LEAVES["sentry"]), lock=False)
    commit(repo, "two migrations")
    result = cli(repo, "fix-lockfile")
    assert result.code == 0, result.err
    assert f"renamed {MIGRATIONS}/0008_b.py → {MIGRATIONS}/0009_b.py" in result.out


def test_both_leaves_upstream_is_refused(repo, cli):
    """On main, merging a feature branch: both leaves exist upstream (one on main): ask, do not guess."""
    diverge(repo)
    run_git(repo, "checkout", "main")
    run_git(repo, "merge", "feature", expect_conflict=True)
    err = refused(repo, cli)
    assert "has several leaves (0008_feature, 0008_team_slug) and all of them are upstream" in err
    assert "set main-branch" in err


def crlf(repo) -> bytes:
    path = repo / LOCK
    data = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    path.write_bytes(data)
    return data


def test_crlf_lockfile_keeps_its_endings_and_blank_lines(repo, cli):
    before = crlf(repo)
    assert b"\r\n\r\n" in before  # the sample separates entries with blank lines
    commit(repo, "CRLF lockfile")
    result = cli(repo, "remove-field", "sentry.Project.platform", "--phase", "1")
    assert result.code == 0, result.err
    after = (repo / LOCK).read_bytes()
    assert after == before.replace(f"sentry: {LEAVES['sentry']}".encode(), b"sentry: 0008_project_platform_pending")
    assert b"\n" not in after.replace(b"\r\n", b"")


def test_a_correct_crlf_lockfile_is_not_rewritten(repo, cli):
    crlf(repo)
    commit(repo, "CRLF lockfile")
    stat = (repo / LOCK).stat()
    result = cli(repo, "fix-lockfile")
    assert result.code == 0 and "Nothing to fix" in result.out
    assert (repo / LOCK).stat().st_mtime_ns == stat.st_mtime_ns


def test_a_conflicted_crlf_lockfile_is_regenerated_in_crlf(repo, cli):
    original = crlf(repo)
    commit(repo, "CRLF lockfile")
    old = f"sentry: {LEAVES['sentry']}".encode()

    def lock(name: str) -> None:
        (repo / LOCK).write_bytes(original.replace(old, f"sentry: {name}".encode()))

    run_git(repo, "checkout", "-b", "feature")
    add_migration(repo, "sentry", "0008_feature", ("sentry", LEAVES["sentry"]), lock=False)
    lock("0008_feature")
    commit(repo, "feature")
    run_git(repo, "checkout", "main")
    add_migration(repo, "sentry", "0008_upstream", ("sentry", LEAVES["sentry"]), lock=False)
    lock("0008_upstream")
    commit(repo, "upstream")
    run_git(repo, "checkout", "feature")
    run_git(repo, "merge", "main", expect_conflict=True)
    result = cli(repo, "fix-lockfile")
    assert result.code == 0, result.err
    assert (repo / LOCK).read_bytes() == original.replace(old, b"sentry: 0009_feature")
