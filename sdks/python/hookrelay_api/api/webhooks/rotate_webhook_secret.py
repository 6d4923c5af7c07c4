from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.rotate_request import RotateRequest
from ...models.rotated_secret import RotatedSecret
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    body: RotateRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhooks/{id}/secret/rotate".format(
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
) -> ErrorBody | RotatedSecret | None:
    if response.status_code == 200:
        response_200 = RotatedSecret.from_dict(response.json())

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
) -> Response[ErrorBody | RotatedSecret]:
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
    body: RotateRequest | Unset = UNSET,
) -> Response[ErrorBody | RotatedSecret]:
    """Rotate a webhook's signing secret

     Sets a new secret (the one given, or a generated one) and keeps the old one signing
    alongside it for `grace_seconds` (default 86400), so a receiver can switch without refusing
    a delivery; at most 3 old secrets are kept. The answer shows the new secret, this once.

    Needs a `full`-scope key. 404 for an unknown webhook, 422 names each invalid field.

    Args:
        id (str):
        body (RotateRequest | Unset): The fields `POST /v1/webhooks/{id}/secret/rotate` accepts
            (the body is optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | RotatedSecret]
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
    body: RotateRequest | Unset = UNSET,
) -> ErrorBody | RotatedSecret | None:
    """Rotate a webhook's signing secret

     Sets a new secret (the one given, or a generated one) and keeps the old one signing
    alongside it for `grace_seconds` (default 86400), so a receiver can switch without refusing
    a delivery; at most 3 old secrets are kept. The answer shows the new secret, this once.

    Needs a `full`-scope key. 404 for an unknown webhook, 422 names each invalid field.

    Args:
        id (str):
        body (RotateRequest | Unset): The fields `POST /v1/webhooks/{id}/secret/rotate` accepts
            (the body is optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | RotatedSecret
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
    body: RotateRequest | Unset = UNSET,
) -> Response[ErrorBody | RotatedSecret]:
    """Rotate a webhook's signing secret

     Sets a new secret (the one given, or a generated one) and keeps the old one signing
    alongside it for `grace_seconds` (default 86400), so a receiver can switch without refusing
    a delivery; at most 3 old secrets are kept. The answer shows the new secret, this once.

    Needs a `full`-scope key. 404 for an unknown webhook, 422 names each invalid field.

    Args:
        id (str):
        body (RotateRequest | Unset): The fields `POST /v1/webhooks/{id}/secret/rotate` accepts
            (the body is optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | RotatedSecret]
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
    body: RotateRequest | Unset = UNSET,
) -> ErrorBody | RotatedSecret | None:
    """Rotate a webhook's signing secret

     Sets a new secret (the one given, or a generated one) and keeps the old one signing
    alongside it for `grace_seconds` (default 86400), so a receiver can switch without refusing
    a delivery; at most 3 old secrets are kept. The answer shows the new secret, this once.

    Needs a `full`-scope key. 404 for an unknown webhook, 422 names each invalid field.

    Args:
        id (str):
        body (RotateRequest | Unset): The fields `POST /v1/webhooks/{id}/secret/rotate` accepts
            (the body is optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | RotatedSecret
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
