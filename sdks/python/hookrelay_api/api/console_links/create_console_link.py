from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.console_link_body import ConsoleLinkBody
from ...models.console_link_request import ConsoleLinkRequest
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ConsoleLinkRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/console-links",
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConsoleLinkBody | ErrorBody | None:
    if response.status_code == 201:
        response_201 = ConsoleLinkBody.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

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
) -> Response[ConsoleLinkBody | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ConsoleLinkRequest | Unset = UNSET,
) -> Response[ConsoleLinkBody | ErrorBody]:
    """Create a console link

     Mints a link that opens the web console for this account without a key: optionally
    `read_only`, for `ttl_seconds` (60–604800, default 3600). The answer holds its `token` and
    `url`, this once.

    Needs a `full`-scope API key (a link cannot make links). 422 names each invalid field.

    Args:
        body (ConsoleLinkRequest | Unset): The fields `POST /v1/console-links` accepts (the body
            is optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsoleLinkBody | ErrorBody]
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
    body: ConsoleLinkRequest | Unset = UNSET,
) -> ConsoleLinkBody | ErrorBody | None:
    """Create a console link

     Mints a link that opens the web console for this account without a key: optionally
    `read_only`, for `ttl_seconds` (60–604800, default 3600). The answer holds its `token` and
    `url`, this once.

    Needs a `full`-scope API key (a link cannot make links). 422 names each invalid field.

    Args:
        body (ConsoleLinkRequest | Unset): The fields `POST /v1/console-links` accepts (the body
            is optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsoleLinkBody | ErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ConsoleLinkRequest | Unset = UNSET,
) -> Response[ConsoleLinkBody | ErrorBody]:
    """Create a console link

     Mints a link that opens the web console for this account without a key: optionally
    `read_only`, for `ttl_seconds` (60–604800, default 3600). The answer holds its `token` and
    `url`, this once.

    Needs a `full`-scope API key (a link cannot make links). 422 names each invalid field.

    Args:
        body (ConsoleLinkRequest | Unset): The fields `POST /v1/console-links` accepts (the body
            is optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsoleLinkBody | ErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ConsoleLinkRequest | Unset = UNSET,
) -> ConsoleLinkBody | ErrorBody | None:
    """Create a console link

     Mints a link that opens the web console for this account without a key: optionally
    `read_only`, for `ttl_seconds` (60–604800, default 3600). The answer holds its `token` and
    `url`, this once.

    Needs a `full`-scope API key (a link cannot make links). 422 names each invalid field.

    Args:
        body (ConsoleLinkRequest | Unset): The fields `POST /v1/console-links` accepts (the body
            is optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsoleLinkBody | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
