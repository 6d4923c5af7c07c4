from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch_accepted import BatchAccepted
from ...models.batch_request import BatchRequest
from ...models.error_body import ErrorBody
from ...types import Response


def _get_kwargs(
    *,
    body: BatchRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/events/batch",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BatchAccepted | ErrorBody | None:
    if response.status_code == 200:
        response_200 = BatchAccepted.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

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
) -> Response[BatchAccepted | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BatchRequest,
) -> Response[BatchAccepted | ErrorBody]:
    """Send a batch of events

     1–100 events in one request, each what `POST /v1/events` takes plus its own optional
    `idempotency_key`. The answer is 200 with `results`, one per event in order: a 202 with its
    `id` and `deliveries`, or the `code`, `message` and `errors` that event alone would get. A
    bad event does not stop the others.

    Needs an `ingest` or `full` key. 413 over 1 MiB, 422 when `events` is not a list of 1–100,
    429 when the batch's valid events do not all fit the ingest quota (nothing recorded).

    Args:
        body (BatchRequest): The fields `POST /v1/events/batch` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchAccepted | ErrorBody]
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
    body: BatchRequest,
) -> BatchAccepted | ErrorBody | None:
    """Send a batch of events

     1–100 events in one request, each what `POST /v1/events` takes plus its own optional
    `idempotency_key`. The answer is 200 with `results`, one per event in order: a 202 with its
    `id` and `deliveries`, or the `code`, `message` and `errors` that event alone would get. A
    bad event does not stop the others.

    Needs an `ingest` or `full` key. 413 over 1 MiB, 422 when `events` is not a list of 1–100,
    429 when the batch's valid events do not all fit the ingest quota (nothing recorded).

    Args:
        body (BatchRequest): The fields `POST /v1/events/batch` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchAccepted | ErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BatchRequest,
) -> Response[BatchAccepted | ErrorBody]:
    """Send a batch of events

     1–100 events in one request, each what `POST /v1/events` takes plus its own optional
    `idempotency_key`. The answer is 200 with `results`, one per event in order: a 202 with its
    `id` and `deliveries`, or the `code`, `message` and `errors` that event alone would get. A
    bad event does not stop the others.

    Needs an `ingest` or `full` key. 413 over 1 MiB, 422 when `events` is not a list of 1–100,
    429 when the batch's valid events do not all fit the ingest quota (nothing recorded).

    Args:
        body (BatchRequest): The fields `POST /v1/events/batch` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchAccepted | ErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: BatchRequest,
) -> BatchAccepted | ErrorBody | None:
    """Send a batch of events

     1–100 events in one request, each what `POST /v1/events` takes plus its own optional
    `idempotency_key`. The answer is 200 with `results`, one per event in order: a 202 with its
    `id` and `deliveries`, or the `code`, `message` and `errors` that event alone would get. A
    bad event does not stop the others.

    Needs an `ingest` or `full` key. 413 over 1 MiB, 422 when `events` is not a list of 1–100,
    429 when the batch's valid events do not all fit the ingest quota (nothing recorded).

    Args:
        body (BatchRequest): The fields `POST /v1/events/batch` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchAccepted | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
