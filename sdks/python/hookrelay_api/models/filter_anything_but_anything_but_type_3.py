from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="FilterAnythingButAnythingButType3")


@_attrs_define
class FilterAnythingButAnythingButType3:
    """
    Attributes:
        prefix (str):
    """

    prefix: str

    def to_dict(self) -> dict[str, Any]:
        prefix = self.prefix

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prefix": prefix,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        prefix = d.pop("prefix")

        filter_anything_but_anything_but_type_3 = cls(
            prefix=prefix,
        )

        return filter_anything_but_anything_but_type_3
