"""Each recipe's inputs as one form: its fields, the checks of each field, how it plans and the
command line that does the same.

A field's checks are the core's own (``targets``, ``new_migration``, the recipe's public helpers);
after them the form plans with the recipe itself, so every refusal the command line would give
is shown too: under the input of the argument it names (``AssistantError.argument``), or for the
whole form when it names none. This is the one module to point at the core's validators when they grow.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, field

from migrate_assistant.errors import AssistantError


@dataclass(frozen=True)
class Input:
    id: str
    label: str
    placeholder: str = ""
    check: Callable | None = None  # check(project, values) raises AssistantError
    optional: bool = False


@dataclass(frozen=True)
class Form:
    name: str
    title: str
    about: str
    inputs: list[Input]
    plan: Callable  # plan(project, values) -> Plan
    command: Callable  # command(values) -> str
    toggles: list[tuple[str, str]] = field(default_factory=list)  # (id, label) of checkboxes
    # the command line's argument -> the input that holds it, where their names differ (else the same)
    arguments: dict[str, str] = field(default_factory=dict)

    def input_for(self, error: AssistantError) -> str | None:
        """The input a planning refusal is shown under: the one of the argument it names, else ``None``
        (the whole form)."""
        input_id = self.arguments.get(error.argument, error.argument)
        return input_id if any(item.id == input_id for item in self.inputs) else None


def _field_target(project, values):
    from migrate_assistant.targets import resolve_field

    resolve_field(project, values["target"])


def _model_target(project, values):
    from migrate_assistant.targets import resolve_model, split_target

    resolve_model(project, *split_target(values["target"], 2))


def _app_or_model(project, values):
    target = values["target"]
    if "." in target:
        _model_target(project, values)
    else:
        project.app(target)


def _resolved(resolve, check_alone, name: str):
    """The target ``resolve()`` finds, or ``None`` once ``name`` is checked on its own (the target's own
    error is shown under the target)."""
    try:
        return resolve()
    except AssistantError:
        check_alone(name)
        return None


def _new_field_name(project, values):
    """The add-field recipe's own name check (taken names included) once the model is known."""
    from migrate_assistant.recipes.add_field import check_new_field_name
    from migrate_assistant.targets import resolve_model, split_target
    from migrate_assistant.validators import check_field_name

    ref = _resolved(
        lambda: resolve_model(project, *split_target(values["target"], 2)), check_field_name, values["name"]
    )
    if ref is not None:
        check_new_field_name(ref, values["name"])


def _renamed_field_name(project, values):
    """The rename-field recipe's own check of the new name once the field is known."""
    from migrate_assistant.recipes.rename_field import check_new_name
    from migrate_assistant.targets import resolve_field
    from migrate_assistant.validators import check_field_name

    ref = _resolved(lambda: resolve_field(project, values["target"]), check_field_name, values["new"])
    if ref is not None:
        check_new_name(ref, values["new"])


def _renamed_model_name(project, values):
    """The rename-model recipe's own check of the new name once the model is known."""
    from migrate_assistant.recipes.rename_model import check_new_model_name
    from migrate_assistant.targets import resolve_model, split_target
    from migrate_assistant.validators import check_model_name

    ref = _resolved(lambda: resolve_model(project, *split_target(values["target"], 2)), check_model_name, values["new"])
    if ref is not None:
        check_new_model_name(project, ref, values["new"])


def _expression(project, values):
    from migrate_assistant.recipes.add_field import needs_null_or_db_default

    needs_null_or_db_default(values["expression"])


def _migration_name(project, values):
    from migrate_assistant.new_migration import check_name

    check_name(values["name"])


def _index_fields(project, values):
    from migrate_assistant.recipes.add_index import NO_FIELDS

    if not values["fields"].split():
        raise AssistantError(NO_FIELDS, argument="fields")


def _rename_field(project, v):
    from migrate_assistant.recipes.rename_field import plan_rename_field

    return plan_rename_field(project, v["target"], v["new"])


def _rename_model(project, v):
    from migrate_assistant.recipes.rename_model import plan_rename_model

    return plan_rename_model(project, v["target"], v["new"])


def _add_field(project, v):
    from migrate_assistant.recipes.add_field import plan_add_field

    try:
        return plan_add_field(project, f"{v['target']}.{v['name']}", v["expression"], nullable=v["nullable"])
    except AssistantError as error:  # the form has a box where the command line has a flag
        message = str(error).replace("or --nullable", "or tick Nullable")
        raise AssistantError(message, argument=error.argument) from None


def _add_index(project, v):
    from migrate_assistant.recipes.add_index import plan_add_index

    return plan_add_index(project, v["target"], v["fields"].split(), v["name"] or None)


def _data_migration(project, v):
    from migrate_assistant.recipes.data_migration import plan_data_migration

    target = v["target"]
    model = target if "." in target else None
    return plan_data_migration(project, target.split(".")[0], v["name"], model)


def _q(text: str) -> str:
    return shlex.quote(text)


FORMS = {
    form.name: form
    for form in [
        Form(
            "rename_field",
            "Rename field",
            "Django only: db_column keeps the column, so the database does not change.",
            [
                Input("target", "Field", "app.Model.field", _field_target),
                Input("new", "New name", "new_name", _renamed_field_name),
            ],
            _rename_field,
            lambda v: f"migrate-assistant rename-field {_q(v['target'])} {_q(v['new'])}",
            arguments={"new_name": "new"},
        ),
        Form(
            "rename_model",
            "Rename model",
            "Django only: Meta.db_table keeps the table, so the database does not change.",
            [
                Input("target", "Model", "app.Model", _model_target),
                Input("new", "New name", "NewName", _renamed_model_name),
            ],
            _rename_model,
            lambda v: f"migrate-assistant rename-model {_q(v['target'])} {_q(v['new'])}",
            arguments={"new_name": "new"},
        ),
        Form(
            "add_field",
            "Add field",
            "Old code keeps inserting rows while the new column exists: it must be nullable or have db_default.",
            [
                Input("target", "Model", "app.Model", _model_target),
                Input("name", "Name", "new_field", _new_field_name),
                Input("expression", "Field", "models.IntegerField(db_default=0)", _expression),
            ],
            _add_field,
            lambda v: (
                f"migrate-assistant add-field {_q(v['target'] + '.' + v['name'])} {_q(v['expression'])}"
                + (" --nullable" if v["nullable"] else "")
            ),
            toggles=[("nullable", "Nullable: add null=True")],
        ),
        Form(
            "add_index",
            "Add index",
            "A Meta index; on a large table its migration runs after the deploy.",
            [
                Input("target", "Model", "app.Model", _model_target),
                Input("fields", "Fields", "field -other_field  (- for descending)", _index_fields),
                Input("name", "Index name", "(default: the name Django would give it)", optional=True),
            ],
            _add_index,
            lambda v: (
                f"migrate-assistant add-index {_q(v['target'])} -- {' '.join(_q(f) for f in v['fields'].split())}"
                + (f" --name {_q(v['name'])}" if v["name"] else "")
            ),
        ),
        Form(
            "data_migration",
            "Data migration",
            "A RunPython migration run after the deploy, with a test that runs it.",
            [
                Input("target", "App or model", "app or app.Model", _app_or_model),
                Input("name", "Name", "backfill_something", _migration_name),
            ],
            _data_migration,
            lambda v: (
                f"migrate-assistant data-migration {_q(v['target'].split('.')[0])} {_q(v['name'])}"
                + (f" --model {_q(v['target'])}" if "." in v["target"] else "")
            ),
            arguments={"app": "target", "model": "target"},
        ),
    ]
}


def input_errors(form: Form, project, values: dict) -> tuple[dict[str, str], set[str]]:
    """Each input's error (``{input id: message}``, in the form's order) and the ids of those that are
    only empty ("… is needed": the form shows them once the input was edited or Enter pressed)."""
    errors: dict[str, str] = {}
    empty: set[str] = set()
    for item in form.inputs:
        if not values.get(item.id, "").strip():
            if not item.optional:
                errors[item.id] = f"{item.label} is needed"
                empty.add(item.id)
            continue
        if item.check is None:
            continue
        try:
            item.check(project, values)
        except AssistantError as error:
            errors[item.id] = str(error)
        except Exception as error:  # noqa: BLE001 - a form must survive anything the core raises
            errors[item.id] = f"cannot check this: {type(error).__name__}: {error}"
    return errors, empty
