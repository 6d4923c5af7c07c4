from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.branding_view import BrandingView


T = TypeVar("T", bound="CurrentAccount")


@_attrs_define
class CurrentAccount:
    """
    Attributes:
        branding (BrandingView): What the console shows of the account: null fields fall back to the
            account's name and hookrelay's own look.
        created_at (str):
        id (str):
        name (str):
    """

    branding: BrandingView
    created_at: str
    id: str
    name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        branding = self.branding.to_dict()

        created_at = self.created_at

        id = self.id

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "branding": branding,
                "created_at": created_at,
                "id": id,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.branding_view import BrandingView

        d = dict(src_dict)
        branding = BrandingView.from_dict(d.pop("branding"))

        created_at = d.pop("created_at")

        id = d.pop("id")

        name = d.pop("name")

        current_account = cls(
            branding=branding,
            created_at=created_at,
            id=id,
            name=name,
        )

        current_account.additional_properties = d
        return current_account

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
