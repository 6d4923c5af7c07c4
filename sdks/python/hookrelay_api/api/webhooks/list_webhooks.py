import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.webhook_list import WebhookList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    enabled: bool | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["enabled"] = enabled

    json_start: str | Unset = UNSET
    if not isinstance(start, Unset):
        json_start = start.isoformat()
    params["start"] = json_start

    json_end: str | Unset = UNSET
    if not isinstance(end, Unset):
        json_end = end.isoformat()
    params["end"] = json_end

    params["sort"] = sort

    params["order"] = order

    params["offset"] = offset

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/webhooks",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | WebhookList | None:
    if response.status_code == 200:
        response_200 = WebhookList.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | WebhookList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    enabled: bool | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[ErrorBody | WebhookList]:
    """List webhooks

     The account's webhooks, newest first unless `sort`/`order` say otherwise, one page at a
    time: pass `next_cursor` back as `cursor` for the next page (it is null on the last).
    Filters: `enabled`, and a `start` (inclusive) / `end` (exclusive) window on `created_at`.

    Any scope may call it. 422 names a bad parameter.

    Args:
        enabled (bool | Unset):
        start (datetime.datetime | Unset):
        end (datetime.datetime | Unset):
        sort (str | Unset):
        order (str | Unset):
        offset (int | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WebhookList]
    """

    kwargs = _get_kwargs(
        enabled=enabled,
        start=start,
        end=end,
        sort=sort,
        order=order,
        offset=offset,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    enabled: bool | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> ErrorBody | WebhookList | None:
    """List webhooks

     The account's webhooks, newest first unless `sort`/`order` say otherwise, one page at a
    time: pass `next_cursor` back as `cursor` for the next page (it is null on the last).
    Filters: `enabled`, and a `start` (inclusive) / `end` (exclusive) window on `created_at`.

    Any scope may call it. 422 names a bad parameter.

    Args:
        enabled (bool | Unset):
        start (datetime.datetime | Unset):
        end (datetime.datetime | Unset):
        sort (str | Unset):
        order (str | Unset):
        offset (int | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WebhookList
    """

    return sync_detailed(
        client=client,
        enabled=enabled,
        start=start,
        end=end,
        sort=sort,
        order=order,
        offset=offset,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    enabled: bool | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[ErrorBody | WebhookList]:
    """List webhooks

     The account's webhooks, newest first unless `sort`/`order` say otherwise, one page at a
    time: pass `next_cursor` back as `cursor` for the next page (it is null on the last).
    Filters: `enabled`, and a `start` (inclusive) / `end` (exclusive) window on `created_at`.

    Any scope may call it. 422 names a bad parameter.

    Args:
        enabled (bool | Unset):
        start (datetime.datetime | Unset):
        end (datetime.datetime | Unset):
        sort (str | Unset):
        order (str | Unset):
        offset (int | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WebhookList]
    """

    kwargs = _get_kwargs(
        enabled=enabled,
        start=start,
        end=end,
        sort=sort,
        order=order,
        offset=offset,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    enabled: bool | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> ErrorBody | WebhookList | None:
    """List webhooks

     The account's webhooks, newest first unless `sort`/`order` say otherwise, one page at a
    time: pass `next_cursor` back as `cursor` for the next page (it is null on the last).
    Filters: `enabled`, and a `start` (inclusive) / `end` (exclusive) window on `created_at`.

    Any scope may call it. 422 names a bad parameter.

    Args:
        enabled (bool | Unset):
        start (datetime.datetime | Unset):
        end (datetime.datetime | Unset):
        sort (str | Unset):
        order (str | Unset):
        offset (int | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WebhookList
    """

    return (
        await asyncio_detailed(
            client=client,
            enabled=enabled,
            start=start,
            end=end,
            sort=sort,
            order=order,
            offset=offset,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
