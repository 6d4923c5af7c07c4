from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.event_type_body import EventTypeBody
from ...types import Response


def _get_kwargs(
    event: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/event-types/{event}".format(
            event=quote(str(event), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | EventTypeBody | None:
    if response.status_code == 200:
        response_200 = EventTypeBody.from_dict(response.json())

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
) -> Response[ErrorBody | EventTypeBody]:
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
) -> Response[ErrorBody | EventTypeBody]:
    """Get an event type

     One catalogue entry, with its `schema`, `enforce` and `schema_version`.

    Any scope may call it. 404 when it is not in the catalogue.

    Args:
        event (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | EventTypeBody]
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
) -> ErrorBody | EventTypeBody | None:
    """Get an event type

     One catalogue entry, with its `schema`, `enforce` and `schema_version`.

    Any scope may call it. 404 when it is not in the catalogue.

    Args:
        event (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | EventTypeBody
    """

    return sync_detailed(
        event=event,
        client=client,
    ).parsed


async def asyncio_detailed(
    event: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorBody | EventTypeBody]:
    """Get an event type

     One catalogue entry, with its `schema`, `enforce` and `schema_version`.

    Any scope may call it. 404 when it is not in the catalogue.

    Args:
        event (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | EventTypeBody]
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
) -> ErrorBody | EventTypeBody | None:
    """Get an event type

     One catalogue entry, with its `schema`, `enforce` and `schema_version`.

    Any scope may call it. 404 when it is not in the catalogue.

    Args:
        event (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | EventTypeBody
    """

    return (
        await asyncio_detailed(
            event=event,
            client=client,
        )
    ).parsed
