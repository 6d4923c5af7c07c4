from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.recover_request import RecoverRequest
from ...models.recovered import Recovered
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: RecoverRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhooks/{id}/recover".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | Recovered | None:
    if response.status_code == 200:
        response_200 = Recovered.from_dict(response.json())

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
) -> Response[ErrorBody | Recovered]:
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
    body: RecoverRequest,
) -> Response[ErrorBody | Recovered]:
    """Recover a webhook's failed deliveries

     Queues again every failed delivery of the webhook created at or after `since`, and answers
    how many (`recovered`); past a 5 s budget the rest continue in the background
    (`in_background`).

    Needs a `full`-scope key. 404 for an unknown webhook, 422 when `since` is missing or not
    ISO-8601.

    Args:
        id (str):
        body (RecoverRequest): The fields `POST /v1/webhooks/{id}/recover` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Recovered]
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
    body: RecoverRequest,
) -> ErrorBody | Recovered | None:
    """Recover a webhook's failed deliveries

     Queues again every failed delivery of the webhook created at or after `since`, and answers
    how many (`recovered`); past a 5 s budget the rest continue in the background
    (`in_background`).

    Needs a `full`-scope key. 404 for an unknown webhook, 422 when `since` is missing or not
    ISO-8601.

    Args:
        id (str):
        body (RecoverRequest): The fields `POST /v1/webhooks/{id}/recover` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Recovered
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
    body: RecoverRequest,
) -> Response[ErrorBody | Recovered]:
    """Recover a webhook's failed deliveries

     Queues again every failed delivery of the webhook created at or after `since`, and answers
    how many (`recovered`); past a 5 s budget the rest continue in the background
    (`in_background`).

    Needs a `full`-scope key. 404 for an unknown webhook, 422 when `since` is missing or not
    ISO-8601.

    Args:
        id (str):
        body (RecoverRequest): The fields `POST /v1/webhooks/{id}/recover` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Recovered]
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
    body: RecoverRequest,
) -> ErrorBody | Recovered | None:
    """Recover a webhook's failed deliveries

     Queues again every failed delivery of the webhook created at or after `since`, and answers
    how many (`recovered`); past a 5 s budget the rest continue in the background
    (`in_background`).

    Needs a `full`-scope key. 404 for an unknown webhook, 422 when `since` is missing or not
    ISO-8601.

    Args:
        id (str):
        body (RecoverRequest): The fields `POST /v1/webhooks/{id}/recover` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Recovered
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
