from django.db import models
from django.utils import timezone

from sentry.db.models import FlexibleForeignKey, Model, region_silo_model


@region_silo_model
class UptimeSubscription(Model):
    """A URL that the uptime checker requests every `interval_seconds`."""

    url = models.CharField(max_length=255)
    interval_seconds = models.IntegerField()
    timeout_ms = models.IntegerField()
    trace_sampling = models.BooleanField(db_default=False)
    date_added = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "uptime"
        db_table = "uptime_uptimesubscription"


@region_silo_model
class ProjectUptimeSubscription(Model):
    """Links a project to an uptime subscription."""

    project = FlexibleForeignKey("sentry.Project", on_delete=models.CASCADE)
    uptime_subscription = models.ForeignKey("uptime.UptimeSubscription", on_delete=models.PROTECT)
    owner_team = FlexibleForeignKey("sentry.Team", null=True, on_delete=models.SET_NULL)
    name = models.CharField(max_length=128)

    class Meta:
        app_label = "uptime"
        db_table = "uptime_projectuptimesubscription"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "uptime_subscription"],
                name="uptime_projectuptime_unique_project_subscription",
            ),
        ]


@region_silo_model
class UptimeRegion(Model):
    """A region that the uptime checker runs in."""

    slug = models.CharField(max_length=255, unique=True)
    name = models.CharField(max_length=255)

    class Meta:
        app_label = "uptime"
        db_table = "uptime_uptimeregion"
