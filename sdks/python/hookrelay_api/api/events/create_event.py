from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.accepted import Accepted
from ...models.error_body import ErrorBody
from ...models.event_request import EventRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: EventRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/events",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Accepted | ErrorBody | None:
    if response.status_code == 202:
        response_202 = Accepted.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Accepted | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EventRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Accepted | ErrorBody]:
    """Send an event

     Records the event and fans it out to every enabled webhook subscribed to it (or only to the
    ad-hoc `webhook.url`), then answers 202 with the event's `id` and its `deliveries`: each
    will be made. `delay` holds the first attempt back for up to a week. The same
    `Idempotency-Key` within 24 h answers the first result again and records nothing new.

    Needs an `ingest` or `full` key. 409 for an idempotency key in use or used with another
    body, 413 over 256 KiB, 422 names each invalid field (and each JSON pointer where the event
    type enforces its schema), 429 past the account's ingest quota (send it again after
    `Retry-After`).

    Args:
        idempotency_key (None | str | Unset):
        body (EventRequest): The fields `POST /v1/events` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Accepted | ErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: EventRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Accepted | ErrorBody | None:
    """Send an event

     Records the event and fans it out to every enabled webhook subscribed to it (or only to the
    ad-hoc `webhook.url`), then answers 202 with the event's `id` and its `deliveries`: each
    will be made. `delay` holds the first attempt back for up to a week. The same
    `Idempotency-Key` within 24 h answers the first result again and records nothing new.

    Needs an `ingest` or `full` key. 409 for an idempotency key in use or used with another
    body, 413 over 256 KiB, 422 names each invalid field (and each JSON pointer where the event
    type enforces its schema), 429 past the account's ingest quota (send it again after
    `Retry-After`).

    Args:
        idempotency_key (None | str | Unset):
        body (EventRequest): The fields `POST /v1/events` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Accepted | ErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EventRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Accepted | ErrorBody]:
    """Send an event

     Records the event and fans it out to every enabled webhook subscribed to it (or only to the
    ad-hoc `webhook.url`), then answers 202 with the event's `id` and its `deliveries`: each
    will be made. `delay` holds the first attempt back for up to a week. The same
    `Idempotency-Key` within 24 h answers the first result again and records nothing new.

    Needs an `ingest` or `full` key. 409 for an idempotency key in use or used with another
    body, 413 over 256 KiB, 422 names each invalid field (and each JSON pointer where the event
    type enforces its schema), 429 past the account's ingest quota (send it again after
    `Retry-After`).

    Args:
        idempotency_key (None | str | Unset):
        body (EventRequest): The fields `POST /v1/events` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Accepted | ErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: EventRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Accepted | ErrorBody | None:
    """Send an event

     Records the event and fans it out to every enabled webhook subscribed to it (or only to the
    ad-hoc `webhook.url`), then answers 202 with the event's `id` and its `deliveries`: each
    will be made. `delay` holds the first attempt back for up to a week. The same
    `Idempotency-Key` within 24 h answers the first result again and records nothing new.

    Needs an `ingest` or `full` key. 409 for an idempotency key in use or used with another
    body, 413 over 256 KiB, 422 names each invalid field (and each JSON pointer where the event
    type enforces its schema), 429 past the account's ingest quota (send it again after
    `Retry-After`).

    Args:
        idempotency_key (None | str | Unset):
        body (EventRequest): The fields `POST /v1/events` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Accepted | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
