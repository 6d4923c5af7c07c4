from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.transform_preview_request_transform_type_0 import (
    TransformPreviewRequestTransformType0,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.transform_preview_request_event_type_1 import (
        TransformPreviewRequestEventType1,
    )
    from ..models.transform_preview_request_transform_type_1 import (
        TransformPreviewRequestTransformType1,
    )


T = TypeVar("T", bound="TransformPreviewRequest")


@_attrs_define
class TransformPreviewRequest:
    """The fields `POST /v1/transforms/preview` accepts.

    Attributes:
        event (str | TransformPreviewRequestEventType1): The event: `name.type`, or `{"name", "type"}`.
        transform (TransformPreviewRequestTransformType0 | TransformPreviewRequestTransformType1): The shape to try, as
            a webhook's `transform`.
        context (Any | Unset): Any JSON but null (default `{}`).
        payload (Any | Unset): Any JSON but null; default: the catalogue's example for the event, else `{}`.
    """

    event: str | TransformPreviewRequestEventType1
    transform: (
        TransformPreviewRequestTransformType0 | TransformPreviewRequestTransformType1
    )
    context: Any | Unset = UNSET
    payload: Any | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.transform_preview_request_event_type_1 import (
            TransformPreviewRequestEventType1,
        )

        event: dict[str, Any] | str
        if isinstance(self.event, TransformPreviewRequestEventType1):
            event = self.event.to_dict()
        else:
            event = self.event

        transform: dict[str, Any] | str
        if isinstance(self.transform, TransformPreviewRequestTransformType0):
            transform = self.transform.value
        else:
            transform = self.transform.to_dict()

        context = self.context

        payload = self.payload

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "event": event,
                "transform": transform,
            }
        )
        if context is not UNSET:
            field_dict["context"] = context
        if payload is not UNSET:
            field_dict["payload"] = payload

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.transform_preview_request_event_type_1 import (
            TransformPreviewRequestEventType1,
        )
        from ..models.transform_preview_request_transform_type_1 import (
            TransformPreviewRequestTransformType1,
        )

        d = dict(src_dict)

        def _parse_event(data: object) -> str | TransformPreviewRequestEventType1:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                event_type_1 = TransformPreviewRequestEventType1.from_dict(data)

                return event_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | TransformPreviewRequestEventType1, data)

        event = _parse_event(d.pop("event"))

        def _parse_transform(
            data: object,
        ) -> (
            TransformPreviewRequestTransformType0
            | TransformPreviewRequestTransformType1
        ):
            try:
                if not isinstance(data, str):
                    raise TypeError()
                transform_type_0 = TransformPreviewRequestTransformType0(data)

                return transform_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            transform_type_1 = TransformPreviewRequestTransformType1.from_dict(data)

            return transform_type_1

        transform = _parse_transform(d.pop("transform"))

        context = d.pop("context", UNSET)

        payload = d.pop("payload", UNSET)

        transform_preview_request = cls(
            event=event,
            transform=transform,
            context=context,
            payload=payload,
        )

        return transform_preview_request
