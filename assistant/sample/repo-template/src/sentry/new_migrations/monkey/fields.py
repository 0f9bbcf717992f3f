from django.db.migrations import RemoveField
from django.db.models import NOT_PROVIDED

from sentry.new_migrations.monkey.state import DeletionAction, UnsafeOperationException

DELETING_COLUMNS_URL = (
    "https://develop.sentry.dev/api-server/application-domains/database-migrations/"
    "#deleting-columns"
)


def model_with_field(state, app_label, model_name, field):
    """Render `model_name` from a copy of `state` with `field` (no longer in state) put back.

    A relation whose target has left the state too (it is pending deletion itself)
    cannot be put back: then the field is used as it was bound when it moved to
    pending, with the model of that time.
    """
    state = state.clone()
    state.add_field(app_label, model_name, field.name, field.clone(), preserve_default=True)
    model = state.apps.get_model(app_label, model_name)
    restored = model._meta.get_field(field.name)
    if restored.is_relation and isinstance(restored.remote_field.model, str):
        return field.model, field
    return model, restored


class SafeRemoveField(RemoveField):
    """Remove a column in two deploys.

    MOVE_TO_PENDING drops the field from the migration state but keeps the column;
    a later DELETE, in its own migration, drops the column.
    """

    def __init__(self, model_name, name, *, deletion_action: DeletionAction):
        super().__init__(model_name, name)
        self.deletion_action = deletion_action

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args, {**kwargs, "deletion_action": self.deletion_action}

    def pending_key(self, app_label):
        return app_label, self.model_name_lower, self.name_lower

    def state_forwards(self, app_label, state):
        key = self.pending_key(app_label)
        if self.deletion_action == DeletionAction.DELETE:
            if key not in state.pending_deletion_fields:
                raise UnsafeOperationException(
                    "Field must be in the pending deletion state before full deletion. "
                    f"More info: {DELETING_COLUMNS_URL}"
                )
            del state.pending_deletion_fields[key]
            return

        field = state.apps.get_model(app_label, self.model_name)._meta.get_field(self.name)
        label = f"{app_label}.{self.model_name_lower}.{self.name}"
        if field.is_relation and getattr(field, "db_constraint", False):
            raise UnsafeOperationException(
                f"Foreign key db constraint must be removed before dropping {label}. "
                f"More info: {DELETING_COLUMNS_URL}"
            )
        if not field.null and field.db_default is NOT_PROVIDED:
            raise UnsafeOperationException(
                f"Field {label} must either be nullable or have a db_default before dropping. "
                f"More info: {DELETING_COLUMNS_URL}"
            )
        state.pending_deletion_fields[key] = field
        super().state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self.deletion_action == DeletionAction.MOVE_TO_PENDING:
            return
        pending = from_state.pending_deletion_fields[self.pending_key(app_label)]
        model, field = model_with_field(from_state, app_label, self.model_name_lower, pending)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_field(model, field)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self.deletion_action == DeletionAction.MOVE_TO_PENDING:
            return
        pending = to_state.pending_deletion_fields[self.pending_key(app_label)]
        model, field = model_with_field(to_state, app_label, self.model_name_lower, pending)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_field(model, field)

    def describe(self):
        if self.deletion_action == DeletionAction.MOVE_TO_PENDING:
            return f"Moved {self.model_name}.{self.name} field to pending deletion state"
        return super().describe()
