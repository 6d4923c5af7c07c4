from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attempt_view import AttemptView
    from ..models.event_ref import EventRef


T = TypeVar("T", bound="DeliveryView")


@_attrs_define
class DeliveryView:
    """A delivery as the log shows it.

    Attributes:
        attempts (int):
        code (int): The endpoint's last HTTP status; 0 if none yet.
        created_at (str):
        event (EventRef):
        event_id (str):
        id (str):
        status (str): created, scheduled, dispatched, delivered or failed.
        updated_at (str):
        attempt_log (list[AttemptView] | None | Unset): Every attempt (only in the single view).
        failure_reason (None | str | Unset): Why it ended `failed` (null otherwise): attempts_exhausted, gone (410),
            test_not_retried, webhook_disabled, webhook_deleted, event_expired,
            transform_failed (the webhook's template could not shape the body).
        next_attempt_at (None | str | Unset):
        payload (Any | Unset): The body that is sent, as the webhook's `transform` shapes it (null
            once the event has expired, unless it was shaped).
        url (None | str | Unset): The URL, its password masked; null for a poll webhook's delivery
            (fetched with `GET /v1/webhooks/{id}/poll`, never sent).
        webhook_id (None | str | Unset): Null for an ad-hoc URL.
    """

    attempts: int
    code: int
    created_at: str
    event: EventRef
    event_id: str
    id: str
    status: str
    updated_at: str
    attempt_log: list[AttemptView] | None | Unset = UNSET
    failure_reason: None | str | Unset = UNSET
    next_attempt_at: None | str | Unset = UNSET
    payload: Any | Unset = UNSET
    url: None | str | Unset = UNSET
    webhook_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        code = self.code

        created_at = self.created_at

        event = self.event.to_dict()

        event_id = self.event_id

        id = self.id

        status = self.status

        updated_at = self.updated_at

        attempt_log: list[dict[str, Any]] | None | Unset
        if isinstance(self.attempt_log, Unset):
            attempt_log = UNSET
        elif isinstance(self.attempt_log, list):
            attempt_log = []
            for attempt_log_type_0_item_data in self.attempt_log:
                attempt_log_type_0_item = attempt_log_type_0_item_data.to_dict()
                attempt_log.append(attempt_log_type_0_item)

        else:
            attempt_log = self.attempt_log

        failure_reason: None | str | Unset
        if isinstance(self.failure_reason, Unset):
            failure_reason = UNSET
        else:
            failure_reason = self.failure_reason

        next_attempt_at: None | str | Unset
        if isinstance(self.next_attempt_at, Unset):
            next_attempt_at = UNSET
        else:
            next_attempt_at = self.next_attempt_at

        payload = self.payload

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        webhook_id: None | str | Unset
        if isinstance(self.webhook_id, Unset):
            webhook_id = UNSET
        else:
            webhook_id = self.webhook_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempts": attempts,
                "code": code,
                "created_at": created_at,
                "event": event,
                "event_id": event_id,
                "id": id,
                "status": status,
                "updated_at": updated_at,
            }
        )
        if attempt_log is not UNSET:
            field_dict["attempt_log"] = attempt_log
        if failure_reason is not UNSET:
            field_dict["failure_reason"] = failure_reason
        if next_attempt_at is not UNSET:
            field_dict["next_attempt_at"] = next_attempt_at
        if payload is not UNSET:
            field_dict["payload"] = payload
        if url is not UNSET:
            field_dict["url"] = url
        if webhook_id is not UNSET:
            field_dict["webhook_id"] = webhook_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.attempt_view import AttemptView
        from ..models.event_ref import EventRef

        d = dict(src_dict)
        attempts = d.pop("attempts")

        code = d.pop("code")

        created_at = d.pop("created_at")

        event = EventRef.from_dict(d.pop("event"))

        event_id = d.pop("event_id")

        id = d.pop("id")

        status = d.pop("status")

        updated_at = d.pop("updated_at")

        def _parse_attempt_log(data: object) -> list[AttemptView] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                attempt_log_type_0 = []
                _attempt_log_type_0 = data
                for attempt_log_type_0_item_data in _attempt_log_type_0:
                    attempt_log_type_0_item = AttemptView.from_dict(
                        attempt_log_type_0_item_data
                    )

                    attempt_log_type_0.append(attempt_log_type_0_item)

                return attempt_log_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[AttemptView] | None | Unset, data)

        attempt_log = _parse_attempt_log(d.pop("attempt_log", UNSET))

        def _parse_failure_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure_reason = _parse_failure_reason(d.pop("failure_reason", UNSET))

        def _parse_next_attempt_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at", UNSET))

        payload = d.pop("payload", UNSET)

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        def _parse_webhook_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        webhook_id = _parse_webhook_id(d.pop("webhook_id", UNSET))

        delivery_view = cls(
            attempts=attempts,
            code=code,
            created_at=created_at,
            event=event,
            event_id=event_id,
            id=id,
            status=status,
            updated_at=updated_at,
            attempt_log=attempt_log,
            failure_reason=failure_reason,
            next_attempt_at=next_attempt_at,
            payload=payload,
            url=url,
            webhook_id=webhook_id,
        )

        delivery_view.additional_properties = d
        return delivery_view

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
