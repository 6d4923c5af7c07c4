from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.poll_page import PollPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/webhooks/{id}/poll".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | PollPage | None:
    if response.status_code == 200:
        response_200 = PollPage.from_dict(response.json())

        return response_200

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
) -> Response[ErrorBody | PollPage]:
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
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[ErrorBody | PollPage]:
    """Poll a polling webhook's deliveries

     For a webhook with `"delivery": "poll"`: the oldest deliveries waiting, oldest first,
    each with the body and the signed headers a push would have sent (verify them with
    any Standard Webhooks library), and `next_cursor`. Bringing that cursor back on the
    next poll acknowledges the page it came with (its deliveries become `delivered`) before
    the next page is read; a page not acknowledged is handed out again. `has_more` says
    to poll again at once.

    Needs a `full` key (it acknowledges): a read key or a read-only console link gets 403.
    409 for a webhook that pushes; 404 for an unknown webhook; 422 for a bad cursor or limit.

    Args:
        id (str):
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PollPage]
    """

    kwargs = _get_kwargs(
        id=id,
        cursor=cursor,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> ErrorBody | PollPage | None:
    """Poll a polling webhook's deliveries

     For a webhook with `"delivery": "poll"`: the oldest deliveries waiting, oldest first,
    each with the body and the signed headers a push would have sent (verify them with
    any Standard Webhooks library), and `next_cursor`. Bringing that cursor back on the
    next poll acknowledges the page it came with (its deliveries become `delivered`) before
    the next page is read; a page not acknowledged is handed out again. `has_more` says
    to poll again at once.

    Needs a `full` key (it acknowledges): a read key or a read-only console link gets 403.
    409 for a webhook that pushes; 404 for an unknown webhook; 422 for a bad cursor or limit.

    Args:
        id (str):
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PollPage
    """

    return sync_detailed(
        id=id,
        client=client,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[ErrorBody | PollPage]:
    """Poll a polling webhook's deliveries

     For a webhook with `"delivery": "poll"`: the oldest deliveries waiting, oldest first,
    each with the body and the signed headers a push would have sent (verify them with
    any Standard Webhooks library), and `next_cursor`. Bringing that cursor back on the
    next poll acknowledges the page it came with (its deliveries become `delivered`) before
    the next page is read; a page not acknowledged is handed out again. `has_more` says
    to poll again at once.

    Needs a `full` key (it acknowledges): a read key or a read-only console link gets 403.
    409 for a webhook that pushes; 404 for an unknown webhook; 422 for a bad cursor or limit.

    Args:
        id (str):
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PollPage]
    """

    kwargs = _get_kwargs(
        id=id,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> ErrorBody | PollPage | None:
    """Poll a polling webhook's deliveries

     For a webhook with `"delivery": "poll"`: the oldest deliveries waiting, oldest first,
    each with the body and the signed headers a push would have sent (verify them with
    any Standard Webhooks library), and `next_cursor`. Bringing that cursor back on the
    next poll acknowledges the page it came with (its deliveries become `delivered`) before
    the next page is read; a page not acknowledged is handed out again. `has_more` says
    to poll again at once.

    Needs a `full` key (it acknowledges): a read key or a read-only console link gets 403.
    409 for a webhook that pushes; 404 for an unknown webhook; 422 for a bad cursor or limit.

    Args:
        id (str):
        cursor (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PollPage
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
