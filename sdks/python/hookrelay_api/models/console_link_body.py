from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.console_link_view import ConsoleLinkView


T = TypeVar("T", bound="ConsoleLinkBody")


@_attrs_define
class ConsoleLinkBody:
    """
    Attributes:
        console_link (ConsoleLinkView):
    """

    console_link: ConsoleLinkView
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        console_link = self.console_link.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "console_link": console_link,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.console_link_view import ConsoleLinkView

        d = dict(src_dict)
        console_link = ConsoleLinkView.from_dict(d.pop("console_link"))

        console_link_body = cls(
            console_link=console_link,
        )

        console_link_body.additional_properties = d
        return console_link_body

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
