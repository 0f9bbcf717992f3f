from django.db import models
from django.utils import timezone

from sentry.db.models import (
    BoundedBigIntegerField,
    FlexibleForeignKey,
    Model,
    region_silo_model,
)


@region_silo_model
class Environment(Model):
    organization_id = BoundedBigIntegerField()
    name = models.CharField(max_length=64)
    projects = models.ManyToManyField("sentry.Project", through="sentry.EnvironmentProject")
    date_added = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "sentry"
        db_table = "sentry_environment"
        unique_together = (("organization_id", "name"),)


@region_silo_model
class EnvironmentProject(Model):
    project = FlexibleForeignKey("sentry.Project")
    environment = FlexibleForeignKey("sentry.Environment")
    is_hidden = models.BooleanField(null=True)

    class Meta:
        app_label = "sentry"
        db_table = "sentry_environmentproject"
        unique_together = (("project", "environment"),)
