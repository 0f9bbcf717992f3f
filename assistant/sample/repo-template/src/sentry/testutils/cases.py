from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase


class TestMigrations(TransactionTestCase):
    """Run one migration against data created at the state before it.

    Set `migrate_from` and `migrate_to` (migration names of `app`), create rows in
    `setup_before_migration(apps)` using `apps.get_model(...)`, then assert in a test
    method; `self.apps` holds the models as they are after `migrate_to`.
    """

    app = "sentry"
    connection = "default"

    @property
    def migrate_from(self) -> str:
        raise NotImplementedError(f"implement for {type(self).__name__}")

    @property
    def migrate_to(self) -> str:
        raise NotImplementedError(f"implement for {type(self).__name__}")

    def setUp(self) -> None:
        super().setUp()
        self.setup_initial_state()

        migrate_from = [(self.app, self.migrate_from)]
        migrate_to = [(self.app, self.migrate_to)]

        executor = MigrationExecutor(connections[self.connection])
        old_apps = executor.loader.project_state(migrate_from).apps
        executor.migrate(migrate_from)

        self.setup_before_migration(old_apps)

        executor = MigrationExecutor(connections[self.connection])
        executor.migrate(migrate_to)
        self.apps = executor.loader.project_state(migrate_to).apps

    def tearDown(self) -> None:
        executor = MigrationExecutor(connections[self.connection])
        executor.migrate(executor.loader.graph.leaf_nodes())
        super().tearDown()

    def setup_initial_state(self) -> None:
        """Runs before rolling back to `migrate_from`; the current models can be used here."""

    def setup_before_migration(self, apps) -> None:
        """Runs at `migrate_from`; create rows with `apps.get_model(app_label, name)`."""
