from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ad_hoc_target import AdHocTarget


T = TypeVar("T", bound="BatchEvent")


@_attrs_define
class BatchEvent:
    """One event of `POST /v1/events/batch`: the fields `POST /v1/events` accepts, and its own optional `idempotency_key`.

    Attributes:
        name (str): What the event is about, e.g. `user` (1–64 letters, digits, `_`, `-`);
            `webhook` is reserved for hookrelay's own events.
        payload (Any): Any JSON but null; sent as `payload`.
        type_ (str): What happened to it, e.g. `created`.
        context (Any | Unset): Any JSON but null; sent as `context` (default `{}`).
        delay (int | None | Unset): Seconds to wait before the first attempt: 0–604800.
        webhook (AdHocTarget | None | Unset):
        idempotency_key (str | Unset): As the Idempotency-Key header of `POST /v1/events` (the same keys): the same key
            and event text within 24 h answer the first result again and record nothing new; the same key with another event
            is a 409 for this event
    """

    name: str
    payload: Any
    type_: str
    context: Any | Unset = UNSET
    delay: int | None | Unset = UNSET
    webhook: AdHocTarget | None | Unset = UNSET
    idempotency_key: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.ad_hoc_target import AdHocTarget

        name = self.name

        payload = self.payload

        type_ = self.type_

        context = self.context

        delay: int | None | Unset
        if isinstance(self.delay, Unset):
            delay = UNSET
        else:
            delay = self.delay

        webhook: dict[str, Any] | None | Unset
        if isinstance(self.webhook, Unset):
            webhook = UNSET
        elif isinstance(self.webhook, AdHocTarget):
            webhook = self.webhook.to_dict()
        else:
            webhook = self.webhook

        idempotency_key = self.idempotency_key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "payload": payload,
                "type": type_,
            }
        )
        if context is not UNSET:
            field_dict["context"] = context
        if delay is not UNSET:
            field_dict["delay"] = delay
        if webhook is not UNSET:
            field_dict["webhook"] = webhook
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.ad_hoc_target import AdHocTarget

        d = dict(src_dict)
        name = d.pop("name")

        payload = d.pop("payload")

        type_ = d.pop("type")

        context = d.pop("context", UNSET)

        def _parse_delay(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        delay = _parse_delay(d.pop("delay", UNSET))

        def _parse_webhook(data: object) -> AdHocTarget | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                webhook_type_1 = AdHocTarget.from_dict(data)

                return webhook_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AdHocTarget | None | Unset, data)

        webhook = _parse_webhook(d.pop("webhook", UNSET))

        idempotency_key = d.pop("idempotency_key", UNSET)

        batch_event = cls(
            name=name,
            payload=payload,
            type_=type_,
            context=context,
            delay=delay,
            webhook=webhook,
            idempotency_key=idempotency_key,
        )

        return batch_event
