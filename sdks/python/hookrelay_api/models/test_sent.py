from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TestSent")


@_attrs_define
class TestSent:
    """The outcome of a test-send. A poll webhook's test event is not sent: it
    waits to be fetched (`delivered` false, `response_code` 0, no error).

        Attributes:
            delivered (bool): Whether the endpoint answered 2xx within the send timeout.
            delivery_id (str): The logged delivery (retried like any other if this attempt failed).
            duration_ms (int):
            response_body (str): The first 4 KiB of the endpoint's answer.
            response_code (int): The endpoint's HTTP status; 0 when there was no response. (DESIGN.md
                calls it `code`, but the envelope's `code` is this answer's own status.)
            error (None | str | Unset): timeout, connect, dns, tls, blocked_address or http_status; null when
                delivered (or kept to be polled).
    """

    delivered: bool
    delivery_id: str
    duration_ms: int
    response_body: str
    response_code: int
    error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        delivered = self.delivered

        delivery_id = self.delivery_id

        duration_ms = self.duration_ms

        response_body = self.response_body

        response_code = self.response_code

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "delivered": delivered,
                "delivery_id": delivery_id,
                "duration_ms": duration_ms,
                "response_body": response_body,
                "response_code": response_code,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        delivered = d.pop("delivered")

        delivery_id = d.pop("delivery_id")

        duration_ms = d.pop("duration_ms")

        response_body = d.pop("response_body")

        response_code = d.pop("response_code")

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        test_sent = cls(
            delivered=delivered,
            delivery_id=delivery_id,
            duration_ms=duration_ms,
            response_body=response_body,
            response_code=response_code,
            error=error,
        )

        test_sent.additional_properties = d
        return test_sent

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
