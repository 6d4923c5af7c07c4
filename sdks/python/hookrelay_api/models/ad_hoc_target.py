from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AdHocTarget")


@_attrs_define
class AdHocTarget:
    """
    Attributes:
        url (str): As a webhook's `url`.
        delay (int | None | Unset): Overrides the event's `delay`: 0–604800 seconds.
    """

    url: str
    delay: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        delay: int | None | Unset
        if isinstance(self.delay, Unset):
            delay = UNSET
        else:
            delay = self.delay

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
            }
        )
        if delay is not UNSET:
            field_dict["delay"] = delay

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        url = d.pop("url")

        def _parse_delay(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        delay = _parse_delay(d.pop("delay", UNSET))

        ad_hoc_target = cls(
            url=url,
            delay=delay,
        )

        return ad_hoc_target
