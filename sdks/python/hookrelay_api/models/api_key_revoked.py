from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ApiKeyRevoked")


@_attrs_define
class ApiKeyRevoked:
    """
    Attributes:
        deleted (bool):
        id (str):
        note (str): The same, in words.
        refused_within_seconds (int): Requests with the key are refused within this many seconds everywhere
            (a warm function trusts a key it checked for this long).
    """

    deleted: bool
    id: str
    note: str
    refused_within_seconds: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        deleted = self.deleted

        id = self.id

        note = self.note

        refused_within_seconds = self.refused_within_seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "deleted": deleted,
                "id": id,
                "note": note,
                "refused_within_seconds": refused_within_seconds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        deleted = d.pop("deleted")

        id = d.pop("id")

        note = d.pop("note")

        refused_within_seconds = d.pop("refused_within_seconds")

        api_key_revoked = cls(
            deleted=deleted,
            id=id,
            note=note,
            refused_within_seconds=refused_within_seconds,
        )

        api_key_revoked.additional_properties = d
        return api_key_revoked

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
