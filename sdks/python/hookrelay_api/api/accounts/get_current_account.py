from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.current_account_body import CurrentAccountBody
from ...models.error_body import ErrorBody
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/account",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CurrentAccountBody | ErrorBody | None:
    if response.status_code == 200:
        response_200 = CurrentAccountBody.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CurrentAccountBody | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[CurrentAccountBody | ErrorBody]:
    """Get the current account

     The account the credential opens, its `branding`, and what the credential grants:
    `access.kind` (`api_key` or `console_link`), `read_only` and `expires_at`.

    Any credential may call it. 401 for a missing, unknown, expired or revoked one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CurrentAccountBody | ErrorBody]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> CurrentAccountBody | ErrorBody | None:
    """Get the current account

     The account the credential opens, its `branding`, and what the credential grants:
    `access.kind` (`api_key` or `console_link`), `read_only` and `expires_at`.

    Any credential may call it. 401 for a missing, unknown, expired or revoked one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CurrentAccountBody | ErrorBody
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[CurrentAccountBody | ErrorBody]:
    """Get the current account

     The account the credential opens, its `branding`, and what the credential grants:
    `access.kind` (`api_key` or `console_link`), `read_only` and `expires_at`.

    Any credential may call it. 401 for a missing, unknown, expired or revoked one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CurrentAccountBody | ErrorBody]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> CurrentAccountBody | ErrorBody | None:
    """Get the current account

     The account the credential opens, its `branding`, and what the credential grants:
    `access.kind` (`api_key` or `console_link`), `read_only` and `expires_at`.

    Any credential may call it. 401 for a missing, unknown, expired or revoked one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CurrentAccountBody | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
