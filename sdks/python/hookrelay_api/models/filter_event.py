from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.filter_anything_but import FilterAnythingBut
    from ..models.filter_equals_ignore_case import FilterEqualsIgnoreCase
    from ..models.filter_exists import FilterExists
    from ..models.filter_numeric import FilterNumeric
    from ..models.filter_prefix import FilterPrefix
    from ..models.filter_suffix import FilterSuffix


T = TypeVar("T", bound="FilterEvent")


@_attrs_define
class FilterEvent:
    """
    Attributes:
        name (list[bool | FilterAnythingBut | FilterEqualsIgnoreCase | FilterExists | FilterNumeric | FilterPrefix |
            FilterSuffix | float | None | str] | Unset): Any of these matches: a value to equal, or one matcher.
        type_ (list[bool | FilterAnythingBut | FilterEqualsIgnoreCase | FilterExists | FilterNumeric | FilterPrefix |
            FilterSuffix | float | None | str] | Unset): Any of these matches: a value to equal, or one matcher.
    """

    name: (
        list[
            bool
            | FilterAnythingBut
            | FilterEqualsIgnoreCase
            | FilterExists
            | FilterNumeric
            | FilterPrefix
            | FilterSuffix
            | float
            | None
            | str
        ]
        | Unset
    ) = UNSET
    type_: (
        list[
            bool
            | FilterAnythingBut
            | FilterEqualsIgnoreCase
            | FilterExists
            | FilterNumeric
            | FilterPrefix
            | FilterSuffix
            | float
            | None
            | str
        ]
        | Unset
    ) = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.filter_anything_but import FilterAnythingBut
        from ..models.filter_equals_ignore_case import FilterEqualsIgnoreCase
        from ..models.filter_exists import FilterExists
        from ..models.filter_numeric import FilterNumeric
        from ..models.filter_prefix import FilterPrefix
        from ..models.filter_suffix import FilterSuffix

        name: list[bool | dict[str, Any] | float | None | str] | Unset = UNSET
        if not isinstance(self.name, Unset):
            name = []
            for componentsschemas_filter_leaf_item_data in self.name:
                componentsschemas_filter_leaf_item: (
                    bool | dict[str, Any] | float | None | str
                )
                if (
                    isinstance(componentsschemas_filter_leaf_item_data, FilterPrefix)
                    or isinstance(componentsschemas_filter_leaf_item_data, FilterSuffix)
                    or isinstance(
                        componentsschemas_filter_leaf_item_data, FilterEqualsIgnoreCase
                    )
                    or isinstance(
                        componentsschemas_filter_leaf_item_data, FilterAnythingBut
                    )
                    or isinstance(
                        componentsschemas_filter_leaf_item_data, FilterNumeric
                    )
                    or isinstance(componentsschemas_filter_leaf_item_data, FilterExists)
                ):
                    componentsschemas_filter_leaf_item = (
                        componentsschemas_filter_leaf_item_data.to_dict()
                    )
                else:
                    componentsschemas_filter_leaf_item = (
                        componentsschemas_filter_leaf_item_data
                    )
                name.append(componentsschemas_filter_leaf_item)

        type_: list[bool | dict[str, Any] | float | None | str] | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = []
            for componentsschemas_filter_leaf_item_data in self.type_:
                componentsschemas_filter_leaf_item: (
                    bool | dict[str, Any] | float | None | str
                )
                if (
                    isinstance(componentsschemas_filter_leaf_item_data, FilterPrefix)
                    or isinstance(componentsschemas_filter_leaf_item_data, FilterSuffix)
                    or isinstance(
                        componentsschemas_filter_leaf_item_data, FilterEqualsIgnoreCase
                    )
                    or isinstance(
                        componentsschemas_filter_leaf_item_data, FilterAnythingBut
                    )
                    or isinstance(
                        componentsschemas_filter_leaf_item_data, FilterNumeric
                    )
                    or isinstance(componentsschemas_filter_leaf_item_data, FilterExists)
                ):
                    componentsschemas_filter_leaf_item = (
                        componentsschemas_filter_leaf_item_data.to_dict()
                    )
                else:
                    componentsschemas_filter_leaf_item = (
                        componentsschemas_filter_leaf_item_data
                    )
                type_.append(componentsschemas_filter_leaf_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.filter_anything_but import FilterAnythingBut
        from ..models.filter_equals_ignore_case import FilterEqualsIgnoreCase
        from ..models.filter_exists import FilterExists
        from ..models.filter_numeric import FilterNumeric
        from ..models.filter_prefix import FilterPrefix
        from ..models.filter_suffix import FilterSuffix

        d = dict(src_dict)
        _name = d.pop("name", UNSET)
        name: (
            list[
                bool
                | FilterAnythingBut
                | FilterEqualsIgnoreCase
                | FilterExists
                | FilterNumeric
                | FilterPrefix
                | FilterSuffix
                | float
                | None
                | str
            ]
            | Unset
        ) = UNSET
        if _name is not UNSET:
            name = []
            for componentsschemas_filter_leaf_item_data in _name:

                def _parse_componentsschemas_filter_leaf_item(
                    data: object,
                ) -> (
                    bool
                    | FilterAnythingBut
                    | FilterEqualsIgnoreCase
                    | FilterExists
                    | FilterNumeric
                    | FilterPrefix
                    | FilterSuffix
                    | float
                    | None
                    | str
                ):
                    if data is None:
                        return data
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_filter_leaf_item_type_1 = (
                            FilterPrefix.from_dict(data)
                        )

                        return componentsschemas_filter_leaf_item_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_filter_leaf_item_type_2 = (
                            FilterSuffix.from_dict(data)
                        )

                        return componentsschemas_filter_leaf_item_type_2
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_filter_leaf_item_type_3 = (
                            FilterEqualsIgnoreCase.from_dict(data)
                        )

                        return componentsschemas_filter_leaf_item_type_3
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_filter_leaf_item_type_4 = (
                            FilterAnythingBut.from_dict(data)
                        )

                        return componentsschemas_filter_leaf_item_type_4
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_filter_leaf_item_type_5 = (
                            FilterNumeric.from_dict(data)
                        )

                        return componentsschemas_filter_leaf_item_type_5
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_filter_leaf_item_type_6 = (
                            FilterExists.from_dict(data)
                        )

                        return componentsschemas_filter_leaf_item_type_6
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    return cast(
                        bool
                        | FilterAnythingBut
                        | FilterEqualsIgnoreCase
                        | FilterExists
                        | FilterNumeric
                        | FilterPrefix
                        | FilterSuffix
                        | float
                        | None
                        | str,
                        data,
                    )

                componentsschemas_filter_leaf_item = (
                    _parse_componentsschemas_filter_leaf_item(
                        componentsschemas_filter_leaf_item_data
                    )
                )

                name.append(componentsschemas_filter_leaf_item)

        _type_ = d.pop("type", UNSET)
        type_: (
            list[
                bool
                | FilterAnythingBut
                | FilterEqualsIgnoreCase
                | FilterExists
                | FilterNumeric
                | FilterPrefix
                | FilterSuffix
                | float
                | None
                | str
            ]
            | Unset
        ) = UNSET
        if _type_ is not UNSET:
            type_ = []
            for componentsschemas_filter_leaf_item_data in _type_:

                def _parse_componentsschemas_filter_leaf_item(
                    data: object,
                ) -> (
                    bool
                    | FilterAnythingBut
                    | FilterEqualsIgnoreCase
                    | FilterExists
                    | FilterNumeric
                    | FilterPrefix
                    | FilterSuffix
                    | float
                    | None
                    | str
                ):
                    if data is None:
                        return data
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_filter_leaf_item_type_1 = (
                            FilterPrefix.from_dict(data)
                        )

                        return componentsschemas_filter_leaf_item_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_filter_leaf_item_type_2 = (
                            FilterSuffix.from_dict(data)
                        )

                        return componentsschemas_filter_leaf_item_type_2
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_filter_leaf_item_type_3 = (
                            FilterEqualsIgnoreCase.from_dict(data)
                        )

                        return componentsschemas_filter_leaf_item_type_3
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_filter_leaf_item_type_4 = (
                            FilterAnythingBut.from_dict(data)
                        )

                        return componentsschemas_filter_leaf_item_type_4
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_filter_leaf_item_type_5 = (
                            FilterNumeric.from_dict(data)
                        )

                        return componentsschemas_filter_leaf_item_type_5
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_filter_leaf_item_type_6 = (
                            FilterExists.from_dict(data)
                        )

                        return componentsschemas_filter_leaf_item_type_6
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    return cast(
                        bool
                        | FilterAnythingBut
                        | FilterEqualsIgnoreCase
                        | FilterExists
                        | FilterNumeric
                        | FilterPrefix
                        | FilterSuffix
                        | float
                        | None
                        | str,
                        data,
                    )

                componentsschemas_filter_leaf_item = (
                    _parse_componentsschemas_filter_leaf_item(
                        componentsschemas_filter_leaf_item_data
                    )
                )

                type_.append(componentsschemas_filter_leaf_item)

        filter_event = cls(
            name=name,
            type_=type_,
        )

        return filter_event
