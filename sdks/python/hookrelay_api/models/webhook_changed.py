from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.replay_started import ReplayStarted
    from ..models.webhook_view import WebhookView


T = TypeVar("T", bound="WebhookChanged")


@_attrs_define
class WebhookChanged:
    """A PATCH's answer: the webhook, and what `replay_failed` did (only when asked).

    Attributes:
        webhook (WebhookView): A webhook as responses show it: the URL's password, the secret and the
            endpoint API key masked (the secret is shown whole on create and rotate).
        replay (None | ReplayStarted | Unset):
    """

    webhook: WebhookView
    replay: None | ReplayStarted | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.replay_started import ReplayStarted

        webhook = self.webhook.to_dict()

        replay: dict[str, Any] | None | Unset
        if isinstance(self.replay, Unset):
            replay = UNSET
        elif isinstance(self.replay, ReplayStarted):
            replay = self.replay.to_dict()
        else:
            replay = self.replay

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "webhook": webhook,
            }
        )
        if replay is not UNSET:
            field_dict["replay"] = replay

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.replay_started import ReplayStarted
        from ..models.webhook_view import WebhookView

        d = dict(src_dict)
        webhook = WebhookView.from_dict(d.pop("webhook"))

        def _parse_replay(data: object) -> None | ReplayStarted | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                replay_type_1 = ReplayStarted.from_dict(data)

                return replay_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReplayStarted | Unset, data)

        replay = _parse_replay(d.pop("replay", UNSET))

        webhook_changed = cls(
            webhook=webhook,
            replay=replay,
        )

        webhook_changed.additional_properties = d
        return webhook_changed

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
