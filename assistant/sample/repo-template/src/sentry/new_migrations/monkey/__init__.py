import django.db.migrations.executor
import django.db.migrations.graph
import django.db.migrations.loader
import django.db.migrations.state

from sentry.new_migrations.monkey.state import SentryProjectState


def monkey_migrations() -> None:
    """Make Django's migration machinery build SentryProjectState objects. Safe to call twice."""
    migrations = django.db.migrations
    for module in (migrations.state, migrations.graph, migrations.executor, migrations.loader):
        if hasattr(module, "ProjectState"):
            module.ProjectState = SentryProjectState
