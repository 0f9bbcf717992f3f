"""Every plan is checked before it is shown, and --verify asks Django before anything is written."""

import subprocess
import sys
import sysconfig

import pytest

from migrate_assistant.errors import AssistantError
from migrate_assistant.plan import FileEdit, Plan
from migrate_assistant.plan_check import check_plan_compiles

from .conftest import tree_state


def test_a_plan_that_would_write_python_that_does_not_compile_is_an_internal_error():
    good = FileEdit("src/app/models.py", "x = 1\n", "x = 2\n")
    bad = FileEdit("src/app/migrations/0002_x.py", None, "def class():\n    pass\n")
    check_plan_compiles(Plan("fine", [], 0, [good, FileEdit("notes.txt", None, "def (")]))
    with pytest.raises(AssistantError, match=r"internal error: the plan would write src/app/migrations/0002_x.py:1"):
        check_plan_compiles(Plan("broken", [], 0, [good, bad]))


def test_verify_that_cannot_run_writes_nothing(repo, cli):
    path = repo / "pyproject.toml"
    path.write_text(
        path.read_text().replace('django-command = "python manage.py"', 'django-command = "nonexistent-binary x"')
    )
    before = tree_state(repo)
    result = cli(repo, "add-field", "sentry.Team.tier", "models.IntegerField(null=True)", "--verify")
    assert result.code == 1
    assert "cannot run nonexistent-binary x check: nonexistent-binary was not found" in result.err
    assert tree_state(repo) == before


def test_verify_runs_djangos_system_check_before_writing(repo, cli):
    team = repo / "src/sentry/models/team.py"
    # A clash Django's check reports (fields.E304-style reverse accessor clash), written by hand.
    team.write_text(
        team.read_text().replace("    name = ", '    org = FlexibleForeignKey("sentry.Organization")\n    name = ', 1)
    )
    before = tree_state(repo)
    result = cli(repo, "add-index", "sentry.Team", "name", "--verify")
    assert result.code == 1
    assert "Django's check disagrees with the plan, so nothing was written" in result.err
    assert "fields.E304" in result.err
    assert tree_state(repo) == before


def test_verify_runs_django_in_the_environment_python_path_names(repo, cli, tmp_path):
    """``python`` in django-command is the interpreter of the virtualenv whose site-packages is in python-path:
    the project's dependencies are installed there, not next to migrate-assistant."""
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    site = next(env.glob("lib/python3*/site-packages"))
    (site / "tool.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")  # Django, from the tool's environment
    (site / "project_only_dependency.py").write_text("")
    settings = repo / "src/sentry/conf/settings.py"
    settings.write_text("import project_only_dependency  # noqa: F401\n" + settings.read_text())
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + f'python-path = ["{site}"]\n')
    subprocess.run(["git", "commit", "-qam", "a dependency of its own"], cwd=repo, check=True)
    result = cli(repo, "add-field", "sentry.Team.tier", "models.IntegerField(null=True)", "--verify")
    assert result.code == 0, result.err
    assert "verified: Django's check and makemigrations --check agree with the plan" in result.out
