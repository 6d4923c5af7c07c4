from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.event_type_deleted import EventTypeDeleted
from ...types import Response


def _get_kwargs(
    event: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/event-types/{event}".format(
            event=quote(str(event), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | EventTypeDeleted | None:
    if response.status_code == 200:
        response_200 = EventTypeDeleted.from_dict(response.json())

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
) -> Response[ErrorBody | EventTypeDeleted]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    event: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorBody | EventTypeDeleted]:
    """Remove an event type

     Removes it from the catalogue. Webhooks subscribed to it are unchanged, and events of its
    name are still taken.

    Needs a `full`-scope key. 404 when it is not in the catalogue.

    Args:
        event (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | EventTypeDeleted]
    """

    kwargs = _get_kwargs(
        event=event,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    event: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorBody | EventTypeDeleted | None:
    """Remove an event type

     Removes it from the catalogue. Webhooks subscribed to it are unchanged, and events of its
    name are still taken.

    Needs a `full`-scope key. 404 when it is not in the catalogue.

    Args:
        event (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | EventTypeDeleted
    """

    return sync_detailed(
        event=event,
        client=client,
    ).parsed


async def asyncio_detailed(
    event: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorBody | EventTypeDeleted]:
    """Remove an event type

     Removes it from the catalogue. Webhooks subscribed to it are unchanged, and events of its
    name are still taken.

    Needs a `full`-scope key. 404 when it is not in the catalogue.

    Args:
        event (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | EventTypeDeleted]
    """

    kwargs = _get_kwargs(
        event=event,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    event: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorBody | EventTypeDeleted | None:
    """Remove an event type

     Removes it from the catalogue. Webhooks subscribed to it are unchanged, and events of its
    name are still taken.

    Needs a `full`-scope key. 404 when it is not in the catalogue.

    Args:
        event (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | EventTypeDeleted
    """

    return (
        await asyncio_detailed(
            event=event,
            client=client,
        )
    ).parsed
