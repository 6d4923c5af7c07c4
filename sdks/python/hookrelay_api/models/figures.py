from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.status_counts import StatusCounts


T = TypeVar("T", bound="Figures")


@_attrs_define
class Figures:
    """
    Attributes:
        attempts (int):
        counts (StatusCounts):
        error_rate (float): errors / attempts; 0 without attempts.
        errors (int): Attempts without a 2xx.
        median_duration_ms (int | None | Unset): The median send duration, from a histogram (exact to its buckets:
            5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000 ms);
            null without attempts.
    """

    attempts: int
    counts: StatusCounts
    error_rate: float
    errors: int
    median_duration_ms: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        counts = self.counts.to_dict()

        error_rate = self.error_rate

        errors = self.errors

        median_duration_ms: int | None | Unset
        if isinstance(self.median_duration_ms, Unset):
            median_duration_ms = UNSET
        else:
            median_duration_ms = self.median_duration_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempts": attempts,
                "counts": counts,
                "error_rate": error_rate,
                "errors": errors,
            }
        )
        if median_duration_ms is not UNSET:
            field_dict["median_duration_ms"] = median_duration_ms

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.status_counts import StatusCounts

        d = dict(src_dict)
        attempts = d.pop("attempts")

        counts = StatusCounts.from_dict(d.pop("counts"))

        error_rate = d.pop("error_rate")

        errors = d.pop("errors")

        def _parse_median_duration_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        median_duration_ms = _parse_median_duration_ms(
            d.pop("median_duration_ms", UNSET)
        )

        figures = cls(
            attempts=attempts,
            counts=counts,
            error_rate=error_rate,
            errors=errors,
            median_duration_ms=median_duration_ms,
        )

        figures.additional_properties = d
        return figures

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
