from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_type_change_request_schema_type_0 import (
        EventTypeChangeRequestSchemaType0,
    )


T = TypeVar("T", bound="EventTypeChangeRequest")


@_attrs_define
class EventTypeChangeRequest:
    """The fields `PATCH /v1/event-types/{event}` accepts; null clears one.

    Attributes:
        description (None | str | Unset):
        enforce (bool | None | Unset):
        example (Any | Unset):
        schema (EventTypeChangeRequestSchemaType0 | None | Unset): A new schema moves `schema_version` on; null removes
            it.
    """

    description: None | str | Unset = UNSET
    enforce: bool | None | Unset = UNSET
    example: Any | Unset = UNSET
    schema: EventTypeChangeRequestSchemaType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.event_type_change_request_schema_type_0 import (
            EventTypeChangeRequestSchemaType0,
        )

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        enforce: bool | None | Unset
        if isinstance(self.enforce, Unset):
            enforce = UNSET
        else:
            enforce = self.enforce

        example = self.example

        schema: dict[str, Any] | None | Unset
        if isinstance(self.schema, Unset):
            schema = UNSET
        elif isinstance(self.schema, EventTypeChangeRequestSchemaType0):
            schema = self.schema.to_dict()
        else:
            schema = self.schema

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if description is not UNSET:
            field_dict["description"] = description
        if enforce is not UNSET:
            field_dict["enforce"] = enforce
        if example is not UNSET:
            field_dict["example"] = example
        if schema is not UNSET:
            field_dict["schema"] = schema

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.event_type_change_request_schema_type_0 import (
            EventTypeChangeRequestSchemaType0,
        )

        d = dict(src_dict)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_enforce(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enforce = _parse_enforce(d.pop("enforce", UNSET))

        example = d.pop("example", UNSET)

        def _parse_schema(
            data: object,
        ) -> EventTypeChangeRequestSchemaType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                schema_type_0 = EventTypeChangeRequestSchemaType0.from_dict(data)

                return schema_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EventTypeChangeRequestSchemaType0 | None | Unset, data)

        schema = _parse_schema(d.pop("schema", UNSET))

        event_type_change_request = cls(
            description=description,
            enforce=enforce,
            example=example,
            schema=schema,
        )

        return event_type_change_request
