from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delivery_body import DeliveryBody
from ...models.error_body import ErrorBody
from ...types import Response


def _get_kwargs(
    id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/deliveries/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DeliveryBody | ErrorBody | None:
    if response.status_code == 200:
        response_200 = DeliveryBody.from_dict(response.json())

        return response_200

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DeliveryBody | ErrorBody]:
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
) -> Response[DeliveryBody | ErrorBody]:
    """Get a delivery

     One delivery with its `payload` and `attempt_log` (the last 20 attempts, oldest first: when,
    the status code, duration, error and the first 4 KiB of the answer); a failed one says why
    in `failure_reason`.

    Any scope may call it. 404 for an id that names no delivery of this account (or one past
    retention).

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryBody | ErrorBody]
    """

    kwargs = _get_kwargs(
        id=id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> DeliveryBody | ErrorBody | None:
    """Get a delivery

     One delivery with its `payload` and `attempt_log` (the last 20 attempts, oldest first: when,
    the status code, duration, error and the first 4 KiB of the answer); a failed one says why
    in `failure_reason`.

    Any scope may call it. 404 for an id that names no delivery of this account (or one past
    retention).

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryBody | ErrorBody
    """

    return sync_detailed(
        id=id,
        client=client,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[DeliveryBody | ErrorBody]:
    """Get a delivery

     One delivery with its `payload` and `attempt_log` (the last 20 attempts, oldest first: when,
    the status code, duration, error and the first 4 KiB of the answer); a failed one says why
    in `failure_reason`.

    Any scope may call it. 404 for an id that names no delivery of this account (or one past
    retention).

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryBody | ErrorBody]
    """

    kwargs = _get_kwargs(
        id=id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> DeliveryBody | ErrorBody | None:
    """Get a delivery

     One delivery with its `payload` and `attempt_log` (the last 20 attempts, oldest first: when,
    the status code, duration, error and the first 4 KiB of the answer); a failed one says why
    in `failure_reason`.

    Any scope may call it. 404 for an id that names no delivery of this account (or one past
    retention).

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryBody | ErrorBody
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
        )
    ).parsed
