from django.apps import AppConfig


class Config(AppConfig):
    name = "sentry.hybridcloud"
    label = "hybridcloud"
