from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ConsoleLinkView")


@_attrs_define
class ConsoleLinkView:
    """
    Attributes:
        created_at (str):
        embed_origins (list[str]): Origins allowed to show this link's console in a frame (its page's
            `frame-ancestors`); empty: it cannot be framed.
        expires_at (str):
        id (str):
        read_only (bool): GET only (and `POST /v1/filters/test`, which changes nothing): every
            other call answers 403.
        token (None | str | Unset): The token, as `Authorization: Bearer`: only in the answer that mints it.
        url (None | str | Unset): The console, signed in with the token: only in the answer that mints
            it. `…/console#token=…`; for a link with `embed_origins`,
            `…/console?link={account}.{link}#token=…` (the address, no secret, tells
            the server which origins may frame the page): an iframe's `src`.
    """

    created_at: str
    embed_origins: list[str]
    expires_at: str
    id: str
    read_only: bool
    token: None | str | Unset = UNSET
    url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        embed_origins = self.embed_origins

        expires_at = self.expires_at

        id = self.id

        read_only = self.read_only

        token: None | str | Unset
        if isinstance(self.token, Unset):
            token = UNSET
        else:
            token = self.token

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "embed_origins": embed_origins,
                "expires_at": expires_at,
                "id": id,
                "read_only": read_only,
            }
        )
        if token is not UNSET:
            field_dict["token"] = token
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        embed_origins = cast(list[str], d.pop("embed_origins"))

        expires_at = d.pop("expires_at")

        id = d.pop("id")

        read_only = d.pop("read_only")

        def _parse_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        token = _parse_token(d.pop("token", UNSET))

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        console_link_view = cls(
            created_at=created_at,
            embed_origins=embed_origins,
            expires_at=expires_at,
            id=id,
            read_only=read_only,
            token=token,
            url=url,
        )

        console_link_view.additional_properties = d
        return console_link_view

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
