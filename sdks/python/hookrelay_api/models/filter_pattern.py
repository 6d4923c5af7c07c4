from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.filter_anything_but import FilterAnythingBut
    from ..models.filter_equals_ignore_case import FilterEqualsIgnoreCase
    from ..models.filter_event import FilterEvent
    from ..models.filter_exists import FilterExists
    from ..models.filter_fields_2 import FilterFields2
    from ..models.filter_numeric import FilterNumeric
    from ..models.filter_prefix import FilterPrefix
    from ..models.filter_suffix import FilterSuffix


T = TypeVar("T", bound="FilterPattern")


@_attrs_define
class FilterPattern:
    """An EventBridge event pattern over what is sent: every field must match, any value of a list may. At most 2048 bytes
    of JSON, fields at most 6 levels down; `$or` is not supported.

        Attributes:
            event (FilterEvent | Unset):
            payload (FilterFields2 | list[bool | FilterAnythingBut | FilterEqualsIgnoreCase | FilterExists | FilterNumeric |
                FilterPrefix | FilterSuffix | float | None | str] | Unset):
            context (FilterFields2 | list[bool | FilterAnythingBut | FilterEqualsIgnoreCase | FilterExists | FilterNumeric |
                FilterPrefix | FilterSuffix | float | None | str] | Unset):
    """

    event: FilterEvent | Unset = UNSET
    payload: (
        FilterFields2
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
        | Unset
    ) = UNSET
    context: (
        FilterFields2
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
        | Unset
    ) = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.filter_anything_but import FilterAnythingBut
        from ..models.filter_equals_ignore_case import FilterEqualsIgnoreCase
        from ..models.filter_exists import FilterExists
        from ..models.filter_numeric import FilterNumeric
        from ..models.filter_prefix import FilterPrefix
        from ..models.filter_suffix import FilterSuffix

        event: dict[str, Any] | Unset = UNSET
        if not isinstance(self.event, Unset):
            event = self.event.to_dict()

        payload: (
            dict[str, Any] | list[bool | dict[str, Any] | float | None | str] | Unset
        )
        if isinstance(self.payload, Unset):
            payload = UNSET
        elif isinstance(self.payload, list):
            payload = []
            for componentsschemas_filter_leaf_item_data in self.payload:
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
                payload.append(componentsschemas_filter_leaf_item)

        else:
            payload = self.payload.to_dict()

        context: (
            dict[str, Any] | list[bool | dict[str, Any] | float | None | str] | Unset
        )
        if isinstance(self.context, Unset):
            context = UNSET
        elif isinstance(self.context, list):
            context = []
            for componentsschemas_filter_leaf_item_data in self.context:
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
                context.append(componentsschemas_filter_leaf_item)

        else:
            context = self.context.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if event is not UNSET:
            field_dict["event"] = event
        if payload is not UNSET:
            field_dict["payload"] = payload
        if context is not UNSET:
            field_dict["context"] = context

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.filter_anything_but import FilterAnythingBut
        from ..models.filter_equals_ignore_case import FilterEqualsIgnoreCase
        from ..models.filter_event import FilterEvent
        from ..models.filter_exists import FilterExists
        from ..models.filter_fields_2 import FilterFields2
        from ..models.filter_numeric import FilterNumeric
        from ..models.filter_prefix import FilterPrefix
        from ..models.filter_suffix import FilterSuffix

        d = dict(src_dict)
        _event = d.pop("event", UNSET)
        event: FilterEvent | Unset
        if isinstance(_event, Unset):
            event = UNSET
        else:
            event = FilterEvent.from_dict(_event)

        def _parse_payload(
            data: object,
        ) -> (
            FilterFields2
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
            | Unset
        ):
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                payload_type_0 = []
                _payload_type_0 = data
                for componentsschemas_filter_leaf_item_data in _payload_type_0:

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

                    payload_type_0.append(componentsschemas_filter_leaf_item)

                return payload_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            payload_type_1 = FilterFields2.from_dict(data)

            return payload_type_1

        payload = _parse_payload(d.pop("payload", UNSET))

        def _parse_context(
            data: object,
        ) -> (
            FilterFields2
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
            | Unset
        ):
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                context_type_0 = []
                _context_type_0 = data
                for componentsschemas_filter_leaf_item_data in _context_type_0:

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

                    context_type_0.append(componentsschemas_filter_leaf_item)

                return context_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            context_type_1 = FilterFields2.from_dict(data)

            return context_type_1

        context = _parse_context(d.pop("context", UNSET))

        filter_pattern = cls(
            event=event,
            payload=payload,
            context=context,
        )

        return filter_pattern
