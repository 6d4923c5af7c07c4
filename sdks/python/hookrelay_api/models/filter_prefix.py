from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.filter_prefix_prefix_type_1 import FilterPrefixPrefixType1


T = TypeVar("T", bound="FilterPrefix")


@_attrs_define
class FilterPrefix:
    """
    Attributes:
        prefix (FilterPrefixPrefixType1 | str):
    """

    prefix: FilterPrefixPrefixType1 | str

    def to_dict(self) -> dict[str, Any]:
        from ..models.filter_prefix_prefix_type_1 import FilterPrefixPrefixType1

        prefix: dict[str, Any] | str
        if isinstance(self.prefix, FilterPrefixPrefixType1):
            prefix = self.prefix.to_dict()
        else:
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
        from ..models.filter_prefix_prefix_type_1 import FilterPrefixPrefixType1

        d = dict(src_dict)

        def _parse_prefix(data: object) -> FilterPrefixPrefixType1 | str:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                prefix_type_1 = FilterPrefixPrefixType1.from_dict(data)

                return prefix_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FilterPrefixPrefixType1 | str, data)

        prefix = _parse_prefix(d.pop("prefix"))

        filter_prefix = cls(
            prefix=prefix,
        )

        return filter_prefix
