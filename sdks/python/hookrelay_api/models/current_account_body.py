from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.access_view import AccessView
    from ..models.current_account import CurrentAccount


T = TypeVar("T", bound="CurrentAccountBody")


@_attrs_define
class CurrentAccountBody:
    """
    Attributes:
        access (AccessView): What the request's credential grants.
        account (CurrentAccount):
    """

    access: AccessView
    account: CurrentAccount
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access = self.access.to_dict()

        account = self.account.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access": access,
                "account": account,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.access_view import AccessView
        from ..models.current_account import CurrentAccount

        d = dict(src_dict)
        access = AccessView.from_dict(d.pop("access"))

        account = CurrentAccount.from_dict(d.pop("account"))

        current_account_body = cls(
            access=access,
            account=account,
        )

        current_account_body.additional_properties = d
        return current_account_body

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
