from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.test_sent import TestSent
from ...types import Response


def _get_kwargs(
    id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhooks/{id}/test".format(
            id=quote(str(id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | TestSent | None:
    if response.status_code == 200:
        response_200 = TestSent.from_dict(response.json())

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
) -> Response[ErrorBody | TestSent]:
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
) -> Response[ErrorBody | TestSent]:
    """Send a test event to a webhook

     Sends a `webhook.test` event to the webhook now, even when it is off, and answers with the
    outcome: `delivered`, the endpoint's `response_code`, `duration_ms`, `error` and the first 4
    KiB of `response_body`. It is logged like any delivery.

    Needs a `full`-scope key. 404 for an unknown webhook.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TestSent]
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
) -> ErrorBody | TestSent | None:
    """Send a test event to a webhook

     Sends a `webhook.test` event to the webhook now, even when it is off, and answers with the
    outcome: `delivered`, the endpoint's `response_code`, `duration_ms`, `error` and the first 4
    KiB of `response_body`. It is logged like any delivery.

    Needs a `full`-scope key. 404 for an unknown webhook.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TestSent
    """

    return sync_detailed(
        id=id,
        client=client,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorBody | TestSent]:
    """Send a test event to a webhook

     Sends a `webhook.test` event to the webhook now, even when it is off, and answers with the
    outcome: `delivered`, the endpoint's `response_code`, `duration_ms`, `error` and the first 4
    KiB of `response_body`. It is logged like any delivery.

    Needs a `full`-scope key. 404 for an unknown webhook.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TestSent]
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
) -> ErrorBody | TestSent | None:
    """Send a test event to a webhook

     Sends a `webhook.test` event to the webhook now, even when it is off, and answers with the
    outcome: `delivered`, the endpoint's `response_code`, `duration_ms`, `error` and the first 4
    KiB of `response_body`. It is logged like any delivery.

    Needs a `full`-scope key. 404 for an unknown webhook.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TestSent
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
        )
    ).parsed
