from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_change_request import AccountChangeRequest
from ...models.current_account_body import CurrentAccountBody
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: AccountChangeRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/account",
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CurrentAccountBody | ErrorBody | None:
    if response.status_code == 200:
        response_200 = CurrentAccountBody.from_dict(response.json())

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

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())

        return response_422

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
    body: AccountChangeRequest | Unset = UNSET,
) -> Response[CurrentAccountBody | ErrorBody]:
    """Change the account's branding

     Sets what the console shows for the account: `branding.display_name`,
    `branding.accent_color` (`#rrggbb`) and `branding.logo` (a `data:` URL of a PNG,
    JPEG or SVG image of at most 64 KiB, its bytes of the type it names). A field left
    out is kept, null clears it, and `"branding": null` clears them all. Audited as
    `account.updated`.

    Needs a `full` key: a console link or a narrower key gets 403. 422 names each bad field.

    Args:
        body (AccountChangeRequest | Unset): The fields `PATCH /v1/account` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CurrentAccountBody | ErrorBody]
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
    body: AccountChangeRequest | Unset = UNSET,
) -> CurrentAccountBody | ErrorBody | None:
    """Change the account's branding

     Sets what the console shows for the account: `branding.display_name`,
    `branding.accent_color` (`#rrggbb`) and `branding.logo` (a `data:` URL of a PNG,
    JPEG or SVG image of at most 64 KiB, its bytes of the type it names). A field left
    out is kept, null clears it, and `"branding": null` clears them all. Audited as
    `account.updated`.

    Needs a `full` key: a console link or a narrower key gets 403. 422 names each bad field.

    Args:
        body (AccountChangeRequest | Unset): The fields `PATCH /v1/account` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CurrentAccountBody | ErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AccountChangeRequest | Unset = UNSET,
) -> Response[CurrentAccountBody | ErrorBody]:
    """Change the account's branding

     Sets what the console shows for the account: `branding.display_name`,
    `branding.accent_color` (`#rrggbb`) and `branding.logo` (a `data:` URL of a PNG,
    JPEG or SVG image of at most 64 KiB, its bytes of the type it names). A field left
    out is kept, null clears it, and `"branding": null` clears them all. Audited as
    `account.updated`.

    Needs a `full` key: a console link or a narrower key gets 403. 422 names each bad field.

    Args:
        body (AccountChangeRequest | Unset): The fields `PATCH /v1/account` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CurrentAccountBody | ErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: AccountChangeRequest | Unset = UNSET,
) -> CurrentAccountBody | ErrorBody | None:
    """Change the account's branding

     Sets what the console shows for the account: `branding.display_name`,
    `branding.accent_color` (`#rrggbb`) and `branding.logo` (a `data:` URL of a PNG,
    JPEG or SVG image of at most 64 KiB, its bytes of the type it names). A field left
    out is kept, null clears it, and `"branding": null` clears them all. Audited as
    `account.updated`.

    Needs a `full` key: a console link or a narrower key gets 403. 422 names each bad field.

    Args:
        body (AccountChangeRequest | Unset): The fields `PATCH /v1/account` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CurrentAccountBody | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
