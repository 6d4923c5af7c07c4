from enum import StrEnum


class WebhookRequestTransformType0(StrEnum):
    DEFAULT = "default"
    SETTINGS = "settings"

    def __str__(self) -> str:
        return str(self.value)
