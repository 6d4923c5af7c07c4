from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.webhook_body import WebhookBody
from ...models.webhook_request import WebhookRequest
from ...types import Response


def _get_kwargs(
    *,
    body: WebhookRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhooks",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | WebhookBody | None:
    if response.status_code == 201:
        response_201 = WebhookBody.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | WebhookBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: WebhookRequest,
) -> Response[ErrorBody | WebhookBody]:
    """Create a webhook

     Registers an endpoint that receives every event matching one of its `events` patterns (and
    its `filter`, when it has one), signed with its secret. The answer shows the secret whole,
    this once; later answers mask it. The URL must be https unless the deployment allows http,
    and its host may not be, or resolve to, a loopback, private, link-local, CGNAT, multicast or
    unspecified address unless the deployment allows that subnet.

    Needs a `full`-scope key. 422 names each invalid field.

    Args:
        body (WebhookRequest): The fields `POST /v1/webhooks` accepts (PATCH takes the same, all
            optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WebhookBody]
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
    body: WebhookRequest,
) -> ErrorBody | WebhookBody | None:
    """Create a webhook

     Registers an endpoint that receives every event matching one of its `events` patterns (and
    its `filter`, when it has one), signed with its secret. The answer shows the secret whole,
    this once; later answers mask it. The URL must be https unless the deployment allows http,
    and its host may not be, or resolve to, a loopback, private, link-local, CGNAT, multicast or
    unspecified address unless the deployment allows that subnet.

    Needs a `full`-scope key. 422 names each invalid field.

    Args:
        body (WebhookRequest): The fields `POST /v1/webhooks` accepts (PATCH takes the same, all
            optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WebhookBody
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: WebhookRequest,
) -> Response[ErrorBody | WebhookBody]:
    """Create a webhook

     Registers an endpoint that receives every event matching one of its `events` patterns (and
    its `filter`, when it has one), signed with its secret. The answer shows the secret whole,
    this once; later answers mask it. The URL must be https unless the deployment allows http,
    and its host may not be, or resolve to, a loopback, private, link-local, CGNAT, multicast or
    unspecified address unless the deployment allows that subnet.

    Needs a `full`-scope key. 422 names each invalid field.

    Args:
        body (WebhookRequest): The fields `POST /v1/webhooks` accepts (PATCH takes the same, all
            optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WebhookBody]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: WebhookRequest,
) -> ErrorBody | WebhookBody | None:
    """Create a webhook

     Registers an endpoint that receives every event matching one of its `events` patterns (and
    its `filter`, when it has one), signed with its secret. The answer shows the secret whole,
    this once; later answers mask it. The URL must be https unless the deployment allows http,
    and its host may not be, or resolve to, a loopback, private, link-local, CGNAT, multicast or
    unspecified address unless the deployment allows that subnet.

    Needs a `full`-scope key. 422 names each invalid field.

    Args:
        body (WebhookRequest): The fields `POST /v1/webhooks` accepts (PATCH takes the same, all
            optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WebhookBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
