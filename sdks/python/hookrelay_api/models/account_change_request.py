from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.branding_request import BrandingRequest


T = TypeVar("T", bound="AccountChangeRequest")


@_attrs_define
class AccountChangeRequest:
    """The fields `PATCH /v1/account` accepts.

    Attributes:
        branding (BrandingRequest | None | Unset):
    """

    branding: BrandingRequest | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.branding_request import BrandingRequest

        branding: dict[str, Any] | None | Unset
        if isinstance(self.branding, Unset):
            branding = UNSET
        elif isinstance(self.branding, BrandingRequest):
            branding = self.branding.to_dict()
        else:
            branding = self.branding

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if branding is not UNSET:
            field_dict["branding"] = branding

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.branding_request import BrandingRequest

        d = dict(src_dict)

        def _parse_branding(data: object) -> BrandingRequest | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                branding_type_1 = BrandingRequest.from_dict(data)

                return branding_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BrandingRequest | None | Unset, data)

        branding = _parse_branding(d.pop("branding", UNSET))

        account_change_request = cls(
            branding=branding,
        )

        return account_change_request
