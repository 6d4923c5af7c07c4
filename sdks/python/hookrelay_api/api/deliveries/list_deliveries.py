import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delivery_list import DeliveryList
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: str | Unset = UNSET,
    event: str | Unset = UNSET,
    event_id: str | Unset = UNSET,
    webhook_id: str | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["status"] = status

    params["event"] = event

    params["event_id"] = event_id

    params["webhook_id"] = webhook_id

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
        "url": "/v1/deliveries",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DeliveryList | ErrorBody | None:
    if response.status_code == 200:
        response_200 = DeliveryList.from_dict(response.json())

        return response_200

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
) -> Response[DeliveryList | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    event: str | Unset = UNSET,
    event_id: str | Unset = UNSET,
    webhook_id: str | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[DeliveryList | ErrorBody]:
    """List deliveries

     The delivery log, newest first unless `sort`/`order` say otherwise: each delivery's status,
    last response `code`, `attempts` and the `payload` it sends. Filters: `event_id`, `status`
    (comma-separated), `webhook_id`, `event` and a `start`/`end` window on `created_at`. Pass
    `next_cursor` back as `cursor` for the next page (null on the last).

    Any scope may call it. 422 names a bad parameter.

    Args:
        status (str | Unset):
        event (str | Unset):
        event_id (str | Unset):
        webhook_id (str | Unset):
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
        Response[DeliveryList | ErrorBody]
    """

    kwargs = _get_kwargs(
        status=status,
        event=event,
        event_id=event_id,
        webhook_id=webhook_id,
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
    status: str | Unset = UNSET,
    event: str | Unset = UNSET,
    event_id: str | Unset = UNSET,
    webhook_id: str | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> DeliveryList | ErrorBody | None:
    """List deliveries

     The delivery log, newest first unless `sort`/`order` say otherwise: each delivery's status,
    last response `code`, `attempts` and the `payload` it sends. Filters: `event_id`, `status`
    (comma-separated), `webhook_id`, `event` and a `start`/`end` window on `created_at`. Pass
    `next_cursor` back as `cursor` for the next page (null on the last).

    Any scope may call it. 422 names a bad parameter.

    Args:
        status (str | Unset):
        event (str | Unset):
        event_id (str | Unset):
        webhook_id (str | Unset):
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
        DeliveryList | ErrorBody
    """

    return sync_detailed(
        client=client,
        status=status,
        event=event,
        event_id=event_id,
        webhook_id=webhook_id,
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
    status: str | Unset = UNSET,
    event: str | Unset = UNSET,
    event_id: str | Unset = UNSET,
    webhook_id: str | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[DeliveryList | ErrorBody]:
    """List deliveries

     The delivery log, newest first unless `sort`/`order` say otherwise: each delivery's status,
    last response `code`, `attempts` and the `payload` it sends. Filters: `event_id`, `status`
    (comma-separated), `webhook_id`, `event` and a `start`/`end` window on `created_at`. Pass
    `next_cursor` back as `cursor` for the next page (null on the last).

    Any scope may call it. 422 names a bad parameter.

    Args:
        status (str | Unset):
        event (str | Unset):
        event_id (str | Unset):
        webhook_id (str | Unset):
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
        Response[DeliveryList | ErrorBody]
    """

    kwargs = _get_kwargs(
        status=status,
        event=event,
        event_id=event_id,
        webhook_id=webhook_id,
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
    status: str | Unset = UNSET,
    event: str | Unset = UNSET,
    event_id: str | Unset = UNSET,
    webhook_id: str | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> DeliveryList | ErrorBody | None:
    """List deliveries

     The delivery log, newest first unless `sort`/`order` say otherwise: each delivery's status,
    last response `code`, `attempts` and the `payload` it sends. Filters: `event_id`, `status`
    (comma-separated), `webhook_id`, `event` and a `start`/`end` window on `created_at`. Pass
    `next_cursor` back as `cursor` for the next page (null on the last).

    Any scope may call it. 422 names a bad parameter.

    Args:
        status (str | Unset):
        event (str | Unset):
        event_id (str | Unset):
        webhook_id (str | Unset):
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
        DeliveryList | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            event=event,
            event_id=event_id,
            webhook_id=webhook_id,
            start=start,
            end=end,
            sort=sort,
            order=order,
            offset=offset,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
