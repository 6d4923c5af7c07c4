from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.event_type_body import EventTypeBody
from ...models.event_type_change_request import EventTypeChangeRequest
from ...types import Response


def _get_kwargs(
    event: str,
    *,
    body: EventTypeChangeRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/event-types/{event}".format(
            event=quote(str(event), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | EventTypeBody | None:
    if response.status_code == 200:
        response_200 = EventTypeBody.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

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
    body: EventTypeChangeRequest,
) -> Response[ErrorBody | EventTypeBody]:
    """Update an event type

     Changes `description`, `example`, `schema` or `enforce`; a field left out keeps its value
    and null clears it. A new schema moves `schema_version` on.

    Needs a `full`-scope key. 404 when it is not in the catalogue, 422 names each invalid field.

    Args:
        event (str):
        body (EventTypeChangeRequest): The fields `PATCH /v1/event-types/{event}` accepts; null
            clears one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | EventTypeBody]
    """

    kwargs = _get_kwargs(
        event=event,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    event: str,
    *,
    client: AuthenticatedClient | Client,
    body: EventTypeChangeRequest,
) -> ErrorBody | EventTypeBody | None:
    """Update an event type

     Changes `description`, `example`, `schema` or `enforce`; a field left out keeps its value
    and null clears it. A new schema moves `schema_version` on.

    Needs a `full`-scope key. 404 when it is not in the catalogue, 422 names each invalid field.

    Args:
        event (str):
        body (EventTypeChangeRequest): The fields `PATCH /v1/event-types/{event}` accepts; null
            clears one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | EventTypeBody
    """

    return sync_detailed(
        event=event,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    event: str,
    *,
    client: AuthenticatedClient | Client,
    body: EventTypeChangeRequest,
) -> Response[ErrorBody | EventTypeBody]:
    """Update an event type

     Changes `description`, `example`, `schema` or `enforce`; a field left out keeps its value
    and null clears it. A new schema moves `schema_version` on.

    Needs a `full`-scope key. 404 when it is not in the catalogue, 422 names each invalid field.

    Args:
        event (str):
        body (EventTypeChangeRequest): The fields `PATCH /v1/event-types/{event}` accepts; null
            clears one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | EventTypeBody]
    """

    kwargs = _get_kwargs(
        event=event,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    event: str,
    *,
    client: AuthenticatedClient | Client,
    body: EventTypeChangeRequest,
) -> ErrorBody | EventTypeBody | None:
    """Update an event type

     Changes `description`, `example`, `schema` or `enforce`; a field left out keeps its value
    and null clears it. A new schema moves `schema_version` on.

    Needs a `full`-scope key. 404 when it is not in the catalogue, 422 names each invalid field.

    Args:
        event (str):
        body (EventTypeChangeRequest): The fields `PATCH /v1/event-types/{event}` accepts; null
            clears one.

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
            body=body,
        )
    ).parsed
