"""Bad input: one clear message, exit 1 (usage errors 2), no traceback, no file changed."""

import pytest

from .conftest import tree_state

REMOVE = ("remove-field",)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("remove-field", "nope.Project.status", "--phase", "1"),
            1,
            "unknown app 'nope' (apps with migrations: hybridcloud, sentry, uptime)",
        ),
        (
            ("remove-field", "sentry.Projet.status", "--phase", "1"),
            1,
            "unknown model 'Projet' in app 'sentry' (did you mean Project",
        ),
        (
            ("remove-field", "sentry.Project.stauts", "--phase", "1"),
            1,
            "unknown field 'stauts' on sentry.Project (did you mean status",
        ),
        (
            ("remove-field", "sentry.Project", "--phase", "1"),
            1,
            "malformed target 'sentry.Project': expected APP.Model.field",
        ),
        (("remove-field", "sentry.Project.status.x", "--phase", "1"), 1, "malformed target"),
        (("remove-field", "sentry..status", "--phase", "1"), 1, "malformed target"),
        (("remove-field", "sentry.Project.9lives", "--phase", "1"), 1, "'9lives' is not a valid field name"),
        (("remove-field", "sentry.Project.class", "--phase", "1"), 1, "'class' is a Python keyword"),
        (("remove-field", "sentry.Project.status", "--phase", "1", "--name", "0008_x y"), 1, "invalid migration name"),
        (
            ("remove-field", "sentry.Project.status", "--phase", "2"),
            1,
            "sentry.Project.status is not pending deletion: run phase 1 first",
        ),
        (
            ("remove-field", "sentry.Organization.default_role", "--phase", "1"),
            1,
            "already pending deletion (moved by sentry/0007_organization_default_role_pending)",
        ),
        (
            ("remove-field", "sentry.Organization.nothing", "--phase", "2"),
            1,
            "is not a field pending deletion (pending in sentry: sentry.Organization.default_role)",
        ),
        (
            ("remove-field", "sentry.EnvironmentProject.project", "--phase", "1"),
            1,
            "is used by the ManyToManyField sentry.Environment.projects (through sentry.EnvironmentProject)",
        ),
        (("remove-field", "sentry.Project.id", "--phase", "1"), 1, "inherited from the abstract model Model"),
        (("remove-field", "sentry.Project.status"), 2, "the following arguments are required: --phase"),
        (("remove-field", "sentry.Project.status", "--phase", "3"), 2, "invalid choice: 3"),
        (("remove-field", "--phase", "1"), 2, "the following arguments are required: APP.Model.field"),
        (("frobnicate",), 2, "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_arguments(repo, cli, args, code, message):
    before = tree_state(repo)
    result = cli(repo, *args)
    assert result.code == code
    assert message in result.err
    assert "Traceback" not in result.err and result.out == ""
    assert tree_state(repo) == before


def refused(repo, cli, *args) -> str:
    before = tree_state(repo)
    result = cli(repo, *args)
    assert result.code == 1, result.out
    assert "Traceback" not in result.err
    assert tree_state(repo) == before
    return result.err


def test_syntax_error_in_the_models_module(repo, cli):
    path = repo / "src/sentry/models/project.py"
    path.write_text(path.read_text() + "\ndef broken(:\n")
    err = refused(repo, cli, *REMOVE, "sentry.Project.status", "--phase", "1")
    assert "src/sentry/models/project.py:" in err and "syntax error" in err


def test_syntax_error_in_a_migration(repo, cli):
    path = repo / "src/sentry/uptime/migrations/0002_uptimeregion.py"
    path.write_text("class Migration(:\n")
    err = refused(repo, cli, *REMOVE, "sentry.Project.status", "--phase", "1")
    assert "0002_uptimeregion.py:1" in err and "syntax error" in err


def test_lockfile_with_conflict_markers(repo, cli):
    path = repo / "migrations_lockfile.txt"
    path.write_text(
        path.read_text().replace(
            "uptime: 0002_uptimeregion", "<<<<<<< HEAD\nuptime: 0002_a\n=======\nuptime: 0002_b\n>>>>>>> theirs"
        )
    )
    assert "has conflict markers" in refused(repo, cli, *REMOVE, "sentry.Project.status", "--phase", "1")


def test_several_leaves(repo, cli):
    folder = repo / "src/sentry/migrations"
    source = (folder / "0007_organization_default_role_pending.py").read_text()
    (folder / "0007_other_branch.py").write_text(source)
    assert "app 'sentry' has 2 leaf migrations" in refused(repo, cli, *REMOVE, "sentry.Project.status", "--phase", "1")


def test_field_without_migration(repo, cli):
    path = repo / "src/sentry/models/project.py"
    path.write_text(
        path.read_text().replace(
            "    date_added =", "    added_later = models.IntegerField(null=True)\n    date_added ="
        )
    )
    assert "is in the model but not in the migrations" in refused(
        repo, cli, *REMOVE, "sentry.Project.added_later", "--phase", "1"
    )


def test_folder_that_is_no_django_repository(tmp_path, cli):
    (tmp_path / "readme.txt").write_text("hello")
    result = cli(tmp_path, "status")
    assert result.code == 1
    assert "is not a Django repository: no app with a migrations/ package was found" in result.err
    assert [p.name for p in tmp_path.iterdir()] == ["readme.txt"]


def test_the_assistant_in_a_folder_that_is_no_django_repository_exits_before_opening(tmp_path, cli):
    import gc

    before = gc.get_threshold()
    result = cli(tmp_path)
    assert result.code == 1 and "is not a Django repository" in result.err and not result.out
    assert gc.get_threshold() == before  # the rare collections of the start are put back


def test_missing_repo_directory(tmp_path, cli):
    result = cli(tmp_path / "missing", "status")
    assert result.code == 2 and "no such directory" in result.err


def test_unknown_configuration_key(repo, cli):
    path = repo / "pyproject.toml"
    path.write_text(path.read_text() + 'lockfiel = "x"\n')
    assert "unknown key(s) in [tool.migrate-assistant]: lockfiel" in refused(repo, cli, "status")


def test_invalid_configuration_toml(repo, cli):
    (repo / "pyproject.toml").write_text("[tool.migrate-assistant\n")
    assert "not valid TOML" in refused(repo, cli, "status")


def test_nested_repositories_are_other_projects(sample_template, tmp_path, cli):
    import shutil

    shutil.copytree(sample_template, tmp_path / "projects" / "sentry", symlinks=True)
    result = cli(tmp_path / "projects", "status")
    assert result.code == 1 and "is not a Django repository" in result.err
