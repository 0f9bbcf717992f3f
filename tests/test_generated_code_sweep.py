"""The generated-code sweep (issue 12): every recipe that applies to every model and field of the
sample repository is planned, and each plan is applied to a linked scratch copy where Django's
``check`` and ``makemigrations --check`` run. Each case must be refused with a message or end
clean; none may write code Django rejects.

The cases are split into shards so pytest-xdist runs them in parallel; every case runs: 198 cases,
18 refused with a message, 180 clean (about 2 minutes of CPU)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from migrate_assistant.errors import AssistantError
from migrate_assistant.project import discover
from migrate_assistant.sql_preview import scratch_copy

SHARDS = 4
EXPRESSIONS = (
    "models.IntegerField(null=True)",
    'models.CharField(max_length=32, db_default="x")',
    "models.DecimalField(max_digits=5, decimal_places=2, null=True)",
    'models.ForeignKey("sentry.Organization", null=True, on_delete=models.SET_NULL)',
    'FlexibleForeignKey("self", null=True)',
)
DJANGO_AGREES = """
import os, sys
sys.path.insert(0, "src")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentry.conf.settings")
import django
django.setup()
from django.core.management import call_command
call_command("check", fail_level="ERROR")
call_command("makemigrations", check=True, dry_run=True, interactive=False, verbosity=0)
"""


def sweep_cases(project) -> list[tuple[str, str, tuple]]:
    """(recipe module, function, arguments) for every model and field of the project."""
    cases = []
    for app_label, models in sorted(project.index.models.items()):
        for model in sorted(models, key=lambda m: m.name):
            state = project.index.model_state(app_label, model.name) if model.concrete else None
            if state is None:
                continue
            label = f"{app_label}.{model.name}"
            cases.append(("remove_model", "plan_remove_models", ([label], 1)))
            cases.append(("rename_model", "plan_rename_model", (label, f"{model.name}Renamed")))
            columns = [field.name for field in state.fields.values() if not field.is_many_to_many]
            cases.append(("add_index", "plan_add_index", (label, columns[-1:])))
            for expression in EXPRESSIONS:
                cases.append(("add_field", "plan_add_field", (f"{label}.added", expression)))
            for name in model.fields:
                cases.append(("remove_field", "plan_remove_fields", ([f"{label}.{name}"], 1)))
                cases.append(("rename_field", "plan_rename_field", (f"{label}.{name}", f"{name}_renamed")))
    return cases


def django_agrees(project, plan, tmp_path) -> tuple[bool, str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'sweep.sqlite3'}"}
    with scratch_copy(project, plan) as copy:
        result = subprocess.run(
            [sys.executable, "-c", DJANGO_AGREES], cwd=copy.root, env=env, capture_output=True, text=True, timeout=300
        )
    return result.returncode == 0, (result.stdout + result.stderr).strip()[-2000:]


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_plan_is_refused_or_django_agrees(sample_template, tmp_path, shard):
    import importlib

    cases = sweep_cases(discover(sample_template))
    assert len(cases) == 198
    refused, clean, failing = [], [], []
    for number, (module, function, arguments) in enumerate(cases):
        if number % SHARDS != shard:
            continue
        project = discover(sample_template)  # a fresh index per case: plans never share state
        plan_function = getattr(importlib.import_module(f"migrate_assistant.recipes.{module}"), function)
        try:
            plan = plan_function(project, *arguments)
        except AssistantError as error:
            assert str(error) and "Traceback" not in str(error)
            refused.append((module, arguments, str(error)))
            continue
        ok, output = django_agrees(project, plan, tmp_path)
        (clean if ok else failing).append((module, arguments, output))
    planned = len(refused) + len(clean) + len(failing)
    print(
        f"\nsweep shard {shard}: {planned} planned, {len(refused)} refused, {len(clean)} clean, {len(failing)} failing"
    )
    assert not failing, "\n\n".join(f"{module} {arguments}:\n{output}" for module, arguments, output in failing)
