from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.filter_pattern import FilterPattern
    from ..models.filter_test_request_event_type_1 import FilterTestRequestEventType1


T = TypeVar("T", bound="FilterTestRequest")


@_attrs_define
class FilterTestRequest:
    """The fields `POST /v1/filters/test` accepts.

    Attributes:
        event (FilterTestRequestEventType1 | str): The event: `name.type`, or `{"name", "type"}`.
        filter_ (FilterPattern): An EventBridge event pattern over what is sent: every field must match, any value of a
            list may. At most 2048 bytes of JSON, fields at most 6 levels down; `$or` is not supported.
        payload (Any): Any JSON but null, as `POST /v1/events` takes it.
        context (Any | Unset): Any JSON but null (default `{}`).
    """

    event: FilterTestRequestEventType1 | str
    filter_: FilterPattern
    payload: Any
    context: Any | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.filter_test_request_event_type_1 import (
            FilterTestRequestEventType1,
        )

        event: dict[str, Any] | str
        if isinstance(self.event, FilterTestRequestEventType1):
            event = self.event.to_dict()
        else:
            event = self.event

        filter_ = self.filter_.to_dict()

        payload = self.payload

        context = self.context

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "event": event,
                "filter": filter_,
                "payload": payload,
            }
        )
        if context is not UNSET:
            field_dict["context"] = context

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.filter_pattern import FilterPattern
        from ..models.filter_test_request_event_type_1 import (
            FilterTestRequestEventType1,
        )

        d = dict(src_dict)

        def _parse_event(data: object) -> FilterTestRequestEventType1 | str:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                event_type_1 = FilterTestRequestEventType1.from_dict(data)

                return event_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FilterTestRequestEventType1 | str, data)

        event = _parse_event(d.pop("event"))

        filter_ = FilterPattern.from_dict(d.pop("filter"))

        payload = d.pop("payload")

        context = d.pop("context", UNSET)

        filter_test_request = cls(
            event=event,
            filter_=filter_,
            payload=payload,
            context=context,
        )

        return filter_test_request
