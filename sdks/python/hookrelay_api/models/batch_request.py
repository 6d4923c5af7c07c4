from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.batch_event import BatchEvent


T = TypeVar("T", bound="BatchRequest")


@_attrs_define
class BatchRequest:
    """The fields `POST /v1/events/batch` accepts.

    Attributes:
        events (list[Any | BatchEvent]): 1–100 events, each as `POST /v1/events` takes its body, with an
            optional `idempotency_key` (`BatchEvent`). Each is answered in
            `results`: one that is not valid is refused there, alone.
    """

    events: list[Any | BatchEvent]

    def to_dict(self) -> dict[str, Any]:
        from ..models.batch_event import BatchEvent

        events = []
        for events_item_data in self.events:
            events_item: Any | dict[str, Any]
            if isinstance(events_item_data, BatchEvent):
                events_item = events_item_data.to_dict()
            else:
                events_item = events_item_data
            events.append(events_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "events": events,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.batch_event import BatchEvent

        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in _events:

            def _parse_events_item(data: object) -> Any | BatchEvent:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    events_item_type_0 = BatchEvent.from_dict(data)

                    return events_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast(Any | BatchEvent, data)

            events_item = _parse_events_item(events_item_data)

            events.append(events_item)

        batch_request = cls(
            events=events,
        )

        return batch_request
