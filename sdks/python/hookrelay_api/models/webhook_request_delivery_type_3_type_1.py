from enum import StrEnum


class WebhookRequestDeliveryType3Type1(StrEnum):
    POLL = "poll"
    PUSH = "push"

    def __str__(self) -> str:
        return str(self.value)
