from django.db import models
from django.utils import timezone

from sentry.db.models import FlexibleForeignKey, Model, region_silo_model


@region_silo_model
class Team(Model):
    organization = FlexibleForeignKey("sentry.Organization")
    name = models.CharField(max_length=64)
    slug = models.SlugField()
    date_added = models.DateTimeField(default=timezone.now, null=True)

    class Meta:
        app_label = "sentry"
        db_table = "sentry_team"
        unique_together = (("organization", "slug"),)
