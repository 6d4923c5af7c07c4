from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.replay_request import ReplayRequest
from ...models.replayed import Replayed
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: ReplayRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhooks/{id}/replay".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | Replayed | None:
    if response.status_code == 200:
        response_200 = Replayed.from_dict(response.json())

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
) -> Response[ErrorBody | Replayed]:
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
    body: ReplayRequest,
) -> Response[ErrorBody | Replayed]:
    """Replay a webhook's deliveries

     Sends again, each once and as a new attempt on the same delivery, the webhook's deliveries
    created in [`since`, `until`) that ended `delivered` and/or `failed` (`status`), optionally
    only those of `event`. `dry_run` only counts them.

    Needs a `full`-scope key. 404 for an unknown webhook, 409 while the webhook is off, 422
    names the invalid field.

    Args:
        id (str):
        body (ReplayRequest): The fields `POST /v1/webhooks/{id}/replay` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Replayed]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReplayRequest,
) -> ErrorBody | Replayed | None:
    """Replay a webhook's deliveries

     Sends again, each once and as a new attempt on the same delivery, the webhook's deliveries
    created in [`since`, `until`) that ended `delivered` and/or `failed` (`status`), optionally
    only those of `event`. `dry_run` only counts them.

    Needs a `full`-scope key. 404 for an unknown webhook, 409 while the webhook is off, 422
    names the invalid field.

    Args:
        id (str):
        body (ReplayRequest): The fields `POST /v1/webhooks/{id}/replay` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Replayed
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReplayRequest,
) -> Response[ErrorBody | Replayed]:
    """Replay a webhook's deliveries

     Sends again, each once and as a new attempt on the same delivery, the webhook's deliveries
    created in [`since`, `until`) that ended `delivered` and/or `failed` (`status`), optionally
    only those of `event`. `dry_run` only counts them.

    Needs a `full`-scope key. 404 for an unknown webhook, 409 while the webhook is off, 422
    names the invalid field.

    Args:
        id (str):
        body (ReplayRequest): The fields `POST /v1/webhooks/{id}/replay` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Replayed]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ReplayRequest,
) -> ErrorBody | Replayed | None:
    """Replay a webhook's deliveries

     Sends again, each once and as a new attempt on the same delivery, the webhook's deliveries
    created in [`since`, `until`) that ended `delivered` and/or `failed` (`status`), optionally
    only those of `event`. `dry_run` only counts them.

    Needs a `full`-scope key. 404 for an unknown webhook, 409 while the webhook is off, 422
    names the invalid field.

    Args:
        id (str):
        body (ReplayRequest): The fields `POST /v1/webhooks/{id}/replay` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Replayed
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
