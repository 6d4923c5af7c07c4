from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.webhook_change_request_delivery_type_1 import (
    WebhookChangeRequestDeliveryType1,
)
from ..models.webhook_change_request_delivery_type_2_type_1 import (
    WebhookChangeRequestDeliveryType2Type1,
)
from ..models.webhook_change_request_delivery_type_3_type_1 import (
    WebhookChangeRequestDeliveryType3Type1,
)
from ..models.webhook_change_request_transform_type_0 import (
    WebhookChangeRequestTransformType0,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.filter_pattern import FilterPattern
    from ..models.webhook_change_request_headers_type_0 import (
        WebhookChangeRequestHeadersType0,
    )
    from ..models.webhook_change_request_transform_type_1 import (
        WebhookChangeRequestTransformType1,
    )


T = TypeVar("T", bound="WebhookChangeRequest")


@_attrs_define
class WebhookChangeRequest:
    """The fields `PATCH /v1/webhooks/{id}` accepts: any of the create fields, and `replay_failed`.

    Attributes:
        api_key (None | str | Unset): Sent as `x-api-key`: 1–255 visible ASCII characters. null (PATCH) removes it.
        delivery (None | Unset | WebhookChangeRequestDeliveryType1 | WebhookChangeRequestDeliveryType2Type1 |
            WebhookChangeRequestDeliveryType3Type1): `push` (default): each delivery is POSTed to `url`. `poll`: nothing
            is sent; the deliveries wait, signed as a push would be, for
            `GET /v1/webhooks/{id}/poll` (no `url`, `rate_limit` or
            `retry_schedule`: 422). Fixed at creation: a PATCH may repeat it,
            not change it (422).
        description (None | str | Unset): At most 1000 characters. null (PATCH) clears it.
        enabled (bool | None | Unset): Default true.
        events (list[str] | None | Unset): 1–50 patterns: `name.type`, `name.*` or `*`.
        filter_ (FilterPattern | None | Unset): An EventBridge event pattern over what would be sent (`event`
            `{name, type}`, `payload`, `context`): an event it does not match
            gets no delivery here. At most 2048 bytes of JSON, fields at most 6
            levels down; each mistake is named by its path (`filter.payload.total.0.numeric`).
            null (PATCH) removes it.
        headers (None | Unset | WebhookChangeRequestHeadersType0): Extra headers for every delivery (at most 20; cannot
            override
            hookrelay's own: authorization, content-type, host, user-agent,
            x-api-key, webhook-*, proxy-*, hop-by-hop headers). null (PATCH) clears them.
        name (None | str | Unset): 1–100 characters, not blank, no control characters.
        rate_limit (int | None | Unset): At most this many deliveries per second (1–10000); sends beyond it are
            delayed, never dropped. null (PATCH) removes the limit.
        retry_schedule (list[int] | None | Unset): Its own waits between attempts, in seconds (1–20 waits of 1–86400
            each), in place of the deployment's `HOOKRELAY_RETRY_SCHEDULE`: a
            delivery is tried once and then after each wait (±20 % jitter).
            Doubled (a `Retry-After` may stretch a wait to twice its step) and
            with the longest event delay, they must fit `RETENTION_DAYS`. null
            (PATCH) goes back to the deployment's.
        secret (None | str | Unset): `whsec_` + base64 of 24–64 bytes; generated when absent.
        transform (None | Unset | WebhookChangeRequestTransformType0 | WebhookChangeRequestTransformType1): The body's
            shape: `"default"` (hookrelay's body), `"settings"`
            (`{event_time, event_type, current_context, data}`) or
            `{"template": "..."}`: Jinja (minijinja) rendering JSON from the
            default body's fields (`id`, `event`, `timestamp`, `context`,
            `payload`); each `{{ value }}` is written as JSON, or as text inside a
            JSON string. At most 8192 bytes; it must render JSON for the example
            of each catalogued event type it subscribes to, else a 422 naming the
            line. null (PATCH) goes back to `"default"`.
        url (None | str | Unset): Absolute http(s) URL without a #fragment; user info becomes Basic
            auth. Hosts that are or resolve to non-public addresses are refused
            (422) unless the deployment allows them. Required for a push
            webhook; a poll webhook has none (422).
        replay_failed (bool | None | Unset): With `"enabled": true` on a webhook that is off: switch it on and send
            again, as new attempts, its deliveries that failed after it was switched off (`disabled_at`); the answer's
            `replay` says how many. Not stored. True without `"enabled": true` is a 422 naming it.
    """

    api_key: None | str | Unset = UNSET
    delivery: (
        None
        | Unset
        | WebhookChangeRequestDeliveryType1
        | WebhookChangeRequestDeliveryType2Type1
        | WebhookChangeRequestDeliveryType3Type1
    ) = UNSET
    description: None | str | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    events: list[str] | None | Unset = UNSET
    filter_: FilterPattern | None | Unset = UNSET
    headers: None | Unset | WebhookChangeRequestHeadersType0 = UNSET
    name: None | str | Unset = UNSET
    rate_limit: int | None | Unset = UNSET
    retry_schedule: list[int] | None | Unset = UNSET
    secret: None | str | Unset = UNSET
    transform: (
        None
        | Unset
        | WebhookChangeRequestTransformType0
        | WebhookChangeRequestTransformType1
    ) = UNSET
    url: None | str | Unset = UNSET
    replay_failed: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.filter_pattern import FilterPattern
        from ..models.webhook_change_request_headers_type_0 import (
            WebhookChangeRequestHeadersType0,
        )
        from ..models.webhook_change_request_transform_type_1 import (
            WebhookChangeRequestTransformType1,
        )

        api_key: None | str | Unset
        if isinstance(self.api_key, Unset):
            api_key = UNSET
        else:
            api_key = self.api_key

        delivery: None | str | Unset
        if isinstance(self.delivery, Unset):
            delivery = UNSET
        elif (
            isinstance(self.delivery, WebhookChangeRequestDeliveryType1)
            or isinstance(self.delivery, WebhookChangeRequestDeliveryType2Type1)
            or isinstance(self.delivery, WebhookChangeRequestDeliveryType3Type1)
        ):
            delivery = self.delivery.value
        else:
            delivery = self.delivery

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        events: list[str] | None | Unset
        if isinstance(self.events, Unset):
            events = UNSET
        elif isinstance(self.events, list):
            events = self.events

        else:
            events = self.events

        filter_: dict[str, Any] | None | Unset
        if isinstance(self.filter_, Unset):
            filter_ = UNSET
        elif isinstance(self.filter_, FilterPattern):
            filter_ = self.filter_.to_dict()
        else:
            filter_ = self.filter_

        headers: dict[str, Any] | None | Unset
        if isinstance(self.headers, Unset):
            headers = UNSET
        elif isinstance(self.headers, WebhookChangeRequestHeadersType0):
            headers = self.headers.to_dict()
        else:
            headers = self.headers

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

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

        secret: None | str | Unset
        if isinstance(self.secret, Unset):
            secret = UNSET
        else:
            secret = self.secret

        transform: dict[str, Any] | None | str | Unset
        if isinstance(self.transform, Unset):
            transform = UNSET
        elif isinstance(self.transform, WebhookChangeRequestTransformType0):
            transform = self.transform.value
        elif isinstance(self.transform, WebhookChangeRequestTransformType1):
            transform = self.transform.to_dict()
        else:
            transform = self.transform

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        replay_failed: bool | None | Unset
        if isinstance(self.replay_failed, Unset):
            replay_failed = UNSET
        else:
            replay_failed = self.replay_failed

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if api_key is not UNSET:
            field_dict["api_key"] = api_key
        if delivery is not UNSET:
            field_dict["delivery"] = delivery
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if events is not UNSET:
            field_dict["events"] = events
        if filter_ is not UNSET:
            field_dict["filter"] = filter_
        if headers is not UNSET:
            field_dict["headers"] = headers
        if name is not UNSET:
            field_dict["name"] = name
        if rate_limit is not UNSET:
            field_dict["rate_limit"] = rate_limit
        if retry_schedule is not UNSET:
            field_dict["retry_schedule"] = retry_schedule
        if secret is not UNSET:
            field_dict["secret"] = secret
        if transform is not UNSET:
            field_dict["transform"] = transform
        if url is not UNSET:
            field_dict["url"] = url
        if replay_failed is not UNSET:
            field_dict["replay_failed"] = replay_failed

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.filter_pattern import FilterPattern
        from ..models.webhook_change_request_headers_type_0 import (
            WebhookChangeRequestHeadersType0,
        )
        from ..models.webhook_change_request_transform_type_1 import (
            WebhookChangeRequestTransformType1,
        )

        d = dict(src_dict)

        def _parse_api_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_key = _parse_api_key(d.pop("api_key", UNSET))

        def _parse_delivery(
            data: object,
        ) -> (
            None
            | Unset
            | WebhookChangeRequestDeliveryType1
            | WebhookChangeRequestDeliveryType2Type1
            | WebhookChangeRequestDeliveryType3Type1
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                delivery_type_1 = WebhookChangeRequestDeliveryType1(data)

                return delivery_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                delivery_type_2_type_1 = WebhookChangeRequestDeliveryType2Type1(data)

                return delivery_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                delivery_type_3_type_1 = WebhookChangeRequestDeliveryType3Type1(data)

                return delivery_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                None
                | Unset
                | WebhookChangeRequestDeliveryType1
                | WebhookChangeRequestDeliveryType2Type1
                | WebhookChangeRequestDeliveryType3Type1,
                data,
            )

        delivery = _parse_delivery(d.pop("delivery", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        def _parse_events(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                events_type_0 = cast(list[str], data)

                return events_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        events = _parse_events(d.pop("events", UNSET))

        def _parse_filter_(data: object) -> FilterPattern | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                filter_type_0 = FilterPattern.from_dict(data)

                return filter_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FilterPattern | None | Unset, data)

        filter_ = _parse_filter_(d.pop("filter", UNSET))

        def _parse_headers(
            data: object,
        ) -> None | Unset | WebhookChangeRequestHeadersType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                headers_type_0 = WebhookChangeRequestHeadersType0.from_dict(data)

                return headers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WebhookChangeRequestHeadersType0, data)

        headers = _parse_headers(d.pop("headers", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

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

        def _parse_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        secret = _parse_secret(d.pop("secret", UNSET))

        def _parse_transform(
            data: object,
        ) -> (
            None
            | Unset
            | WebhookChangeRequestTransformType0
            | WebhookChangeRequestTransformType1
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                transform_type_0 = WebhookChangeRequestTransformType0(data)

                return transform_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                transform_type_1 = WebhookChangeRequestTransformType1.from_dict(data)

                return transform_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                None
                | Unset
                | WebhookChangeRequestTransformType0
                | WebhookChangeRequestTransformType1,
                data,
            )

        transform = _parse_transform(d.pop("transform", UNSET))

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        def _parse_replay_failed(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        replay_failed = _parse_replay_failed(d.pop("replay_failed", UNSET))

        webhook_change_request = cls(
            api_key=api_key,
            delivery=delivery,
            description=description,
            enabled=enabled,
            events=events,
            filter_=filter_,
            headers=headers,
            name=name,
            rate_limit=rate_limit,
            retry_schedule=retry_schedule,
            secret=secret,
            transform=transform,
            url=url,
            replay_failed=replay_failed,
        )

        return webhook_change_request
