from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="FilterExists")


@_attrs_define
class FilterExists:
    """
    Attributes:
        exists (bool):
    """

    exists: bool

    def to_dict(self) -> dict[str, Any]:
        exists = self.exists

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "exists": exists,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        exists = d.pop("exists")

        filter_exists = cls(
            exists=exists,
        )

        return filter_exists
