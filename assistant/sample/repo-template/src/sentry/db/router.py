from django.apps import apps

from sentry.silo.base import SiloMode


class SiloRouter:
    """Routes every model to the single "default" database.

    Tables whose models were deleted from the code can no longer be resolved from a
    model class, so historical migrations look their silo up here instead.
    """

    historical_silo_assignments = {
        # Tables removed from the code base that old migrations still refer to.
        "sentry_dashboardtombstone": SiloMode.CELL,
        "sentry_email": SiloMode.CONTROL,
        "sentry_oldtable": SiloMode.CELL,
    }

    def _db_for_table(self, table: str, app_label: str) -> str | None:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.db_table == table:
                return "default"
        if table in self.historical_silo_assignments:
            return "default"
        return None if app_label == "sentry" else "default"

    def db_for_read(self, model, **hints) -> str:
        return "default"

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return True
