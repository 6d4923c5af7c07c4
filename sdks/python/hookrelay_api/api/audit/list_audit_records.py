import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_list import AuditList
from ...models.error_body import ErrorBody
from ...models.list_audit_records_action import ListAuditRecordsAction
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    action: ListAuditRecordsAction | Unset = UNSET,
    resource_type: str | Unset = UNSET,
    resource_id: str | Unset = UNSET,
    actor_type: str | Unset = UNSET,
    actor_id: str | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    order: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_action: str | Unset = UNSET
    if not isinstance(action, Unset):
        json_action = action.value

    params["action"] = json_action

    params["resource_type"] = resource_type

    params["resource_id"] = resource_id

    params["actor_type"] = actor_type

    params["actor_id"] = actor_id

    json_start: str | Unset = UNSET
    if not isinstance(start, Unset):
        json_start = start.isoformat()
    params["start"] = json_start

    json_end: str | Unset = UNSET
    if not isinstance(end, Unset):
        json_end = end.isoformat()
    params["end"] = json_end

    params["order"] = order

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AuditList | ErrorBody | None:
    if response.status_code == 200:
        response_200 = AuditList.from_dict(response.json())

        return response_200

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
) -> Response[AuditList | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    action: ListAuditRecordsAction | Unset = UNSET,
    resource_type: str | Unset = UNSET,
    resource_id: str | Unset = UNSET,
    actor_type: str | Unset = UNSET,
    actor_id: str | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    order: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[AuditList | ErrorBody]:
    """List audit records

     Who changed what, and when: each change to the account's webhooks, event types, API keys,
    console links and deliveries, with its actor and the fields changed (secrets masked). Newest
    first by default; filters on the action, resource, actor and a `start`/`end` window on `at`;
    pass `next_cursor` back as `cursor` for the next page.

    Any scope may call it, and so may a console link. 422 names a bad parameter.

    Args:
        action (ListAuditRecordsAction | Unset):
        resource_type (str | Unset):
        resource_id (str | Unset):
        actor_type (str | Unset):
        actor_id (str | Unset):
        start (datetime.datetime | Unset):
        end (datetime.datetime | Unset):
        order (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditList | ErrorBody]
    """

    kwargs = _get_kwargs(
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        actor_type=actor_type,
        actor_id=actor_id,
        start=start,
        end=end,
        order=order,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    action: ListAuditRecordsAction | Unset = UNSET,
    resource_type: str | Unset = UNSET,
    resource_id: str | Unset = UNSET,
    actor_type: str | Unset = UNSET,
    actor_id: str | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    order: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> AuditList | ErrorBody | None:
    """List audit records

     Who changed what, and when: each change to the account's webhooks, event types, API keys,
    console links and deliveries, with its actor and the fields changed (secrets masked). Newest
    first by default; filters on the action, resource, actor and a `start`/`end` window on `at`;
    pass `next_cursor` back as `cursor` for the next page.

    Any scope may call it, and so may a console link. 422 names a bad parameter.

    Args:
        action (ListAuditRecordsAction | Unset):
        resource_type (str | Unset):
        resource_id (str | Unset):
        actor_type (str | Unset):
        actor_id (str | Unset):
        start (datetime.datetime | Unset):
        end (datetime.datetime | Unset):
        order (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditList | ErrorBody
    """

    return sync_detailed(
        client=client,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        actor_type=actor_type,
        actor_id=actor_id,
        start=start,
        end=end,
        order=order,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    action: ListAuditRecordsAction | Unset = UNSET,
    resource_type: str | Unset = UNSET,
    resource_id: str | Unset = UNSET,
    actor_type: str | Unset = UNSET,
    actor_id: str | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    order: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[AuditList | ErrorBody]:
    """List audit records

     Who changed what, and when: each change to the account's webhooks, event types, API keys,
    console links and deliveries, with its actor and the fields changed (secrets masked). Newest
    first by default; filters on the action, resource, actor and a `start`/`end` window on `at`;
    pass `next_cursor` back as `cursor` for the next page.

    Any scope may call it, and so may a console link. 422 names a bad parameter.

    Args:
        action (ListAuditRecordsAction | Unset):
        resource_type (str | Unset):
        resource_id (str | Unset):
        actor_type (str | Unset):
        actor_id (str | Unset):
        start (datetime.datetime | Unset):
        end (datetime.datetime | Unset):
        order (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditList | ErrorBody]
    """

    kwargs = _get_kwargs(
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        actor_type=actor_type,
        actor_id=actor_id,
        start=start,
        end=end,
        order=order,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    action: ListAuditRecordsAction | Unset = UNSET,
    resource_type: str | Unset = UNSET,
    resource_id: str | Unset = UNSET,
    actor_type: str | Unset = UNSET,
    actor_id: str | Unset = UNSET,
    start: datetime.datetime | Unset = UNSET,
    end: datetime.datetime | Unset = UNSET,
    order: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> AuditList | ErrorBody | None:
    """List audit records

     Who changed what, and when: each change to the account's webhooks, event types, API keys,
    console links and deliveries, with its actor and the fields changed (secrets masked). Newest
    first by default; filters on the action, resource, actor and a `start`/`end` window on `at`;
    pass `next_cursor` back as `cursor` for the next page.

    Any scope may call it, and so may a console link. 422 names a bad parameter.

    Args:
        action (ListAuditRecordsAction | Unset):
        resource_type (str | Unset):
        resource_id (str | Unset):
        actor_type (str | Unset):
        actor_id (str | Unset):
        start (datetime.datetime | Unset):
        end (datetime.datetime | Unset):
        order (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditList | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            action=action,
            resource_type=resource_type,
            resource_id=resource_id,
            actor_type=actor_type,
            actor_id=actor_id,
            start=start,
            end=end,
            order=order,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
