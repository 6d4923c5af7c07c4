from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="FilterAnythingButAnythingButType4")


@_attrs_define
class FilterAnythingButAnythingButType4:
    """
    Attributes:
        suffix (str):
    """

    suffix: str

    def to_dict(self) -> dict[str, Any]:
        suffix = self.suffix

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "suffix": suffix,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        suffix = d.pop("suffix")

        filter_anything_but_anything_but_type_4 = cls(
            suffix=suffix,
        )

        return filter_anything_but_anything_but_type_4
