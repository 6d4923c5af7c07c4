from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.filter_anything_but import FilterAnythingBut
    from ..models.filter_equals_ignore_case import FilterEqualsIgnoreCase
    from ..models.filter_exists import FilterExists
    from ..models.filter_fields_4 import FilterFields4
    from ..models.filter_numeric import FilterNumeric
    from ..models.filter_prefix import FilterPrefix
    from ..models.filter_suffix import FilterSuffix


T = TypeVar("T", bound="FilterFields3")


@_attrs_define
class FilterFields3:
    additional_properties: dict[
        str,
        FilterFields4
        | list[
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
        ],
    ] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.filter_anything_but import FilterAnythingBut
        from ..models.filter_equals_ignore_case import FilterEqualsIgnoreCase
        from ..models.filter_exists import FilterExists
        from ..models.filter_numeric import FilterNumeric
        from ..models.filter_prefix import FilterPrefix
        from ..models.filter_suffix import FilterSuffix

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            if isinstance(prop, list):
                field_dict[prop_name] = []
                for componentsschemas_filter_leaf_item_data in prop:
                    componentsschemas_filter_leaf_item: (
                        bool | dict[str, Any] | float | None | str
                    )
                    if (
                        isinstance(
                            componentsschemas_filter_leaf_item_data, FilterPrefix
                        )
                        or isinstance(
                            componentsschemas_filter_leaf_item_data, FilterSuffix
                        )
                        or isinstance(
                            componentsschemas_filter_leaf_item_data,
                            FilterEqualsIgnoreCase,
                        )
                        or isinstance(
                            componentsschemas_filter_leaf_item_data, FilterAnythingBut
                        )
                        or isinstance(
                            componentsschemas_filter_leaf_item_data, FilterNumeric
                        )
                        or isinstance(
                            componentsschemas_filter_leaf_item_data, FilterExists
                        )
                    ):
                        componentsschemas_filter_leaf_item = (
                            componentsschemas_filter_leaf_item_data.to_dict()
                        )
                    else:
                        componentsschemas_filter_leaf_item = (
                            componentsschemas_filter_leaf_item_data
                        )
                    field_dict[prop_name].append(componentsschemas_filter_leaf_item)

            else:
                field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.filter_anything_but import FilterAnythingBut
        from ..models.filter_equals_ignore_case import FilterEqualsIgnoreCase
        from ..models.filter_exists import FilterExists
        from ..models.filter_fields_4 import FilterFields4
        from ..models.filter_numeric import FilterNumeric
        from ..models.filter_prefix import FilterPrefix
        from ..models.filter_suffix import FilterSuffix

        d = dict(src_dict)
        filter_fields_3 = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():

            def _parse_additional_property(
                data: object,
            ) -> (
                FilterFields4
                | list[
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
            ):
                try:
                    if not isinstance(data, list):
                        raise TypeError()
                    additional_property_type_0 = []
                    _additional_property_type_0 = data
                    for (
                        componentsschemas_filter_leaf_item_data
                    ) in _additional_property_type_0:

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

                        additional_property_type_0.append(
                            componentsschemas_filter_leaf_item
                        )

                    return additional_property_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                additional_property_type_1 = FilterFields4.from_dict(data)

                return additional_property_type_1

            additional_property = _parse_additional_property(prop_dict)

            additional_properties[prop_name] = additional_property

        filter_fields_3.additional_properties = additional_properties
        return filter_fields_3

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(
        self, key: str
    ) -> (
        FilterFields4
        | list[
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
    ):
        return self.additional_properties[key]

    def __setitem__(
        self,
        key: str,
        value: FilterFields4
        | list[
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
        ],
    ) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
