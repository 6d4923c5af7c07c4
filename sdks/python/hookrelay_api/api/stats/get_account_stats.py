import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.stats import Stats
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    granularity: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_start: str | Unset = UNSET
    if not isinstance(start, Unset):
        json_start = start.isoformat()
    params["start"] = json_start

    json_end: str | Unset = UNSET
    if not isinstance(end, Unset):
        json_end = end.isoformat()
    params["end"] = json_end

    params["granularity"] = granularity

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/stats",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | Stats | None:
    if response.status_code == 200:
        response_200 = Stats.from_dict(response.json())

        return response_200

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
) -> Response[ErrorBody | Stats]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    granularity: str | Unset = UNSET,
) -> Response[ErrorBody | Stats]:
    """Get the account's delivery stats

     Attempts, errors, error rate, median duration and delivery counts per hour or day
    (`granularity`, UTC) over a window (`start`, `end`), with `totals`: every bucket of the
    window, empty ones too, oldest first.

    Any scope may call it. 422 names a bad parameter.

    Args:
        start (datetime.datetime | Unset):
        end (datetime.datetime | Unset):
        granularity (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Stats]
    """

    kwargs = _get_kwargs(
        start=start,
        end=end,
        granularity=granularity,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    granularity: str | Unset = UNSET,
) -> ErrorBody | Stats | None:
    """Get the account's delivery stats

     Attempts, errors, error rate, median duration and delivery counts per hour or day
    (`granularity`, UTC) over a window (`start`, `end`), with `totals`: every bucket of the
    window, empty ones too, oldest first.

    Any scope may call it. 422 names a bad parameter.

    Args:
        start (datetime.datetime | Unset):
        end (datetime.datetime | Unset):
        granularity (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Stats
    """

    return sync_detailed(
        client=client,
        start=start,
        end=end,
        granularity=granularity,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    granularity: str | Unset = UNSET,
) -> Response[ErrorBody | Stats]:
    """Get the account's delivery stats

     Attempts, errors, error rate, median duration and delivery counts per hour or day
    (`granularity`, UTC) over a window (`start`, `end`), with `totals`: every bucket of the
    window, empty ones too, oldest first.

    Any scope may call it. 422 names a bad parameter.

    Args:
        start (datetime.datetime | Unset):
        end (datetime.datetime | Unset):
        granularity (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Stats]
    """

    kwargs = _get_kwargs(
        start=start,
        end=end,
        granularity=granularity,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    granularity: str | Unset = UNSET,
) -> ErrorBody | Stats | None:
    """Get the account's delivery stats

     Attempts, errors, error rate, median duration and delivery counts per hour or day
    (`granularity`, UTC) over a window (`start`, `end`), with `totals`: every bucket of the
    window, empty ones too, oldest first.

    Any scope may call it. 422 names a bad parameter.

    Args:
        start (datetime.datetime | Unset):
        end (datetime.datetime | Unset):
        granularity (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Stats
    """

    return (
        await asyncio_detailed(
            client=client,
            start=start,
            end=end,
            granularity=granularity,
        )
    ).parsed
