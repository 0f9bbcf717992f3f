"""What else depends on a field or model being removed or renamed: proxies, GenericForeignKeys,
and ManyToManyFields whose through model holds the foreign key."""

from __future__ import annotations

import ast

from migrate_assistant.errors import AssistantError
from migrate_assistant.model_index import ModelSource
from migrate_assistant.pysource import keyword_map, last_name, string_value

GENERIC_FOREIGN_KEY = "GenericForeignKey"


def generic_foreign_keys(source: ModelSource) -> dict[str, tuple[str, str, int]]:
    """``name = GenericForeignKey(ct_field, fk_field)`` of a model: name → (ct_field, fk_field, line)."""
    found = {}
    for statement in source.node.body:
        if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)):
            continue
        call = statement.value
        if last_name(call.func) != GENERIC_FOREIGN_KEY or not isinstance(statement.targets[0], ast.Name):
            continue
        kwargs = keyword_map(call)
        values = [string_value(arg) for arg in call.args]
        ct_field = string_value(kwargs.get("ct_field")) or (values[0] if values else None) or "content_type"
        fk_field = string_value(kwargs.get("fk_field")) or (values[1] if len(values) > 1 else None) or "object_id"
        found[statement.targets[0].id] = (ct_field, fk_field, statement.lineno)
    return found


def check_generic_parts(project, model, names: set[str], what: str) -> None:
    """Refuse to remove or rename a GenericForeignKey's parts while the GenericForeignKey stays."""
    for name, (ct_field, fk_field, line) in generic_foreign_keys(model.source).items():
        used = sorted({ct_field, fk_field} & names)
        if used and name not in names:
            where = f"{project.relative(model.source.path)}:{line}"
            hint = f"remove {name} too, in the same plan" if what == "removing" else "change it first"
            raise AssistantError(
                f"{model.label}.{used[0]} is part of the GenericForeignKey {name} ({where}): {what} it would break "
                f"it (contenttypes.E001/E002); {hint}",
                argument="target",
            )


def check_no_proxies(project, model) -> None:
    """Refuse to remove a model that a proxy model subclasses (its class would be a NameError)."""
    proxies = [
        found
        for models in project.index.models.values()
        for found in models
        if found.proxy and any(base.rsplit(".", 1)[-1] == model.name for base in found.bases)
    ]
    if proxies:
        places = ", ".join(f"{p.app_label}.{p.name} ({project.relative(p.path)}:{p.line})" for p in proxies)
        raise AssistantError(
            f"{model.label} is subclassed by the proxy model {places}: remove the proxy first "
            "(delete its class and run makemigrations; a proxy has no table)"
        )


def check_through_foreign_key(project, ref, removed: set[str]) -> None:
    """A foreign key of a through model goes only with the ManyToManyFields that use that model."""
    model_key = f"{ref.model.app_label}.{ref.model.state.name}".lower()
    for app, model, field in project.index.inbound_relations(ref.model.app_label, ref.model.state.name):
        through = (string_value(field.kwargs.get("through")) or "").lower()
        label = f"{app}.{model.name}.{field.name}"
        if not field.is_many_to_many or through != model_key or label.lower() in removed:
            continue
        if ref.state.target in (field.target, f"{app}.{model.name}".lower()):
            raise AssistantError(
                f"{ref.label} is used by the ManyToManyField {label} (through {ref.model.label}): "
                f"remove both in the same plan (migrate-assistant remove {label} {ref.label} --phase 1)"
            )


def removed_state_only(project, app_label: str, model: str, field: str) -> bool:
    """Whether a migration removed the field from the state only (a ManyToManyField with a through model)."""
    for migration in project.index.graph.app_order(app_label):
        for operation in migration.operations:
            if operation.kind != "SeparateDatabaseAndState":
                continue
            for nested in operation.state_operations:
                if (
                    nested.kind == "RemoveField"
                    and (nested.text("model_name") or "").lower() == model.lower()
                    and (nested.text("name") or "").lower() == field.lower()
                ):
                    return True
    return False
