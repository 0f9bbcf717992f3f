from sentry.hybridcloud.models.apikeyreplica import ApiKeyReplica
from sentry.hybridcloud.models.webhookpayload import WebhookPayload

__all__ = ["ApiKeyReplica", "WebhookPayload"]
