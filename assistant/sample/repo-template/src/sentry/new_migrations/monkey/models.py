from django.db import router
from django.db.migrations import DeleteModel

from sentry.new_migrations.monkey.state import DeletionAction, UnsafeOperationException

DELETING_TABLES_URL = (
    "https://develop.sentry.dev/api-server/application-domains/database-migrations/"
    "#deleting-tables"
)


def check_db_routing(app_label, model):
    """Refuse to go on when no router can tell which database holds the model's table."""
    table = model._meta.db_table
    for db_router in router.routers:
        if hasattr(db_router, "_db_for_table") and db_router._db_for_table(table, app_label):
            return
    raise ValueError(
        f"Cannot determine database for deleted model {app_label}.{model.__name__} "
        f"(table: {table}). This table must be added to historical_silo_assignments in "
        "src/sentry/db/router.py with the appropriate SiloMode before the deletion "
        "migration can run."
    )


class SafeDeleteModel(DeleteModel):
    """Drop a table in two deploys.

    MOVE_TO_PENDING drops the model from the migration state but keeps the table;
    a later DELETE, in its own migration, drops the table.
    """

    def __init__(self, name, *, deletion_action: DeletionAction):
        super().__init__(name)
        self.deletion_action = deletion_action

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args, {**kwargs, "deletion_action": self.deletion_action}

    def state_forwards(self, app_label, state):
        key = (app_label, self.name_lower)
        if self.deletion_action == DeletionAction.DELETE:
            if key not in state.pending_deletion_models:
                raise UnsafeOperationException(
                    "Model must be in the pending deletion state before full deletion. "
                    f"More info: {DELETING_TABLES_URL}"
                )
            del state.pending_deletion_models[key]
            return

        model = state.apps.get_model(app_label, self.name)
        constrained = [f.name for f in model._meta.fields if getattr(f, "db_constraint", False)]
        if constrained:
            raise UnsafeOperationException(
                f"Foreign key db constraints must be removed before dropping "
                f"{app_label}.{self.name}. Fields with constraints: {constrained} "
                f"More info: {DELETING_TABLES_URL}"
            )
        state.pending_deletion_models[key] = model
        super().state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self.deletion_action == DeletionAction.MOVE_TO_PENDING:
            check_db_routing(app_label, from_state.apps.get_model(app_label, self.name))
            return
        model = from_state.pending_deletion_models[(app_label, self.name_lower)]
        check_db_routing(app_label, model)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.delete_model(model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self.deletion_action == DeletionAction.MOVE_TO_PENDING:
            return
        model = to_state.pending_deletion_models[(app_label, self.name_lower)]
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.create_model(model)

    def describe(self):
        if self.deletion_action == DeletionAction.MOVE_TO_PENDING:
            return f"Moved model {self.name} to pending deletion state"
        return super().describe()
