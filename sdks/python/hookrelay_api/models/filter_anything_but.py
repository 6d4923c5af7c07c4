from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.filter_anything_but_anything_but_type_3 import (
        FilterAnythingButAnythingButType3,
    )
    from ..models.filter_anything_but_anything_but_type_4 import (
        FilterAnythingButAnythingButType4,
    )
    from ..models.filter_anything_but_anything_but_type_5 import (
        FilterAnythingButAnythingButType5,
    )


T = TypeVar("T", bound="FilterAnythingBut")


@_attrs_define
class FilterAnythingBut:
    """
    Attributes:
        anything_but (FilterAnythingButAnythingButType3 | FilterAnythingButAnythingButType4 |
            FilterAnythingButAnythingButType5 | float | list[float] | list[str] | str):
    """

    anything_but: (
        FilterAnythingButAnythingButType3
        | FilterAnythingButAnythingButType4
        | FilterAnythingButAnythingButType5
        | float
        | list[float]
        | list[str]
        | str
    )

    def to_dict(self) -> dict[str, Any]:
        from ..models.filter_anything_but_anything_but_type_3 import (
            FilterAnythingButAnythingButType3,
        )
        from ..models.filter_anything_but_anything_but_type_4 import (
            FilterAnythingButAnythingButType4,
        )
        from ..models.filter_anything_but_anything_but_type_5 import (
            FilterAnythingButAnythingButType5,
        )

        anything_but: dict[str, Any] | float | list[float] | list[str] | str
        if isinstance(self.anything_but, list) or isinstance(self.anything_but, list):
            anything_but = self.anything_but

        elif (
            isinstance(self.anything_but, FilterAnythingButAnythingButType3)
            or isinstance(self.anything_but, FilterAnythingButAnythingButType4)
            or isinstance(self.anything_but, FilterAnythingButAnythingButType5)
        ):
            anything_but = self.anything_but.to_dict()
        else:
            anything_but = self.anything_but

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "anything-but": anything_but,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.filter_anything_but_anything_but_type_3 import (
            FilterAnythingButAnythingButType3,
        )
        from ..models.filter_anything_but_anything_but_type_4 import (
            FilterAnythingButAnythingButType4,
        )
        from ..models.filter_anything_but_anything_but_type_5 import (
            FilterAnythingButAnythingButType5,
        )

        d = dict(src_dict)

        def _parse_anything_but(
            data: object,
        ) -> (
            FilterAnythingButAnythingButType3
            | FilterAnythingButAnythingButType4
            | FilterAnythingButAnythingButType5
            | float
            | list[float]
            | list[str]
            | str
        ):
            try:
                if not isinstance(data, list):
                    raise TypeError()
                anything_but_type_1 = cast(list[str], data)

                return anything_but_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, list):
                    raise TypeError()
                anything_but_type_2 = cast(list[float], data)

                return anything_but_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                anything_but_type_3 = FilterAnythingButAnythingButType3.from_dict(data)

                return anything_but_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                anything_but_type_4 = FilterAnythingButAnythingButType4.from_dict(data)

                return anything_but_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                anything_but_type_5 = FilterAnythingButAnythingButType5.from_dict(data)

                return anything_but_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                FilterAnythingButAnythingButType3
                | FilterAnythingButAnythingButType4
                | FilterAnythingButAnythingButType5
                | float
                | list[float]
                | list[str]
                | str,
                data,
            )

        anything_but = _parse_anything_but(d.pop("anything-but"))

        filter_anything_but = cls(
            anything_but=anything_but,
        )

        return filter_anything_but
