from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_view_delivery import WebhookViewDelivery
from ..models.webhook_view_transform_type_0 import WebhookViewTransformType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_view_filter_type_0 import WebhookViewFilterType0
    from ..models.webhook_view_headers import WebhookViewHeaders
    from ..models.webhook_view_transform_type_1 import WebhookViewTransformType1


T = TypeVar("T", bound="WebhookView")


@_attrs_define
class WebhookView:
    """A webhook as responses show it: the URL's password, the secret and the
    endpoint API key masked (the secret is shown whole on create and rotate).

        Attributes:
            created_at (str):
            delivery (WebhookViewDelivery): `push` (POSTed to `url`) or `poll` (fetched with
                `GET /v1/webhooks/{id}/poll`); fixed at creation.
            enabled (bool):
            events (list[str]):
            headers (WebhookViewHeaders):
            id (str):
            name (str):
            secret (str): `whsec_…`: whole on create and rotate, masked elsewhere.
            transform (WebhookViewTransformType0 | WebhookViewTransformType1): The body's shape: `"default"` (hookrelay's),
                `"settings"`
                (`{event_time, event_type, current_context, data}`) or `{"template": "..."}`.
            updated_at (str):
            api_key (None | str | Unset): Sent as `x-api-key`; masked.
            description (None | str | Unset):
            disabled_at (None | str | Unset): When it was switched off; null while enabled.
            disabled_reason (None | str | Unset): Why it is off: `failing` (hookrelay switched it off after
                HOOKRELAY_DISABLE_AFTER_FAILURES failed deliveries) or `manual`;
                null while enabled.
            filter_ (None | Unset | WebhookViewFilterType0): Its EventBridge event pattern over what is sent; null: every
                event
                its `events` name is sent.
            last_delivery_at (None | str | Unset):
            last_delivery_status (None | str | Unset): Once there are deliveries: the status after the latest attempt.
            rate_limit (int | None | Unset): Deliveries per second at most; null: no limit.
            retry_schedule (list[int] | None | Unset): Its own waits between attempts (seconds); null: the deployment's.
            url (None | str | Unset): Where deliveries are POSTed, its password masked; null for a poll webhook.
    """

    created_at: str
    delivery: WebhookViewDelivery
    enabled: bool
    events: list[str]
    headers: WebhookViewHeaders
    id: str
    name: str
    secret: str
    transform: WebhookViewTransformType0 | WebhookViewTransformType1
    updated_at: str
    api_key: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    disabled_at: None | str | Unset = UNSET
    disabled_reason: None | str | Unset = UNSET
    filter_: None | Unset | WebhookViewFilterType0 = UNSET
    last_delivery_at: None | str | Unset = UNSET
    last_delivery_status: None | str | Unset = UNSET
    rate_limit: int | None | Unset = UNSET
    retry_schedule: list[int] | None | Unset = UNSET
    url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.webhook_view_filter_type_0 import WebhookViewFilterType0

        created_at = self.created_at

        delivery = self.delivery.value

        enabled = self.enabled

        events = self.events

        headers = self.headers.to_dict()

        id = self.id

        name = self.name

        secret = self.secret

        transform: dict[str, Any] | str
        if isinstance(self.transform, WebhookViewTransformType0):
            transform = self.transform.value
        else:
            transform = self.transform.to_dict()

        updated_at = self.updated_at

        api_key: None | str | Unset
        if isinstance(self.api_key, Unset):
            api_key = UNSET
        else:
            api_key = self.api_key

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        disabled_at: None | str | Unset
        if isinstance(self.disabled_at, Unset):
            disabled_at = UNSET
        else:
            disabled_at = self.disabled_at

        disabled_reason: None | str | Unset
        if isinstance(self.disabled_reason, Unset):
            disabled_reason = UNSET
        else:
            disabled_reason = self.disabled_reason

        filter_: dict[str, Any] | None | Unset
        if isinstance(self.filter_, Unset):
            filter_ = UNSET
        elif isinstance(self.filter_, WebhookViewFilterType0):
            filter_ = self.filter_.to_dict()
        else:
            filter_ = self.filter_

        last_delivery_at: None | str | Unset
        if isinstance(self.last_delivery_at, Unset):
            last_delivery_at = UNSET
        else:
            last_delivery_at = self.last_delivery_at

        last_delivery_status: None | str | Unset
        if isinstance(self.last_delivery_status, Unset):
            last_delivery_status = UNSET
        else:
            last_delivery_status = self.last_delivery_status

        rate_limit: int | None | Unset
        if isinstance(self.rate_limit, Unset):
            rate_limit = UNSET
        else:
            rate_limit = self.rate_limit

        retry_schedule: list[int] | None | Unset
        if isinstance(self.retry_schedule, Unset):
            retry_schedule = UNSET
        elif isinstance(self.retry_schedule, list):
            retry_schedule = self.retry_schedule

        else:
            retry_schedule = self.retry_schedule

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "delivery": delivery,
                "enabled": enabled,
                "events": events,
                "headers": headers,
                "id": id,
                "name": name,
                "secret": secret,
                "transform": transform,
                "updated_at": updated_at,
            }
        )
        if api_key is not UNSET:
            field_dict["api_key"] = api_key
        if description is not UNSET:
            field_dict["description"] = description
        if disabled_at is not UNSET:
            field_dict["disabled_at"] = disabled_at
        if disabled_reason is not UNSET:
            field_dict["disabled_reason"] = disabled_reason
        if filter_ is not UNSET:
            field_dict["filter"] = filter_
        if last_delivery_at is not UNSET:
            field_dict["last_delivery_at"] = last_delivery_at
        if last_delivery_status is not UNSET:
            field_dict["last_delivery_status"] = last_delivery_status
        if rate_limit is not UNSET:
            field_dict["rate_limit"] = rate_limit
        if retry_schedule is not UNSET:
            field_dict["retry_schedule"] = retry_schedule
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.webhook_view_filter_type_0 import WebhookViewFilterType0
        from ..models.webhook_view_headers import WebhookViewHeaders
        from ..models.webhook_view_transform_type_1 import WebhookViewTransformType1

        d = dict(src_dict)
        created_at = d.pop("created_at")

        delivery = WebhookViewDelivery(d.pop("delivery"))

        enabled = d.pop("enabled")

        events = cast(list[str], d.pop("events"))

        headers = WebhookViewHeaders.from_dict(d.pop("headers"))

        id = d.pop("id")

        name = d.pop("name")

        secret = d.pop("secret")

        def _parse_transform(
            data: object,
        ) -> WebhookViewTransformType0 | WebhookViewTransformType1:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                transform_type_0 = WebhookViewTransformType0(data)

                return transform_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            transform_type_1 = WebhookViewTransformType1.from_dict(data)

            return transform_type_1

        transform = _parse_transform(d.pop("transform"))

        updated_at = d.pop("updated_at")

        def _parse_api_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_key = _parse_api_key(d.pop("api_key", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_disabled_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        disabled_at = _parse_disabled_at(d.pop("disabled_at", UNSET))

        def _parse_disabled_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabled_reason", UNSET))

        def _parse_filter_(data: object) -> None | Unset | WebhookViewFilterType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                filter_type_0 = WebhookViewFilterType0.from_dict(data)

                return filter_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WebhookViewFilterType0, data)

        filter_ = _parse_filter_(d.pop("filter", UNSET))

        def _parse_last_delivery_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_delivery_at = _parse_last_delivery_at(d.pop("last_delivery_at", UNSET))

        def _parse_last_delivery_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_delivery_status = _parse_last_delivery_status(
            d.pop("last_delivery_status", UNSET)
        )

        def _parse_rate_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rate_limit = _parse_rate_limit(d.pop("rate_limit", UNSET))

        def _parse_retry_schedule(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                retry_schedule_type_0 = cast(list[int], data)

                return retry_schedule_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        retry_schedule = _parse_retry_schedule(d.pop("retry_schedule", UNSET))

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        webhook_view = cls(
            created_at=created_at,
            delivery=delivery,
            enabled=enabled,
            events=events,
            headers=headers,
            id=id,
            name=name,
            secret=secret,
            transform=transform,
            updated_at=updated_at,
            api_key=api_key,
            description=description,
            disabled_at=disabled_at,
            disabled_reason=disabled_reason,
            filter_=filter_,
            last_delivery_at=last_delivery_at,
            last_delivery_status=last_delivery_status,
            rate_limit=rate_limit,
            retry_schedule=retry_schedule,
            url=url,
        )

        webhook_view.additional_properties = d
        return webhook_view

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
