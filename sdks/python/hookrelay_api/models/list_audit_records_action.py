from enum import StrEnum


class ListAuditRecordsAction(StrEnum):
    ACCOUNT_CREATED = "account.created"
    ACCOUNT_UPDATED = "account.updated"
    API_KEY_CREATED = "api_key.created"
    API_KEY_REVOKED = "api_key.revoked"
    CONSOLE_LINK_CREATED = "console_link.created"
    CONSOLE_LINK_REVOKED = "console_link.revoked"
    DELIVERY_RETRIED = "delivery.retried"
    EVENT_TYPE_CREATED = "event_type.created"
    EVENT_TYPE_DELETED = "event_type.deleted"
    EVENT_TYPE_UPDATED = "event_type.updated"
    WEBHOOK_CREATED = "webhook.created"
    WEBHOOK_DELETED = "webhook.deleted"
    WEBHOOK_DISABLED = "webhook.disabled"
    WEBHOOK_RECOVERED = "webhook.recovered"
    WEBHOOK_REPLAYED = "webhook.replayed"
    WEBHOOK_SECRET_ROTATED = "webhook.secret_rotated"
    WEBHOOK_UPDATED = "webhook.updated"

    def __str__(self) -> str:
        return str(self.value)
