from sentry.db.models.fields.bounded import BoundedBigIntegerField, BoundedPositiveIntegerField
from sentry.db.models.fields.foreignkey import FlexibleForeignKey
from sentry.db.models.fields.hybrid_cloud_foreign_key import HybridCloudForeignKey

__all__ = [
    "BoundedBigIntegerField",
    "BoundedPositiveIntegerField",
    "FlexibleForeignKey",
    "HybridCloudForeignKey",
]
