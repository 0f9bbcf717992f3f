from django.apps import AppConfig


class Config(AppConfig):
    name = "sentry.uptime"
    label = "uptime"
