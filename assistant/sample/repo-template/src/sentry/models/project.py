from django.db import models
from django.db.models import Q
from django.utils import timezone

from sentry.db.models import (
    BoundedPositiveIntegerField,
    FlexibleForeignKey,
    Model,
    region_silo_model,
)


@region_silo_model
class Project(Model):
    """A project belongs to one organization and collects events from one application."""

    organization = FlexibleForeignKey("sentry.Organization")
    name = models.CharField(max_length=200)
    slug = models.SlugField(null=True)
    # 0 is active, 1 is pending deletion.
    status = BoundedPositiveIntegerField(default=0)
    platform = models.CharField(max_length=64, null=True)  # e.g. "python-django"
    forced_color = models.CharField(
        max_length=6, null=True,
            blank=True
    )
    first_event = models.DateTimeField(null=True)
    flags = models.BigIntegerField(db_default=0)  # bit flags; 0 means none are set
    # Only read by the CheckConstraint below.
    rate_limit_count = models.IntegerField(null=True)
    template_version = models.CharField(max_length=32)
    date_added = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "sentry"
        db_table = "sentry_project"
        unique_together = (("organization", "slug"),)
        indexes = [
            models.Index(fields=["status", "date_added"], name="sentry_proj_status_c1bf9b_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_limit_count__gte=0),
                name="sentry_project_rate_limit_nonnegative",
            ),
        ]

    def __str__(self) -> str:
        return self.name
