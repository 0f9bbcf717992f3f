"""The core never imports Textual; commands import only what they need."""

import subprocess
import sys

import pytest

CORE_MODULES = [
    "migrate_assistant",
    "migrate_assistant.cli",
    "migrate_assistant.project",
    "migrate_assistant.index",
    "migrate_assistant.migration_state",
    "migrate_assistant.apply",
    "migrate_assistant.codemods.model_class",
    "migrate_assistant.recipes.remove_field",
]


def imported_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_and_recipes_never_import_textual(module):
    modules = imported_after(f"import {module}")
    assert not {m for m in modules if m.split(".")[0] == "textual"}
    assert "migrate_assistant.screens" not in modules


def test_status_command_imports_no_textual_django_libcst_or_git(repo):
    modules = imported_after(
        f"from migrate_assistant.cli import main\nimport contextlib, io\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n    main(['--repo', {str(repo)!r}, 'status'])"
    )
    for heavy in ("textual", "django", "libcst", "git"):
        assert heavy not in modules, heavy


def test_state_command_imports_no_textual_django_libcst_or_git(repo):
    modules = imported_after(
        f"from migrate_assistant.cli import main\nimport contextlib, io\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n    main(['--repo', {str(repo)!r}, 'state', '--format', 'json'])"
    )
    assert "migrate_assistant.state_report" in modules
    for heavy in ("textual", "django", "libcst", "git"):
        assert heavy not in modules, heavy


def test_a_recipe_dry_run_imports_libcst_but_not_textual_or_django(repo):
    modules = imported_after(
        "from migrate_assistant.cli import main\nimport contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['--repo', {str(repo)!r}, 'remove-field', 'sentry.Project.status', '--phase', '1', '--dry-run'])"
    )
    assert "libcst" in modules
    assert "textual" not in modules and "django" not in modules
