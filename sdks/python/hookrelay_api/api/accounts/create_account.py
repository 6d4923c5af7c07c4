from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_body import AccountBody
from ...models.create_account_request import CreateAccountRequest
from ...models.error_body import ErrorBody
from ...types import Response


def _get_kwargs(
    *,
    body: CreateAccountRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/accounts",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccountBody | ErrorBody | None:
    if response.status_code == 201:
        response_201 = AccountBody.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AccountBody | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateAccountRequest,
) -> Response[AccountBody | ErrorBody]:
    """Create an account

     A new account and its first API key (scope `full`, named "Initial key"), shown this once.
    Only the deployment's operator calls it: in the local runner with `ADMIN_API_KEY` as the
    bearer; in AWS with a request signed with SigV4, which API Gateway's IAM authoriser checks
    (it answers 403 itself to others).

    401 without the admin key (local runner), 422 names the invalid field.

    Args:
        body (CreateAccountRequest): The fields `POST /v1/accounts` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountBody | ErrorBody]
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
    client: AuthenticatedClient,
    body: CreateAccountRequest,
) -> AccountBody | ErrorBody | None:
    """Create an account

     A new account and its first API key (scope `full`, named "Initial key"), shown this once.
    Only the deployment's operator calls it: in the local runner with `ADMIN_API_KEY` as the
    bearer; in AWS with a request signed with SigV4, which API Gateway's IAM authoriser checks
    (it answers 403 itself to others).

    401 without the admin key (local runner), 422 names the invalid field.

    Args:
        body (CreateAccountRequest): The fields `POST /v1/accounts` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountBody | ErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateAccountRequest,
) -> Response[AccountBody | ErrorBody]:
    """Create an account

     A new account and its first API key (scope `full`, named "Initial key"), shown this once.
    Only the deployment's operator calls it: in the local runner with `ADMIN_API_KEY` as the
    bearer; in AWS with a request signed with SigV4, which API Gateway's IAM authoriser checks
    (it answers 403 itself to others).

    401 without the admin key (local runner), 422 names the invalid field.

    Args:
        body (CreateAccountRequest): The fields `POST /v1/accounts` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountBody | ErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateAccountRequest,
) -> AccountBody | ErrorBody | None:
    """Create an account

     A new account and its first API key (scope `full`, named "Initial key"), shown this once.
    Only the deployment's operator calls it: in the local runner with `ADMIN_API_KEY` as the
    bearer; in AWS with a request signed with SigV4, which API Gateway's IAM authoriser checks
    (it answers 403 itself to others).

    401 without the admin key (local runner), 422 names the invalid field.

    Args:
        body (CreateAccountRequest): The fields `POST /v1/accounts` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountBody | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
