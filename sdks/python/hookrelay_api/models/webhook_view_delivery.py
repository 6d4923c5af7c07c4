from enum import StrEnum


class WebhookViewDelivery(StrEnum):
    POLL = "poll"
    PUSH = "push"

    def __str__(self) -> str:
        return str(self.value)
