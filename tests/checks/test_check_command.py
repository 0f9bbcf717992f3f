"""check: scope, suppressions, output formats and exit codes."""

import json

import git

from ..conftest import tree_state
from .test_rules import CASES, write


def test_clean_tree_checks_nothing_and_exits_0(repo, cli):
    result = cli(repo, "check")
    assert result.code == 0
    assert "0 findings in 0 migrations checked" in result.err


def test_scope_is_this_branch_and_uncommitted_work(repo, cli):
    write(repo, CASES["MA001"][0])
    with git.Repo(repo) as handle:
        handle.git.checkout("-b", "feature")
        handle.git.add(all=True)
        handle.index.commit("unsafe migration on a branch")
    assert cli(repo, "check").code == 1, "committed on this branch: checked"
    with git.Repo(repo) as handle:
        handle.git.checkout("main")
        handle.git.merge("feature")
    assert cli(repo, "check").code == 0, "on main already: not this branch's change"
    assert cli(repo, "check", str(repo / "src/sentry/migrations/0008_change.py")).code == 1, "explicit paths override"


def test_suppressions_need_a_reason_and_are_reported(repo, cli):
    write(repo, CASES["MA005"][0].rstrip(",") + ",  # migrate-assistant: ignore[MA005] the table is empty everywhere")
    data = json.loads(cli(repo, "check", "--format", "json").out)
    assert data["findings"] == []
    assert data["suppressed"][0]["suppressed"] == "the table is empty everywhere"
    text = cli(repo, "check")
    assert text.code == 0 and "[suppressed: the table is empty everywhere]" in text.out

    write(repo, "# migrate-assistant: ignore[MA005]\n" + CASES["MA005"][0])
    data = json.loads(cli(repo, "check", "--format", "json").out)
    assert "has no reason, so it does not count" in data["findings"][0]["fix"]


def test_whole_migration_suppression(repo, cli):
    path = repo / write(repo, CASES["MA001"][0] + "\n" + CASES["MA005"][0])
    path.write_text(
        "# migrate-assistant: ignore-migration[MA001, MA005] one-off cleanup reviewed in #1234\n" + path.read_text()
    )
    data = json.loads(cli(repo, "check", "--format", "json").out)
    assert data["findings"] == [] and {f["rule"] for f in data["suppressed"]} == {"MA001", "MA005"}


def test_json_schema(repo, cli):
    write(repo, CASES["MA001"][0])
    data = json.loads(cli(repo, "check", "--format", "json").out)
    assert set(data) == {"checked", "findings", "suppressed", "problems", "skipped", "rules"}
    assert data["problems"] == [] and data["skipped"] == []
    assert data["checked"] == ["src/sentry/migrations/0008_change.py"]
    assert set(data["findings"][0]) == {"rule", "title", "path", "line", "message", "fix", "command", "suppressed"}
    assert data["rules"]["MA001"] == "plain RemoveField" and len(data["rules"]) == 21


def test_github_annotations(repo, cli):
    write(
        repo,
        CASES["MA001"][0] + "\n" + CASES["MA008"][0].rstrip(",") + ",  # migrate-assistant: ignore[MA008] ok, reviewed",
    )
    result = cli(repo, "check", "--format", "github")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith(
        "::error file=src/sentry/migrations/0008_change.py,line=18,title=MA001::RemoveField drops"
    )
    assert lines[1].startswith(
        "::notice file=src/sentry/migrations/0008_change.py,line=19,title=MA008 suppressed%3A ok%2C reviewed::"
    )


def test_a_missing_path_is_a_usage_error(repo, cli):
    before = tree_state(repo)
    missing = cli(repo, "check", str(repo / "nope.py"), "src/sentry/migrations/0005_environment.py")
    assert missing.code == 2 and "no such file" in missing.err
    assert tree_state(repo) == before


def test_pre_commit_hook_definition():
    from pathlib import Path

    text = (Path(__file__).parents[2] / ".pre-commit-hooks.yaml").read_text()
    assert "id: migrate-assistant-check" in text and "entry: migrate-assistant check" in text
