from enum import StrEnum


class WebhookRequestDeliveryType2Type1(StrEnum):
    POLL = "poll"
    PUSH = "push"

    def __str__(self) -> str:
        return str(self.value)
