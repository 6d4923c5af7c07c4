from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.filter_suffix_suffix_type_1 import FilterSuffixSuffixType1


T = TypeVar("T", bound="FilterSuffix")


@_attrs_define
class FilterSuffix:
    """
    Attributes:
        suffix (FilterSuffixSuffixType1 | str):
    """

    suffix: FilterSuffixSuffixType1 | str

    def to_dict(self) -> dict[str, Any]:
        from ..models.filter_suffix_suffix_type_1 import FilterSuffixSuffixType1

        suffix: dict[str, Any] | str
        if isinstance(self.suffix, FilterSuffixSuffixType1):
            suffix = self.suffix.to_dict()
        else:
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
        from ..models.filter_suffix_suffix_type_1 import FilterSuffixSuffixType1

        d = dict(src_dict)

        def _parse_suffix(data: object) -> FilterSuffixSuffixType1 | str:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                suffix_type_1 = FilterSuffixSuffixType1.from_dict(data)

                return suffix_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FilterSuffixSuffixType1 | str, data)

        suffix = _parse_suffix(d.pop("suffix"))

        filter_suffix = cls(
            suffix=suffix,
        )

        return filter_suffix
