from sentry.db.models.base import (
    DefaultFieldsModel,
    Model,
    control_silo_model,
    region_silo_model,
)
from sentry.db.models.fields import (
    BoundedBigIntegerField,
    BoundedPositiveIntegerField,
    FlexibleForeignKey,
    HybridCloudForeignKey,
)

__all__ = [
    "BoundedBigIntegerField",
    "BoundedPositiveIntegerField",
    "DefaultFieldsModel",
    "FlexibleForeignKey",
    "HybridCloudForeignKey",
    "Model",
    "control_silo_model",
    "region_silo_model",
]
