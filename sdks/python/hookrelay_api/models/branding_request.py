from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BrandingRequest")


@_attrs_define
class BrandingRequest:
    """The fields `branding` takes in `PATCH /v1/account`: each left out is
    kept, null clears it.

        Attributes:
            accent_color (None | str | Unset): `#rrggbb`.
            display_name (None | str | Unset): 1–100 characters, not blank, no control characters.
            logo (None | str | Unset): `data:image/png;base64,...` (or `image/jpeg`, `image/svg+xml`): at most
                64 KiB of image, whose bytes must be of the type named. An SVG is only
                ever shown as an image, where it runs no script.
    """

    accent_color: None | str | Unset = UNSET
    display_name: None | str | Unset = UNSET
    logo: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        accent_color: None | str | Unset
        if isinstance(self.accent_color, Unset):
            accent_color = UNSET
        else:
            accent_color = self.accent_color

        display_name: None | str | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        else:
            display_name = self.display_name

        logo: None | str | Unset
        if isinstance(self.logo, Unset):
            logo = UNSET
        else:
            logo = self.logo

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if accent_color is not UNSET:
            field_dict["accent_color"] = accent_color
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if logo is not UNSET:
            field_dict["logo"] = logo

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_accent_color(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        accent_color = _parse_accent_color(d.pop("accent_color", UNSET))

        def _parse_display_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display_name = _parse_display_name(d.pop("display_name", UNSET))

        def _parse_logo(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        logo = _parse_logo(d.pop("logo", UNSET))

        branding_request = cls(
            accent_color=accent_color,
            display_name=display_name,
            logo=logo,
        )

        return branding_request
