from collections.abc import Callable

from django.db import models
from django.utils import timezone

from sentry.silo.base import SiloMode


class Model(models.Model):
    """Base class of every sentry model: a 64-bit auto-incrementing primary key."""

    id = models.BigAutoField(primary_key=True)

    class Meta:
        abstract = True


class DefaultFieldsModel(Model):
    """A Model that records when a row was added and last updated."""

    date_updated = models.DateTimeField(auto_now=True)
    date_added = models.DateTimeField(default=timezone.now, null=True)

    class Meta:
        abstract = True


def _silo_model(mode: SiloMode) -> Callable[[type[Model]], type[Model]]:
    def decorator(cls: type[Model]) -> type[Model]:
        cls._silo_mode = mode
        return cls

    return decorator


region_silo_model = _silo_model(SiloMode.CELL)
control_silo_model = _silo_model(SiloMode.CONTROL)
