"""What Django's system checks read (issue 12): admin options, inlines, ModelForm Meta, lookups through
relations and other models' Meta.ordering block a removal before anything is written; a rename rewrites
the admin's string literals and Django's check agrees."""

import shutil
import subprocess
import sys
from pathlib import Path

import django
import pytest

from .conftest import tree_state

ADMIN = "src/sentry/admin.py"
ADMIN_HEAD = "from django import forms\nfrom django.contrib import admin\n\nfrom sentry.models.project import Project\n"
CASES = {
    "decorator-list-display": (
        "@admin.register(Project)\nclass ProjectAdmin(admin.ModelAdmin):\n    list_display = ('name', 'platform')\n",
        "sentry.Project.platform",
        "src/sentry/admin.py:9 ProjectAdmin.list_display 'platform'",
    ),
    "site-register-list-filter": (
        "class ProjectAdmin(admin.ModelAdmin):\n    list_filter = ['status', ('platform', admin.AllValuesFieldListFilter)]\n\n\n"
        "admin.site.register(Project, ProjectAdmin)\n",
        "sentry.Project.platform",
        "src/sentry/admin.py:8 ProjectAdmin.list_filter 'platform'",
    ),
    "inherited-option": (
        "class Base(admin.ModelAdmin):\n    ordering = ('-first_event',)\n\n\n"
        "@admin.register(Project)\nclass ProjectAdmin(Base):\n    pass\n",
        "sentry.Project.first_event",
        "src/sentry/admin.py:8 Base.ordering (inherited by ProjectAdmin) '-first_event'",
    ),
    "fieldsets-and-prepopulated": (
        "@admin.register(Project)\nclass ProjectAdmin(admin.ModelAdmin):\n"
        "    fieldsets = ((None, {'fields': ('name', ('slug', 'platform'))}),)\n"
        "    prepopulated_fields = {'slug': ('platform',)}\n",
        "sentry.Project.platform",
        "src/sentry/admin.py:9 ProjectAdmin.fieldsets 'platform'; src/sentry/admin.py:10 ProjectAdmin.prepopulated_fields 'platform'",
    ),
    "inline-model": (
        "class ProjectInline(admin.TabularInline):\n    model = Project\n    readonly_fields = ('platform',)\n",
        "sentry.Project.platform",
        "src/sentry/admin.py:9 ProjectInline.readonly_fields 'platform'",
    ),
    "model-form-meta": (
        "class ProjectForm(forms.ModelForm):\n    class Meta:\n        model = Project\n"
        "        fields = ['name', 'platform']\n",
        "sentry.Project.platform",
        "src/sentry/admin.py:10 Meta.fields 'platform'",
    ),
    "lookup-through-a-relation": (
        "@admin.register(Project)\nclass ProjectAdmin(admin.ModelAdmin):\n"
        "    search_fields = ('name', '^organization__name')\n",
        "sentry.Organization.name",
        "src/sentry/admin.py:9 ProjectAdmin.search_fields '^organization__name'",
    ),
    "computed-option": (
        "def columns():\n    return ('name',)\n\n\n@admin.register(Project)\nclass ProjectAdmin(admin.ModelAdmin):\n"
        "    list_display = columns()\n",
        "sentry.Project.platform",
        "src/sentry/admin.py:13 ProjectAdmin.list_display cannot be read statically (columns() is computed at run time)",
    ),
}


def commit(repo: Path, message: str) -> None:
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", message], cwd=repo, check=True)


def add_admin(repo: Path, body: str) -> None:
    (repo / ADMIN).write_text(ADMIN_HEAD + "\n\n" + body)
    commit(repo, "admin")


@pytest.mark.parametrize("case", sorted(CASES))
def test_removal_refused_naming_the_use(repo, cli, case):
    body, target, shown = CASES[case]
    add_admin(repo, body)
    before = tree_state(repo)
    result = cli(repo, "remove-field", target, "--phase", "1")
    assert result.code == 1, result.out
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("migrate-assistant: "), result.err
    assert f"removing {target} would break the admin options, Meta fields and orderings that name it: " in result.err
    assert shown in result.err
    assert "take the field out of these first" in result.err
    assert tree_state(repo) == before


def test_a_method_of_the_admin_and_other_register_calls_are_no_uses(repo, cli):
    add_admin(
        repo,
        "@admin.register(Project)\nclass ProjectAdmin(admin.ModelAdmin):\n    list_display = ('name', 'platform')\n\n"
        "    def platform(self, obj):\n        return 'python'\n\n\n"
        "def sample_check(app_configs, **kwargs):\n    return []\n\n\n"
        "from django.core import checks\n\nchecks.register(sample_check, checks.Tags.models)\n\n\n"
        "class Router:\n    def register(self, prefix, viewset):\n        pass\n\n\n"
        "class ProjectViewSet:\n    ordering = ('platform',)\n\n\nRouter().register('projects', ProjectViewSet)\n",
    )
    result = cli(repo, "remove-field", "sentry.Project.platform", "--phase", "1")
    assert result.code == 0, result.err


def test_remove_model_refused_while_registered(repo, cli):
    (repo / ADMIN).write_text(
        "from django.contrib import admin\n\nfrom sentry.models.projectbookmark import ProjectBookmark\n\n"
        "admin.site.register(ProjectBookmark)\n"
    )
    commit(repo, "admin")
    before = tree_state(repo)
    result = cli(repo, "remove-model", "sentry.ProjectBookmark", "--phase", "1")
    assert result.code == 1, result.out
    assert (
        "removing sentry.ProjectBookmark would break the admin registrations or classes that name it: "
        "src/sentry/admin.py:5: remove those first" in result.err
    )
    assert tree_state(repo) == before


ADMIN_SETTINGS = """
INSTALLED_APPS += ["django.contrib.admin", "django.contrib.sessions", "django.contrib.messages"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
"""


def test_rename_rewrites_the_admin_and_django_agrees(repo, cli):
    settings = repo / "src/sentry/conf/settings.py"
    settings.write_text(settings.read_text() + ADMIN_SETTINGS)
    add_admin(
        repo,
        "@admin.register(Project)\nclass ProjectAdmin(admin.ModelAdmin):\n"
        "    list_display = ('name', \"platform\")\n    list_filter = ('platform', 'organization__slug')\n"
        "    ordering = ['-platform']\n    search_fields = ['=platform']\n",
    )
    check = [sys.executable, "manage.py", "check"]
    assert subprocess.run(check, cwd=repo, capture_output=True, text=True).returncode == 0
    result = cli(repo, "rename-field", "sentry.Project.platform", "runtime")
    assert result.code == 0, result.err
    text = (repo / ADMIN).read_text()
    assert "list_display = ('name', \"runtime\")" in text
    assert "list_filter = ('runtime', 'organization__slug')" in text
    assert "ordering = ['-runtime']" in text and "search_fields = ['=runtime']" in text
    after = subprocess.run(check, cwd=repo, capture_output=True, text=True)
    assert after.returncode == 0, after.stdout + after.stderr


def test_rename_refused_for_another_models_ordering(repo, cli):
    """Django's own contrib: auth.Permission's Meta.ordering uses ``content_type__app_label`` (models.E015)."""
    contrib = contrib_repo(repo.parent / "contrib")
    before = tree_state(contrib)
    for args in (
        ("remove-field", "contenttypes.ContentType.app_label", "--phase", "1"),
        ("rename-field", "contenttypes.ContentType.app_label", "label"),
    ):
        result = cli(contrib, *args)
        assert result.code == 1, result.out
        assert "django/contrib/auth/models.py:" in result.err
        assert "auth.Permission.Meta.ordering 'content_type__app_label'" in result.err
    assert tree_state(contrib) == before


def contrib_repo(root: Path) -> Path:
    """Django's own package as a repository (as the corpus's ``contrib`` project has it)."""
    source = Path(django.__file__).parent
    shutil.copytree(source, root / "django", ignore=shutil.ignore_patterns("locale", "static", "*.pyc", "__pycache__"))
    (root / "pyproject.toml").write_text("[tool.migrate-assistant]\n")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    commit(root, "django")
    return root


def test_rename_model_keeps_the_admins_import_and_django_agrees(repo, cli):
    settings = repo / "src/sentry/conf/settings.py"
    settings.write_text(settings.read_text() + ADMIN_SETTINGS)
    (repo / ADMIN).write_text(
        "from django.contrib import admin\n\nfrom sentry.models.team import Team\n\n\n"
        "@admin.register(Team)\nclass TeamAdmin(admin.ModelAdmin):\n    list_display = ('name', 'slug')\n"
    )
    commit(repo, "admin")
    result = cli(repo, "rename-model", "sentry.Team", "Squad")
    assert result.code == 0, result.err
    assert "from sentry.models.team import Squad as Team\n" in (repo / ADMIN).read_text()
    assert "src/sentry/admin.py:6: @admin.register(Team)" in result.out + result.err
    check = subprocess.run([sys.executable, "manage.py", "check"], cwd=repo, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
