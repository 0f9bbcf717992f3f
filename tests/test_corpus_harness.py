"""The corpus harness itself (tests/corpus/): Django's dumper on the sample repository, and the comparison rules.

The corpus run (real PyPI projects, ``tests/corpus/run.py``) is a CI step of its own, beside the test suite.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"corpus_{name}", CORPUS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


compare_module = _load("compare")


@pytest.fixture(scope="module")
def django_view(sample_template, tmp_path_factory) -> dict:
    """Django's view of the sample repository, dumped once by the corpus dumper (real Django, a subprocess)."""
    tmp_path = tmp_path_factory.mktemp("django-view")
    out = tmp_path / "django.json"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    completed = subprocess.run(
        [
            sys.executable,
            str(CORPUS / "django_state.py"),
            str(sample_template / "src"),
            "sentry.conf.settings",
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(out.read_text())


def _as_ours(django_view: dict) -> dict:
    """Django's view as ``state --format json`` would print it if it agreed exactly."""
    apps = copy.deepcopy(django_view["apps"])
    for app in apps.values():
        app.update(pending_deletions=[], unreadable=[])
    return {"apps": apps}


def test_django_view_of_the_sample_repository(django_view):
    apps = django_view["apps"]
    assert sorted(apps) == ["hybridcloud", "sentry", "uptime"]  # django.contrib's apps live outside the tree
    assert apps["sentry"]["leaves"] == ["0007_organization_default_role_pending"]
    organization = apps["sentry"]["models"]["Organization"]
    assert organization["table"] == "sentry_organization"
    assert "default_role" not in organization["fields"]  # SafeRemoveField(MOVE_TO_PENDING) left the state
    assert apps["sentry"]["models"]["ProjectTeam"]["fields"]["project"] == {
        "class": "FlexibleForeignKey",
        "column": "project_id",
        "null": False,
        "db_constraint": True,
        "to": "sentry.project",
        "primary_key": False,
        "many_to_many": False,
    }
    projects = apps["sentry"]["models"]["Environment"]["fields"]["projects"]
    assert projects["many_to_many"] and projects["column"] is None and projects["to"] == "sentry.project"
    assert apps["sentry"]["models"]["ProjectTeam"]["fields"]["id"]["primary_key"] is True
    # Which files touch each model and field ("the same file" of a declared difference), Safe* operations too.
    assert django_view["touched"]["sentry"]["organization"]["default_role"] == [
        "sentry/migrations/0001_squashed_0004_add_project_flags.py",
        "sentry/migrations/0007_organization_default_role_pending.py",
    ]


def test_identical_views_compare_equal(django_view):
    result = compare_module.compare(_as_ours(django_view), django_view)
    counts = result["counts"]
    assert result["differences"] == []
    assert counts["models"] == counts["models_equal"] == 12
    assert counts["fields"] == counts["fields_equal"] > 50
    assert counts["silent"] == counts["declared"] == 0


def test_a_wrong_answer_is_silent_unless_declared(django_view, sample_template):
    django = django_view
    ours = _as_ours(django)
    sentry = ours["apps"]["sentry"]
    sentry["models"]["ProjectTeam"]["fields"]["project"]["to"] = "sentry.organization"
    del sentry["models"]["Team"]
    sentry["leaves"] = ["0006_projectbookmark"]
    result = compare_module.compare(ours, django)
    assert result["counts"]["silent"] == 3 and result["counts"]["declared"] == 0
    report = compare_module.format_report("sample", result)
    assert 'sentry.ProjectTeam.project: to: ours "sentry.organization" vs Django\'s "sentry.project" (SILENT)' in report
    assert 'sentry.Team: model: ours "<missing>" vs Django\'s "present" (SILENT)' in report
    assert "sentry: leaves" in report

    # Declared: the why names the model, or the file named mentions it; an app's leaves by anything in the app.
    squashed = "src/sentry/migrations/0001_squashed_0004_add_project_flags.py"  # creates Team
    sentry["unreadable"] = [
        {"file": "src/sentry/migrations/0005_environment.py", "line": 9, "why": "ProjectTeam: `to` is computed"},
        {"file": squashed, "line": 3, "why": "operations built at run time"},
    ]
    result = compare_module.compare(ours, django, sample_template)
    by_where = {difference["where"]: difference["declared_by"] for difference in result["differences"]}
    assert by_where == {
        "sentry.ProjectTeam.project": "src/sentry/migrations/0005_environment.py:9: ProjectTeam: `to` is computed",
        "sentry.Team": f"{squashed}:3: operations built at run time",
        "sentry": "src/sentry/migrations/0005_environment.py:9: ProjectTeam: `to` is computed",
    }
    assert result["counts"]["silent"] == 0 and result["counts"]["declared"] == 3


def test_an_unreadable_entry_elsewhere_declares_nothing(django_view, sample_template):
    django = django_view
    ours = _as_ours(django)
    slug = ours["apps"]["sentry"]["models"]["Project"]["fields"]["slug"]
    slug["null"] = not slug["null"]
    ours["apps"]["uptime"]["unreadable"] = [{"file": "x.py", "line": 1, "why": "something in uptime"}]  # other app
    ours["apps"]["sentry"]["unreadable"] = [{"file": "y.py", "line": 2, "why": "Team's operations are computed"}]
    result = compare_module.compare(ours, django, sample_template)
    assert result["counts"] == {
        "apps": 3,
        "models": 12,
        "models_equal": 11,
        "fields": result["counts"]["fields_equal"] + 1,
        "fields_equal": result["counts"]["fields"] - 1,
        "declared": 0,
        "silent": 1,
    }


def test_state_agrees_with_django_on_the_sample_repository(django_view, repo, cli):
    result = cli(repo, "state", "--format", "json")
    assert result.code == 0, result.err
    comparison = compare_module.compare(json.loads(result.out), django_view, repo)
    assert comparison["counts"]["silent"] == 0, compare_module.format_report("sample", comparison)
    assert comparison["counts"]["models_equal"] == 12


def test_our_json_must_keep_the_schema(django_view):
    ours = _as_ours(django_view)
    assert compare_module.compare(ours, django_view)["counts"]["silent"] == 0
    sentry = ours["apps"]["sentry"]
    sentry["models"]["Team"]["fields"]["slug"]["null"] = 0  # not a bool
    del sentry["models"]["Team"]["fields"]["name"]["to"]
    sentry["unreadable"] = [{"file": "x.py", "line": "3", "why": "?"}]
    problems = compare_module.schema_problems(ours)
    assert problems == [
        ("sentry unreadable", "wrong type of line"),
        (
            "sentry.Team.name",
            "keys ['class', 'column', 'db_constraint', 'many_to_many', 'null', 'primary_key'], "
            "expected ['class', 'column', 'db_constraint', 'many_to_many', 'null', 'primary_key', 'to']",
        ),
        ("sentry.Team.slug", "wrong type of null"),
    ]
    assert compare_module.compare(ours, django_view)["counts"]["silent"] >= 3


def test_sweep_samples_fields_and_models_app_by_app_in_a_fixed_order():
    sweep = _load("sweep")
    field = {"class": "CharField", "primary_key": False}
    state = {
        "apps": {
            "shop": {
                "models": {
                    "Order": {"fields": {"id": {"primary_key": True}, "total": field, "note": field}},
                    "OrderProxy": {"fields": {}},  # a proxy: no fields of its own
                }
            },
            "blog": {"models": {"Post": {"fields": {"title": field}}}},
        }
    }
    cases = sweep.sample_cases(state)
    assert cases == [
        ["remove-field", "blog.Post.title", "--phase", "1"],
        ["remove-field", "shop.Order.total", "--phase", "1"],
        ["remove-field", "shop.Order.note", "--phase", "1"],
        ["rename-field", "blog.Post.title", "title_renamed"],
        ["rename-field", "shop.Order.total", "total_renamed"],
        ["remove-model", "blog.Post", "--phase", "1"],
        ["remove-model", "shop.Order", "--phase", "1"],
        ["add-field", "blog.Post.sweep_added", "models.IntegerField(null=True)"],
        ["add-field", "shop.Order.sweep_added", "models.IntegerField(null=True)"],
    ]
    assert sweep.FORBIDDEN.search("operations = [SafeRemoveField(...)]")
    assert not sweep.FORBIDDEN.search("migrations.RemoveField(model_name='post', name='title')")
