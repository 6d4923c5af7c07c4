from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.transform_preview import TransformPreview
from ...models.transform_preview_request import TransformPreviewRequest
from ...types import Response


def _get_kwargs(
    *,
    body: TransformPreviewRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/transforms/preview",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | TransformPreview | None:
    if response.status_code == 200:
        response_200 = TransformPreview.from_dict(response.json())

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
) -> Response[ErrorBody | TransformPreview]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TransformPreviewRequest,
) -> Response[ErrorBody | TransformPreview]:
    """Preview a body shape

     The body a delivery of the event would send with `transform` (as a webhook's: `"default"`,
    `"settings"` or a template). `payload` defaults to the catalogue's example for the event.
    Nothing is sent or stored.

    Any scope may call it, and so may a read-only console link. A template that does not render
    JSON is a 422 on `transform` naming its line.

    Args:
        body (TransformPreviewRequest): The fields `POST /v1/transforms/preview` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TransformPreview]
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
    body: TransformPreviewRequest,
) -> ErrorBody | TransformPreview | None:
    """Preview a body shape

     The body a delivery of the event would send with `transform` (as a webhook's: `"default"`,
    `"settings"` or a template). `payload` defaults to the catalogue's example for the event.
    Nothing is sent or stored.

    Any scope may call it, and so may a read-only console link. A template that does not render
    JSON is a 422 on `transform` naming its line.

    Args:
        body (TransformPreviewRequest): The fields `POST /v1/transforms/preview` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TransformPreview
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TransformPreviewRequest,
) -> Response[ErrorBody | TransformPreview]:
    """Preview a body shape

     The body a delivery of the event would send with `transform` (as a webhook's: `"default"`,
    `"settings"` or a template). `payload` defaults to the catalogue's example for the event.
    Nothing is sent or stored.

    Any scope may call it, and so may a read-only console link. A template that does not render
    JSON is a 422 on `transform` naming its line.

    Args:
        body (TransformPreviewRequest): The fields `POST /v1/transforms/preview` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TransformPreview]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: TransformPreviewRequest,
) -> ErrorBody | TransformPreview | None:
    """Preview a body shape

     The body a delivery of the event would send with `transform` (as a webhook's: `"default"`,
    `"settings"` or a template). `payload` defaults to the catalogue's example for the event.
    Nothing is sent or stored.

    Any scope may call it, and so may a read-only console link. A template that does not render
    JSON is a 422 on `transform` naming its line.

    Args:
        body (TransformPreviewRequest): The fields `POST /v1/transforms/preview` accepts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TransformPreview
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
