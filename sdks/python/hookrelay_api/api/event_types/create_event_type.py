from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.event_type_body import EventTypeBody
from ...models.event_type_request import EventTypeRequest
from ...types import Response


def _get_kwargs(
    *,
    body: EventTypeRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/event-types",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | EventTypeBody | None:
    if response.status_code == 201:
        response_201 = EventTypeBody.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

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
    *,
    client: AuthenticatedClient | Client,
    body: EventTypeRequest,
) -> Response[ErrorBody | EventTypeBody]:
    """Add an event type to the catalogue

     Documents an event (`name`.`type`) in the account's catalogue (the console's "Available
    events"): a description, an example payload, and optionally a JSON Schema (2020-12) for
    payloads that ingest enforces with `enforce`. Without `enforce` it is advisory:
    subscriptions and events are not limited to the catalogue.

    Needs a `full`-scope key. 409 when the catalogue has it, 422 names each invalid field (an
    example that breaks the schema too).

    Args:
        body (EventTypeRequest): The fields `POST /v1/event-types` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | EventTypeBody]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: EventTypeRequest,
) -> ErrorBody | EventTypeBody | None:
    """Add an event type to the catalogue

     Documents an event (`name`.`type`) in the account's catalogue (the console's "Available
    events"): a description, an example payload, and optionally a JSON Schema (2020-12) for
    payloads that ingest enforces with `enforce`. Without `enforce` it is advisory:
    subscriptions and events are not limited to the catalogue.

    Needs a `full`-scope key. 409 when the catalogue has it, 422 names each invalid field (an
    example that breaks the schema too).

    Args:
        body (EventTypeRequest): The fields `POST /v1/event-types` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | EventTypeBody
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EventTypeRequest,
) -> Response[ErrorBody | EventTypeBody]:
    """Add an event type to the catalogue

     Documents an event (`name`.`type`) in the account's catalogue (the console's "Available
    events"): a description, an example payload, and optionally a JSON Schema (2020-12) for
    payloads that ingest enforces with `enforce`. Without `enforce` it is advisory:
    subscriptions and events are not limited to the catalogue.

    Needs a `full`-scope key. 409 when the catalogue has it, 422 names each invalid field (an
    example that breaks the schema too).

    Args:
        body (EventTypeRequest): The fields `POST /v1/event-types` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | EventTypeBody]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: EventTypeRequest,
) -> ErrorBody | EventTypeBody | None:
    """Add an event type to the catalogue

     Documents an event (`name`.`type`) in the account's catalogue (the console's "Available
    events"): a description, an example payload, and optionally a JSON Schema (2020-12) for
    payloads that ingest enforces with `enforce`. Without `enforce` it is advisory:
    subscriptions and events are not limited to the catalogue.

    Needs a `full`-scope key. 409 when the catalogue has it, 422 names each invalid field (an
    example that breaks the schema too).

    Args:
        body (EventTypeRequest): The fields `POST /v1/event-types` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | EventTypeBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
