from django.db import models
from django.utils import timezone

from sentry.db.models import (
    BoundedBigIntegerField,
    HybridCloudForeignKey,
    Model,
    control_silo_model,
)


@control_silo_model
class ApiKeyReplica(Model):
    """A copy, kept in the control silo, of an organization's API key."""

    apikey_id = BoundedBigIntegerField()
    organization_id = HybridCloudForeignKey("sentry.Organization", on_delete="CASCADE")
    key = models.CharField(max_length=32, unique=True)
    date_added = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "hybridcloud"
        db_table = "hybridcloud_apikeyreplica"
