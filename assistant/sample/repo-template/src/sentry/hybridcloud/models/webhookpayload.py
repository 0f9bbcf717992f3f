from django.db import models

from sentry.db.models import (
    DefaultFieldsModel,
    HybridCloudForeignKey,
    control_silo_model,
)


@control_silo_model
class WebhookPayload(DefaultFieldsModel):
    """An incoming webhook waiting to be forwarded to the cell that owns it."""

    mailbox_name = models.CharField(max_length=200)
    cell_name = models.CharField(max_length=64)
    request_method = models.CharField(max_length=16)
    request_path = models.CharField(max_length=512)
    project_id = HybridCloudForeignKey("sentry.Project", null=True, on_delete="SET_NULL")

    class Meta:
        app_label = "hybridcloud"
        db_table = "hybridcloud_webhookpayload"
        indexes = [
            models.Index(fields=["mailbox_name", "id"], name="hybridcloud_mailbox_id_idx"),
        ]
