from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_type_request_schema_type_0 import EventTypeRequestSchemaType0


T = TypeVar("T", bound="EventTypeRequest")


@_attrs_define
class EventTypeRequest:
    """The fields `POST /v1/event-types` accepts.

    Attributes:
        name (str): 1–64 of `[A-Za-z0-9_-]`, e.g. `user`.
        type_ (str): 1–64 of `[A-Za-z0-9_-]`, e.g. `created`.
        description (None | str | Unset): At most 1000 characters.
        enforce (bool | None | Unset): Refuse (422, naming each JSON pointer) events whose payload breaks
            `schema`; default false; without a schema it enforces nothing until
            one is set. Applies within 60 s (warm functions keep what they read
            of it that long).
        example (Any | Unset): An example payload: any JSON, at most 16 KiB; it must keep to `schema`.
        schema (EventTypeRequestSchemaType0 | None | Unset): A JSON Schema (draft 2020-12) for the events' `payload`, at
            most 64
            KiB; references only within itself (nothing is fetched).
    """

    name: str
    type_: str
    description: None | str | Unset = UNSET
    enforce: bool | None | Unset = UNSET
    example: Any | Unset = UNSET
    schema: EventTypeRequestSchemaType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.event_type_request_schema_type_0 import (
            EventTypeRequestSchemaType0,
        )

        name = self.name

        type_ = self.type_

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
        elif isinstance(self.schema, EventTypeRequestSchemaType0):
            schema = self.schema.to_dict()
        else:
            schema = self.schema

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "type": type_,
            }
        )
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
        from ..models.event_type_request_schema_type_0 import (
            EventTypeRequestSchemaType0,
        )

        d = dict(src_dict)
        name = d.pop("name")

        type_ = d.pop("type")

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

        def _parse_schema(data: object) -> EventTypeRequestSchemaType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                schema_type_0 = EventTypeRequestSchemaType0.from_dict(data)

                return schema_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EventTypeRequestSchemaType0 | None | Unset, data)

        schema = _parse_schema(d.pop("schema", UNSET))

        event_type_request = cls(
            name=name,
            type_=type_,
            description=description,
            enforce=enforce,
            example=example,
            schema=schema,
        )

        return event_type_request
