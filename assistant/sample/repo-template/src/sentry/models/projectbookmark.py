from django.db import models
from django.utils import timezone

from sentry.db.models import BoundedBigIntegerField, FlexibleForeignKey, Model, region_silo_model


@region_silo_model
class ProjectBookmark(Model):
    # No Meta.db_table: the table is Django's default, sentry_projectbookmark.
    project = FlexibleForeignKey("sentry.Project", db_constraint=False)
    user_id = BoundedBigIntegerField()
    date_added = models.DateTimeField(default=timezone.now, null=True)

    class Meta:
        app_label = "sentry"
        unique_together = (("project", "user_id"),)
