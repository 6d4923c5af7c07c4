from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="WebhookRequestTransformType1")


@_attrs_define
class WebhookRequestTransformType1:
    """
    Attributes:
        template (str):
    """

    template: str

    def to_dict(self) -> dict[str, Any]:
        template = self.template

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "template": template,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        template = d.pop("template")

        webhook_request_transform_type_1 = cls(
            template=template,
        )

        return webhook_request_transform_type_1
