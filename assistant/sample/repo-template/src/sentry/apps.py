from django.apps import AppConfig


class Config(AppConfig):
    name = "sentry"
    label = "sentry"

    def ready(self) -> None:
        from sentry.new_migrations.monkey import monkey_migrations

        monkey_migrations()
