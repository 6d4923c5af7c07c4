from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="EventTypeView")


@_attrs_define
class EventTypeView:
    """
    Attributes:
        created_at (str):
        enforce (bool): Whether `POST /v1/events` refuses a payload that breaks `schema`.
        event (str): `name.type`: the path of this event type, and what webhooks subscribe to.
        name (str):
        schema_version (int): Moves on with every change of `schema` (0: it never had one).
        type_ (str):
        updated_at (str):
        description (None | str | Unset):
        example (Any | Unset): An example payload (any JSON).
        schema (Any | Unset): The JSON Schema (draft 2020-12) of its events' `payload`; null: none.
    """

    created_at: str
    enforce: bool
    event: str
    name: str
    schema_version: int
    type_: str
    updated_at: str
    description: None | str | Unset = UNSET
    example: Any | Unset = UNSET
    schema: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        enforce = self.enforce

        event = self.event

        name = self.name

        schema_version = self.schema_version

        type_ = self.type_

        updated_at = self.updated_at

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        example = self.example

        schema = self.schema

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "enforce": enforce,
                "event": event,
                "name": name,
                "schema_version": schema_version,
                "type": type_,
                "updated_at": updated_at,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if example is not UNSET:
            field_dict["example"] = example
        if schema is not UNSET:
            field_dict["schema"] = schema

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        enforce = d.pop("enforce")

        event = d.pop("event")

        name = d.pop("name")

        schema_version = d.pop("schema_version")

        type_ = d.pop("type")

        updated_at = d.pop("updated_at")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        example = d.pop("example", UNSET)

        schema = d.pop("schema", UNSET)

        event_type_view = cls(
            created_at=created_at,
            enforce=enforce,
            event=event,
            name=name,
            schema_version=schema_version,
            type_=type_,
            updated_at=updated_at,
            description=description,
            example=example,
            schema=schema,
        )

        event_type_view.additional_properties = d
        return event_type_view

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
