from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PolledDeliveryHeaders")


@_attrs_define
class PolledDeliveryHeaders:
    """The headers a push would send, signed at this poll: `content-type`,
    `user-agent`, `webhook-id`, `webhook-timestamp`, `webhook-signature`
    (one per live secret), `x-api-key` and the custom headers when the
    webhook has them. Any Standard Webhooks library verifies them (most
    refuse a `webhook-timestamp` more than 5 minutes old: verify on receipt).

    """

    additional_properties: dict[str, str] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        polled_delivery_headers = cls()

        polled_delivery_headers.additional_properties = d
        return polled_delivery_headers

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> str:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: str) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
