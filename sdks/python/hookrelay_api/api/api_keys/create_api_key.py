from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_key_body import ApiKeyBody
from ...models.api_key_request import ApiKeyRequest
from ...models.error_body import ErrorBody
from ...types import Response


def _get_kwargs(
    *,
    body: ApiKeyRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/api-keys",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApiKeyBody | ErrorBody | None:
    if response.status_code == 201:
        response_201 = ApiKeyBody.from_dict(response.json())

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
) -> Response[ApiKeyBody | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ApiKeyRequest,
) -> Response[ApiKeyBody | ErrorBody]:
    """Create an API key

     A new key for the account, with a `scope` (`full` calls every route, `ingest` only the event
    routes, `read` only what changes nothing) and an optional expiry. The key itself is in this
    answer only (`key`): hookrelay keeps its hash.

    Needs a `full`-scope API key (not a console link). 422 names each invalid field.

    Args:
        body (ApiKeyRequest): The fields `POST /v1/api-keys` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyBody | ErrorBody]
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
    body: ApiKeyRequest,
) -> ApiKeyBody | ErrorBody | None:
    """Create an API key

     A new key for the account, with a `scope` (`full` calls every route, `ingest` only the event
    routes, `read` only what changes nothing) and an optional expiry. The key itself is in this
    answer only (`key`): hookrelay keeps its hash.

    Needs a `full`-scope API key (not a console link). 422 names each invalid field.

    Args:
        body (ApiKeyRequest): The fields `POST /v1/api-keys` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyBody | ErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ApiKeyRequest,
) -> Response[ApiKeyBody | ErrorBody]:
    """Create an API key

     A new key for the account, with a `scope` (`full` calls every route, `ingest` only the event
    routes, `read` only what changes nothing) and an optional expiry. The key itself is in this
    answer only (`key`): hookrelay keeps its hash.

    Needs a `full`-scope API key (not a console link). 422 names each invalid field.

    Args:
        body (ApiKeyRequest): The fields `POST /v1/api-keys` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyBody | ErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ApiKeyRequest,
) -> ApiKeyBody | ErrorBody | None:
    """Create an API key

     A new key for the account, with a `scope` (`full` calls every route, `ingest` only the event
    routes, `read` only what changes nothing) and an optional expiry. The key itself is in this
    answer only (`key`): hookrelay keeps its hash.

    Needs a `full`-scope API key (not a console link). 422 names each invalid field.

    Args:
        body (ApiKeyRequest): The fields `POST /v1/api-keys` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyBody | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
