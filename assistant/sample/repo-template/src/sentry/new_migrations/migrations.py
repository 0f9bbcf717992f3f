from django.db.migrations import (
    AddField,
    AlterModelTable,
    DeleteModel,
    Migration,
    RemoveField,
    RenameField,
    RenameModel,
    RunSQL,
    SeparateDatabaseAndState,
)
from django.db.models import NOT_PROVIDED

from sentry.new_migrations.monkey.fields import SafeRemoveField
from sentry.new_migrations.monkey.models import SafeDeleteModel
from sentry.new_migrations.monkey.special import SafeRunSQL
from sentry.new_migrations.monkey.state import UnsafeOperationException


class CheckedMigration(Migration):
    """Base class of every migration in this project.

    Migrations are not wrapped in a transaction, and with `checked = True` every
    operation is validated before anything runs. Only initial migrations, which may
    take locks, set `checked = False`.
    """

    atomic = False
    checked = True

    def apply(self, project_state, schema_editor, collect_sql=False):
        if self.checked:
            state = project_state.clone()
            for operation in self.operations:
                validate_operation(self.app_label, operation, state)
                operation.state_forwards(self.app_label, state)
        return super().apply(project_state, schema_editor, collect_sql)


def default_table(app_label, model_name):
    return f"{app_label}_{model_name.lower()}"


def validate_operation(app_label, operation, state):
    """Raise UnsafeOperationException if `operation`, applied to `state`, is unsafe."""
    if isinstance(operation, SeparateDatabaseAndState):
        database_state = state.clone()
        for database_operation in operation.database_operations:
            validate_operation(app_label, database_operation, database_state)
            database_operation.state_forwards(app_label, database_state)
    elif isinstance(operation, RunSQL) and not isinstance(operation, SafeRunSQL):
        raise UnsafeOperationException(
            "Using `RunSQL` is unsafe because our migrations safety framework can't detect "
            "problems with the migration, and doesn't apply timeout and statement locks. "
            "Use `SafeRunSQL` instead, and get approval from `owners-migrations` to make "
            "sure that it's safe."
        )
    elif isinstance(operation, RemoveField) and not isinstance(operation, SafeRemoveField):
        model = state.models[app_label, operation.model_name_lower].name
        raise UnsafeOperationException(f"Removing the {model}.{operation.name} field is unsafe.")
    elif isinstance(operation, DeleteModel) and not isinstance(operation, SafeDeleteModel):
        model = state.models[app_label, operation.name_lower].name
        raise UnsafeOperationException(f"Deleting the {model} model is unsafe.")
    elif isinstance(operation, AddField):
        field = operation.field
        if not field.null and not field.many_to_many and field.db_default is NOT_PROVIDED:
            model = state.models[app_label, operation.model_name_lower].name
            raise UnsafeOperationException(
                f"Adding {model}.{operation.name} as a not null column with no default is "
                "unsafe. Provide a default using db_default."
            )
    elif isinstance(operation, RenameField):
        model_state = state.models[app_label, operation.model_name_lower]
        db_column = model_state.fields[operation.old_name].db_column
        old_column = db_column or operation.old_name
        new_column = db_column or operation.new_name
        if old_column != new_column:
            raise UnsafeOperationException(
                f"Renaming column {model_state.name}.{old_column} to {new_column} is unsafe."
            )
    elif isinstance(operation, RenameModel):
        db_table = state.models[app_label, operation.old_name_lower].options.get("db_table")
        old_table = db_table or default_table(app_label, operation.old_name)
        new_table = db_table or default_table(app_label, operation.new_name)
        if old_table != new_table:
            raise UnsafeOperationException(
                f"Renaming table for model {operation.new_name} from {old_table} "
                f"to {new_table} is unsafe."
            )
    elif isinstance(operation, AlterModelTable):
        model_state = state.models[app_label, operation.name_lower]
        old_table = model_state.options.get("db_table") or default_table(app_label, operation.name)
        new_table = operation.table or default_table(app_label, operation.name)
        if old_table != new_table:
            raise UnsafeOperationException(
                f"Renaming table for model {model_state.name} from {old_table} "
                f"to {new_table} is unsafe."
            )
