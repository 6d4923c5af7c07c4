from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="FilterAnythingButAnythingButType5")


@_attrs_define
class FilterAnythingButAnythingButType5:
    """
    Attributes:
        equals_ignore_case (list[str] | str):
    """

    equals_ignore_case: list[str] | str

    def to_dict(self) -> dict[str, Any]:
        equals_ignore_case: list[str] | str
        if isinstance(self.equals_ignore_case, list):
            equals_ignore_case = self.equals_ignore_case

        else:
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

        def _parse_equals_ignore_case(data: object) -> list[str] | str:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                equals_ignore_case_type_1 = cast(list[str], data)

                return equals_ignore_case_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | str, data)

        equals_ignore_case = _parse_equals_ignore_case(d.pop("equals-ignore-case"))

        filter_anything_but_anything_but_type_5 = cls(
            equals_ignore_case=equals_ignore_case,
        )

        return filter_anything_but_anything_but_type_5
