from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="FilterSuffixSuffixType1")


@_attrs_define
class FilterSuffixSuffixType1:
    """
    Attributes:
        equals_ignore_case (str):
    """

    equals_ignore_case: str

    def to_dict(self) -> dict[str, Any]:
        equals_ignore_case = self.equals_ignore_case

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "equals-ignore-case": equals_ignore_case,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        equals_ignore_case = d.pop("equals-ignore-case")

        filter_suffix_suffix_type_1 = cls(
            equals_ignore_case=equals_ignore_case,
        )

        return filter_suffix_suffix_type_1
