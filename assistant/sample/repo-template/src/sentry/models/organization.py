from django.db import models
from django.utils import timezone

from sentry.db.models import BoundedPositiveIntegerField, Model, region_silo_model


@region_silo_model
class Organization(Model):
    name = models.CharField(max_length=64)
    slug = models.SlugField(unique=True)
    status = BoundedPositiveIntegerField(db_default=0)
    date_added = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "sentry"
        db_table = "sentry_organization"

    def __str__(self) -> str:
        return self.slug
