from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bucket import Bucket
    from ..models.figures import Figures


T = TypeVar("T", bound="Stats")


@_attrs_define
class Stats:
    """
    Attributes:
        buckets (list[Bucket]): Every bucket of the window, oldest first (empty ones too).
        end (str):
        granularity (str): hour or day
        start (str): The window, on bucket boundaries (UTC).
        totals (Figures):
        webhook_id (None | str | Unset): Null for the account-wide stats.
    """

    buckets: list[Bucket]
    end: str
    granularity: str
    start: str
    totals: Figures
    webhook_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        buckets = []
        for buckets_item_data in self.buckets:
            buckets_item = buckets_item_data.to_dict()
            buckets.append(buckets_item)

        end = self.end

        granularity = self.granularity

        start = self.start

        totals = self.totals.to_dict()

        webhook_id: None | str | Unset
        if isinstance(self.webhook_id, Unset):
            webhook_id = UNSET
        else:
            webhook_id = self.webhook_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "buckets": buckets,
                "end": end,
                "granularity": granularity,
                "start": start,
                "totals": totals,
            }
        )
        if webhook_id is not UNSET:
            field_dict["webhook_id"] = webhook_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.bucket import Bucket
        from ..models.figures import Figures

        d = dict(src_dict)
        buckets = []
        _buckets = d.pop("buckets")
        for buckets_item_data in _buckets:
            buckets_item = Bucket.from_dict(buckets_item_data)

            buckets.append(buckets_item)

        end = d.pop("end")

        granularity = d.pop("granularity")

        start = d.pop("start")

        totals = Figures.from_dict(d.pop("totals"))

        def _parse_webhook_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        webhook_id = _parse_webhook_id(d.pop("webhook_id", UNSET))

        stats = cls(
            buckets=buckets,
            end=end,
            granularity=granularity,
            start=start,
            totals=totals,
            webhook_id=webhook_id,
        )

        stats.additional_properties = d
        return stats

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
