from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.webhook_body import WebhookBody
from ...types import Response


def _get_kwargs(
    id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/webhooks/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | WebhookBody | None:
    if response.status_code == 200:
        response_200 = WebhookBody.from_dict(response.json())

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
) -> Response[ErrorBody | WebhookBody]:
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
) -> Response[ErrorBody | WebhookBody]:
    """Get a webhook

     One webhook, its secret, endpoint `api_key` and URL password masked. A webhook that is off
    shows why (`disabled_reason`: `manual`, or `failing` when hookrelay switched it off) and
    since when (`disabled_at`).

    Any scope may call it. 404 for an id that names no webhook of this account.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WebhookBody]
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
) -> ErrorBody | WebhookBody | None:
    """Get a webhook

     One webhook, its secret, endpoint `api_key` and URL password masked. A webhook that is off
    shows why (`disabled_reason`: `manual`, or `failing` when hookrelay switched it off) and
    since when (`disabled_at`).

    Any scope may call it. 404 for an id that names no webhook of this account.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WebhookBody
    """

    return sync_detailed(
        id=id,
        client=client,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorBody | WebhookBody]:
    """Get a webhook

     One webhook, its secret, endpoint `api_key` and URL password masked. A webhook that is off
    shows why (`disabled_reason`: `manual`, or `failing` when hookrelay switched it off) and
    since when (`disabled_at`).

    Any scope may call it. 404 for an id that names no webhook of this account.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WebhookBody]
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
) -> ErrorBody | WebhookBody | None:
    """Get a webhook

     One webhook, its secret, endpoint `api_key` and URL password masked. A webhook that is off
    shows why (`disabled_reason`: `manual`, or `failing` when hookrelay switched it off) and
    since when (`disabled_at`).

    Any scope may call it. 404 for an id that names no webhook of this account.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WebhookBody
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
        )
    ).parsed
