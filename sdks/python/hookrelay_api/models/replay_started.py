from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReplayStarted")


@_attrs_define
class ReplayStarted:
    """What `replay_failed` did.

    Attributes:
        in_background (bool): Whether more are being sent in the background (past a 5 s budget).
        replayed (int): How many deliveries that failed while the webhook was off were sent
            again (so far); 0 when it was on already.
    """

    in_background: bool
    replayed: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        in_background = self.in_background

        replayed = self.replayed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "in_background": in_background,
                "replayed": replayed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        in_background = d.pop("in_background")

        replayed = d.pop("replayed")

        replay_started = cls(
            in_background=in_background,
            replayed=replayed,
        )

        replay_started.additional_properties = d
        return replay_started

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
