from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.webhook_change_request import WebhookChangeRequest
from ...models.webhook_changed import WebhookChanged
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    body: WebhookChangeRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/webhooks/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | WebhookChanged | None:
    if response.status_code == 200:
        response_200 = WebhookChanged.from_dict(response.json())

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
) -> Response[ErrorBody | WebhookChanged]:
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
    body: WebhookChangeRequest | Unset = UNSET,
) -> Response[ErrorBody | WebhookChanged]:
    """Update a webhook

     Changes any of the create fields; a field left out keeps its value, and null clears the ones
    that can be cleared. `{"enabled": false}` switches the webhook off; `{"enabled": true,
    "replay_failed": true}` switches it on and sends again what failed while it was off.

    Needs a `full`-scope key. 404 for an unknown webhook, 409 when it was changed concurrently
    too often (send it again), 422 names each invalid field.

    Args:
        id (str):
        body (WebhookChangeRequest | Unset): The fields `PATCH /v1/webhooks/{id}` accepts: any of
            the create fields, and `replay_failed`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WebhookChanged]
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
    body: WebhookChangeRequest | Unset = UNSET,
) -> ErrorBody | WebhookChanged | None:
    """Update a webhook

     Changes any of the create fields; a field left out keeps its value, and null clears the ones
    that can be cleared. `{"enabled": false}` switches the webhook off; `{"enabled": true,
    "replay_failed": true}` switches it on and sends again what failed while it was off.

    Needs a `full`-scope key. 404 for an unknown webhook, 409 when it was changed concurrently
    too often (send it again), 422 names each invalid field.

    Args:
        id (str):
        body (WebhookChangeRequest | Unset): The fields `PATCH /v1/webhooks/{id}` accepts: any of
            the create fields, and `replay_failed`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WebhookChanged
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
    body: WebhookChangeRequest | Unset = UNSET,
) -> Response[ErrorBody | WebhookChanged]:
    """Update a webhook

     Changes any of the create fields; a field left out keeps its value, and null clears the ones
    that can be cleared. `{"enabled": false}` switches the webhook off; `{"enabled": true,
    "replay_failed": true}` switches it on and sends again what failed while it was off.

    Needs a `full`-scope key. 404 for an unknown webhook, 409 when it was changed concurrently
    too often (send it again), 422 names each invalid field.

    Args:
        id (str):
        body (WebhookChangeRequest | Unset): The fields `PATCH /v1/webhooks/{id}` accepts: any of
            the create fields, and `replay_failed`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WebhookChanged]
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
    body: WebhookChangeRequest | Unset = UNSET,
) -> ErrorBody | WebhookChanged | None:
    """Update a webhook

     Changes any of the create fields; a field left out keeps its value, and null clears the ones
    that can be cleared. `{"enabled": false}` switches the webhook off; `{"enabled": true,
    "replay_failed": true}` switches it on and sends again what failed while it was off.

    Needs a `full`-scope key. 404 for an unknown webhook, 409 when it was changed concurrently
    too often (send it again), 422 names each invalid field.

    Args:
        id (str):
        body (WebhookChangeRequest | Unset): The fields `PATCH /v1/webhooks/{id}` accepts: any of
            the create fields, and `replay_failed`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WebhookChanged
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
