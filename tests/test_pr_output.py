"""PR-ready output: check findings and the SQL of the branch's migrations as Markdown."""

import git

from .checks.test_rules import CASES, write
from .conftest import migrate, tree_state

PENDING = "sentry/0008_project_template_version_pending"


def test_check_markdown_lists_findings_with_fixes(repo, cli):
    clean = cli(repo, "check", "--format", "markdown")
    assert clean.code == 0 and clean.out.startswith("### migrate-assistant check: no findings")
    write(repo, CASES["MA001"][0])
    result = cli(repo, "check", "--format", "markdown")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "### migrate-assistant check: 1 finding"
    assert "| rule | where | what |" in lines
    row = next(line for line in lines if line.startswith("| MA001 |"))
    assert "`src/sentry/migrations/0008_change.py:18`" in row
    fix = next(line for line in lines if line.startswith("- **MA001** (plain RemoveField)"))
    assert (
        "SafeRemoveField" in fix
        and "Run: `migrate-assistant fix-migration src/sentry/migrations/0008_change.py`" in fix
    )


def test_sql_of_this_branch_and_of_a_plan_as_markdown(repo, cli, database, monkeypatch):
    migrate(repo, database)
    monkeypatch.setenv("DATABASE_URL", database.url)
    before = tree_state(repo)
    preview = cli(
        repo,
        "remove-field",
        "sentry.Project.template_version",
        "--phase",
        "1",
        "--dry-run",
        "--sql",
        "--format",
        "markdown",
    )
    assert preview.code == 0, preview.err
    assert "### SQL of the planned migrations" in preview.out and f"#### `{PENDING}`" in preview.out
    assert "```diff\n--- a/src/sentry/models/project.py" in preview.out
    assert tree_state(repo) == before, "a dry run writes nothing, whatever its format"
    with git.Repo(repo) as handle:
        handle.git.checkout("-b", "cleanup")
    assert cli(repo, "remove-field", "sentry.Project.template_version", "--phase", "1").code == 0
    with git.Repo(repo) as handle:
        handle.git.add(all=True)
        handle.index.commit("phase 1")
    result = cli(repo, "sqlmigrate", "--format", "markdown")
    assert result.code == 0, result.err
    blocks = result.out.split("#### ")
    assert blocks[0].strip() == "### SQL of this branch's migrations"
    assert [block.splitlines()[0] for block in blocks[1:]] == [f"`{PENDING}`"], "only what this branch adds"
    assert "```sql\n" in blocks[1] and "Moved project.template_version field to pending deletion state" in blocks[1]
    with git.Repo(repo) as handle:
        handle.git.checkout("main")
    assert cli(repo, "sqlmigrate", "--format", "markdown").out.strip().endswith("No new migrations.")
    assert cli(repo, "sqlmigrate", "sentry").code == 2
