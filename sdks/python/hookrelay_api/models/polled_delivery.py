from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.event_ref import EventRef
    from ..models.polled_delivery_headers import PolledDeliveryHeaders


T = TypeVar("T", bound="PolledDelivery")


@_attrs_define
class PolledDelivery:
    """One delivery as a poll hands it out: what a push would have POSTed.

    Attributes:
        body (str): Exactly the body a push would POST (JSON text, shaped by the
            webhook's `transform`): verify the signature over this string as it
            is, then parse it.
        created_at (str):
        event (EventRef):
        event_id (str):
        headers (PolledDeliveryHeaders): The headers a push would send, signed at this poll: `content-type`,
            `user-agent`, `webhook-id`, `webhook-timestamp`, `webhook-signature`
            (one per live secret), `x-api-key` and the custom headers when the
            webhook has them. Any Standard Webhooks library verifies them (most
            refuse a `webhook-timestamp` more than 5 minutes old: verify on receipt).
        id (str): The delivery id: `webhook-id`, the same whenever it is handed out
            again (deduplicate on it).
    """

    body: str
    created_at: str
    event: EventRef
    event_id: str
    headers: PolledDeliveryHeaders
    id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body = self.body

        created_at = self.created_at

        event = self.event.to_dict()

        event_id = self.event_id

        headers = self.headers.to_dict()

        id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "body": body,
                "created_at": created_at,
                "event": event,
                "event_id": event_id,
                "headers": headers,
                "id": id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.event_ref import EventRef
        from ..models.polled_delivery_headers import PolledDeliveryHeaders

        d = dict(src_dict)
        body = d.pop("body")

        created_at = d.pop("created_at")

        event = EventRef.from_dict(d.pop("event"))

        event_id = d.pop("event_id")

        headers = PolledDeliveryHeaders.from_dict(d.pop("headers"))

        id = d.pop("id")

        polled_delivery = cls(
            body=body,
            created_at=created_at,
            event=event,
            event_id=event_id,
            headers=headers,
            id=id,
        )

        polled_delivery.additional_properties = d
        return polled_delivery

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
