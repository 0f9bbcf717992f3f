"""Bad input to the commands a review found wanting: one clear message, exit 1 (usage errors 2), no traceback,
no file changed."""

import pytest

from migrate_assistant.cli import main

from .conftest import tree_state


def refused(repo, cli, *args, code: int = 1) -> str:
    before = tree_state(repo)
    result = cli(repo, *args)
    assert result.code == code, (result.out, result.err)
    assert "Traceback" not in result.err and result.out == ""
    assert tree_state(repo) == before
    return result.err


def test_repo_is_taken_after_the_command_too(repo, capsys):
    """The README says every command takes --repo DIR: also where users type it, after the command."""
    code = main(["status", "--repo", str(repo)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith(f"Repository: {repo} (Sentry-style)")
    code = main(["state", "sentry.Team", "--format", "json", "--repo", str(repo)])
    assert code == 0 and '"Team"' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        ("sentry.", "malformed selector 'sentry.': expected APP or APP.Model"),
        (".x", "malformed selector '.x': expected APP or APP.Model"),
        ("sentry.Project.name", "malformed selector 'sentry.Project.name': expected APP or APP.Model"),
        ("sentry.Pro ject", "'Pro ject' is not a valid model name"),
    ],
)
def test_state_refuses_malformed_selectors(repo, cli, selector, message):
    assert message in refused(repo, cli, "state", selector)


@pytest.mark.parametrize(
    ("migration", "message"),
    [
        ("00", "app 'sentry' has several migrations named 00*: 0001_squashed_0004_add_project_flags, 0005_environment"),
        ("", "app 'sentry' has several migrations named *"),
    ],
)
def test_sqlmigrate_refuses_an_ambiguous_migration_before_running_django(repo, cli, migration, message):
    err = refused(repo, cli, "sqlmigrate", "sentry", migration)
    assert message in err and "be more specific" in err
    assert "CommandError" not in err, "said before Django is run"


def test_sqlmigrate_refuses_a_broken_graph_naming_the_file_and_line(repo, cli):
    path = repo / "src/sentry/migrations/0007_organization_default_role_pending.py"
    path.write_text(path.read_text().replace('"0006_projectbookmark"', '"0006_nope"'))
    err = refused(repo, cli, "sqlmigrate", "sentry", "0006")
    assert "the migration graph is broken" in err
    assert "src/sentry/migrations/0007_organization_default_role_pending.py:" in err and "0006_nope" in err
    assert "NodeNotFoundError" not in err


def test_djangos_own_errors_keep_the_file_and_line(repo, cli):
    """A models module Django cannot import (the static reader of sqlmigrate's migration does not need it)."""
    path = repo / "src/sentry/models/team.py"
    path.write_text(path.read_text() + "\ndef broken(:\n")
    err = refused(repo, cli, "sqlmigrate", "uptime", "0002")
    assert "sqlmigrate uptime 0002 failed" in err and "\nsrc/sentry/models/team.py:" in err
    assert "SyntaxError" in err


def test_fix_lockfile_refuses_a_broken_graph_naming_it(repo, cli):
    path = repo / "src/sentry/migrations/0007_organization_default_role_pending.py"
    path.write_text(path.read_text().replace('"0006_projectbookmark"', '"0006_nope"'))
    err = refused(repo, cli, "fix-lockfile", "--dry-run")
    assert "the migration graph is broken" in err and "0007_organization_default_role_pending.py:" in err
    assert "several leaves" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("add-field", "sentry.Organization.project_set", "models.TextField(null=True)"),
            "'project_set' is the reverse accessor sentry.Project.organization gives sentry.Organization (fields.E302)",
        ),
        (
            ("add-field", "sentry.Project.environment_set", "models.TextField(null=True)"),
            "'environment_set' is the reverse accessor sentry.Environment.projects gives sentry.Project",
        ),
        (
            ("rename-field", "sentry.Project.slug", "projectteam"),
            "'projectteam' is the reverse query name sentry.ProjectTeam.project gives sentry.Project (fields.E303)",
        ),
        (
            ("rename-field", "sentry.Project.slug", "projectbookmark_set"),
            "'projectbookmark_set' is the reverse accessor sentry.ProjectBookmark.project gives sentry.Project",
        ),
    ],
)
def test_new_field_names_that_clash_with_reverse_relations(repo, cli, args, message):
    assert message in refused(repo, cli, *args)


def test_a_name_taken_in_another_case_names_the_field_that_has_it(repo, cli):
    err = refused(repo, cli, "add-field", "sentry.Project.Name", "models.TextField(null=True)")
    assert "sentry.Project already has a field or attribute named name (names differing only in case clash" in err


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('"0006_projectbookmark"', '"0006_nope"', "0007_organization_default_role_pending.py:24: dependency"),
        ("class Migration(", "class Migration((", "0007_organization_default_role_pending.py:"),
    ],
)
def test_check_on_a_broken_graph_reports_it_not_the_leaves_it_seems_to_have(repo, cli, old, new, problem):
    path = repo / "src/sentry/migrations/0007_organization_default_role_pending.py"
    path.write_text(path.read_text().replace(old, new))
    result = cli(repo, "check")
    assert result.code == 1
    assert problem in result.out and "(the migration graph cannot be loaded)" in result.out
    assert "MA017" not in result.out, "two leaves only because the graph is broken: Django never gets that far"


@pytest.mark.parametrize("command", ["fix-migration", "check"])
def test_a_directory_given_as_a_migration_is_named_as_one(repo, cli, command):
    err = refused(repo, cli, command, "src/sentry/migrations", code=2)
    assert "src/sentry/migrations: a directory, not a migration file" in err and "no such file" not in err


def test_a_model_renamed_so_its_reverse_names_take_a_field_of_its_target(repo, cli):
    err = refused(repo, cli, "rename-model", "sentry.Team", "Slug")
    assert (
        "renamed Slug, sentry.Team.organization would give sentry.Organization the reverse query name 'slug', "
        "the name of one of its fields (fields.E303)"
    ) in err


def test_sqlmigrate_of_this_branch_without_git_is_a_usage_error(repo, cli):
    import shutil

    shutil.rmtree(repo / ".git")
    err = refused(repo, cli, "sqlmigrate", code=2)
    assert "is not a git repository, so there is no branch to compare with the main branch" in err
    assert "migrate-assistant sqlmigrate APP MIGRATION" in err


def test_a_syntax_error_names_the_file_from_the_repository(repo, cli):
    models = repo / "src/sentry/models/team.py"
    models.write_text(models.read_text() + "\ndef broken(:\n")
    err = refused(repo, cli, "remove-field", "sentry.Team.slug", "--phase", "1")
    assert err.startswith("migrate-assistant: src/sentry/models/team.py:") and "syntax error" in err
    assert str(repo) not in err


def test_demo_refuses_repo_rather_than_ignore_it(tmp_path, capsys):
    code = main(["--repo", str(tmp_path), "demo", str(tmp_path / "sample"), "--no-tui"])
    err = capsys.readouterr().err
    assert code == 2 and "demo creates a new repository: name it as DIR" in err
    assert not (tmp_path / "sample").exists()


def test_a_missing_parent_in_another_app_hides_no_second_leaf(repo, cli):
    """Only a missing parent in the app itself makes a leaf that is not one: a real second leaf is still found."""
    migrations = repo / "src/sentry/migrations"
    (migrations / "0008_second_leaf.py").write_text(
        "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
        '    dependencies = [("sentry", "0006_projectbookmark"), ("uptime", "0009_nope")]\n'
        "    operations = []\n"
    )
    result = cli(repo, "check")
    assert "dependency uptime.0009_nope does not exist" in result.out
    assert "MA017" in result.out and "app sentry has 2 leaves" in result.out
