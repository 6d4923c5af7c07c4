from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.filter_numeric_numeric_type_0_item_type_0 import (
    FilterNumericNumericType0ItemType0,
)
from ..models.filter_numeric_numeric_type_1_item_type_0 import (
    FilterNumericNumericType1ItemType0,
)
from ..models.filter_numeric_numeric_type_1_item_type_2 import (
    FilterNumericNumericType1ItemType2,
)

T = TypeVar("T", bound="FilterNumeric")


@_attrs_define
class FilterNumeric:
    """
    Attributes:
        numeric (list[FilterNumericNumericType0ItemType0 | float] | list[FilterNumericNumericType1ItemType0 |
            FilterNumericNumericType1ItemType2 | float]):
    """

    numeric: (
        list[FilterNumericNumericType0ItemType0 | float]
        | list[
            FilterNumericNumericType1ItemType0
            | FilterNumericNumericType1ItemType2
            | float
        ]
    )

    def to_dict(self) -> dict[str, Any]:
        numeric: list[float | str]
        if isinstance(self.numeric, list):
            numeric = []
            for numeric_type_0_item_data in self.numeric:
                numeric_type_0_item: float | str
                if isinstance(
                    numeric_type_0_item_data, FilterNumericNumericType0ItemType0
                ):
                    numeric_type_0_item = numeric_type_0_item_data.value
                else:
                    numeric_type_0_item = numeric_type_0_item_data
                numeric.append(numeric_type_0_item)

        else:
            numeric = []
            for numeric_type_1_item_data in self.numeric:
                numeric_type_1_item: float | str
                if isinstance(
                    numeric_type_1_item_data, FilterNumericNumericType1ItemType0
                ) or isinstance(
                    numeric_type_1_item_data, FilterNumericNumericType1ItemType2
                ):
                    numeric_type_1_item = numeric_type_1_item_data.value
                else:
                    numeric_type_1_item = numeric_type_1_item_data
                numeric.append(numeric_type_1_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "numeric": numeric,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_numeric(
            data: object,
        ) -> (
            list[FilterNumericNumericType0ItemType0 | float]
            | list[
                FilterNumericNumericType1ItemType0
                | FilterNumericNumericType1ItemType2
                | float
            ]
        ):
            try:
                if not isinstance(data, list):
                    raise TypeError()
                numeric_type_0 = []
                _numeric_type_0 = data
                for numeric_type_0_item_data in _numeric_type_0:

                    def _parse_numeric_type_0_item(
                        data: object,
                    ) -> FilterNumericNumericType0ItemType0 | float:
                        try:
                            if not isinstance(data, str):
                                raise TypeError()
                            numeric_type_0_item_type_0 = (
                                FilterNumericNumericType0ItemType0(data)
                            )

                            return numeric_type_0_item_type_0
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        return cast(FilterNumericNumericType0ItemType0 | float, data)

                    numeric_type_0_item = _parse_numeric_type_0_item(
                        numeric_type_0_item_data
                    )

                    numeric_type_0.append(numeric_type_0_item)

                return numeric_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, list):
                raise TypeError()
            numeric_type_1 = []
            _numeric_type_1 = data
            for numeric_type_1_item_data in _numeric_type_1:

                def _parse_numeric_type_1_item(
                    data: object,
                ) -> (
                    FilterNumericNumericType1ItemType0
                    | FilterNumericNumericType1ItemType2
                    | float
                ):
                    try:
                        if not isinstance(data, str):
                            raise TypeError()
                        numeric_type_1_item_type_0 = FilterNumericNumericType1ItemType0(
                            data
                        )

                        return numeric_type_1_item_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, str):
                            raise TypeError()
                        numeric_type_1_item_type_2 = FilterNumericNumericType1ItemType2(
                            data
                        )

                        return numeric_type_1_item_type_2
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    return cast(
                        FilterNumericNumericType1ItemType0
                        | FilterNumericNumericType1ItemType2
                        | float,
                        data,
                    )

                numeric_type_1_item = _parse_numeric_type_1_item(
                    numeric_type_1_item_data
                )

                numeric_type_1.append(numeric_type_1_item)

            return numeric_type_1

        numeric = _parse_numeric(d.pop("numeric"))

        filter_numeric = cls(
            numeric=numeric,
        )

        return filter_numeric
