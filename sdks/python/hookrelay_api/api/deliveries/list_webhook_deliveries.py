import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delivery_list import DeliveryList
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    status: str | Unset = UNSET,
    event: str | Unset = UNSET,
    event_id: str | Unset = UNSET,
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
        "url": "/v1/webhooks/{id}/deliveries".format(
            id=quote(str(id), safe=""),
        ),
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

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

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
    id: str,
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    event: str | Unset = UNSET,
    event_id: str | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[DeliveryList | ErrorBody]:
    """List a webhook's deliveries

     The delivery log of one webhook: the parameters and answer of `GET /v1/deliveries`.

    Any scope may call it. 404 for an unknown webhook, 422 names a bad parameter.

    Args:
        id (str):
        status (str | Unset):
        event (str | Unset):
        event_id (str | Unset):
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
        id=id,
        status=status,
        event=event,
        event_id=event_id,
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
    id: str,
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    event: str | Unset = UNSET,
    event_id: str | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> DeliveryList | ErrorBody | None:
    """List a webhook's deliveries

     The delivery log of one webhook: the parameters and answer of `GET /v1/deliveries`.

    Any scope may call it. 404 for an unknown webhook, 422 names a bad parameter.

    Args:
        id (str):
        status (str | Unset):
        event (str | Unset):
        event_id (str | Unset):
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
        id=id,
        client=client,
        status=status,
        event=event,
        event_id=event_id,
        start=start,
        end=end,
        sort=sort,
        order=order,
        offset=offset,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    event: str | Unset = UNSET,
    event_id: str | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[DeliveryList | ErrorBody]:
    """List a webhook's deliveries

     The delivery log of one webhook: the parameters and answer of `GET /v1/deliveries`.

    Any scope may call it. 404 for an unknown webhook, 422 names a bad parameter.

    Args:
        id (str):
        status (str | Unset):
        event (str | Unset):
        event_id (str | Unset):
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
        id=id,
        status=status,
        event=event,
        event_id=event_id,
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
    id: str,
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    event: str | Unset = UNSET,
    event_id: str | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    sort: str | Unset = UNSET,
    order: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> DeliveryList | ErrorBody | None:
    """List a webhook's deliveries

     The delivery log of one webhook: the parameters and answer of `GET /v1/deliveries`.

    Any scope may call it. 404 for an unknown webhook, 422 names a bad parameter.

    Args:
        id (str):
        status (str | Unset):
        event (str | Unset):
        event_id (str | Unset):
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
            id=id,
            client=client,
            status=status,
            event=event,
            event_id=event_id,
            start=start,
            end=end,
            sort=sort,
            order=order,
            offset=offset,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
