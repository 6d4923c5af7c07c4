from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ConsoleLinkRequest")


@_attrs_define
class ConsoleLinkRequest:
    """The fields `POST /v1/console-links` accepts (the body is optional).

    Attributes:
        embed_origins (list[str] | None | Unset): Origins allowed to show this console in a frame, at most 10, each
            `scheme://host[:port]` and nothing more, e.g. `https://app.example.com`:
            https, or http on localhost and 127.0.0.0/8 (anywhere where the
            deployment allows http, `HOOKRELAY_ALLOW_HTTP`). Default none: the
            console refuses every frame (`frame-ancestors 'none'`).
        read_only (bool | None | Unset): Default false.
        ttl_seconds (int | None | Unset): 60–604800, default 3600.
    """

    embed_origins: list[str] | None | Unset = UNSET
    read_only: bool | None | Unset = UNSET
    ttl_seconds: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        embed_origins: list[str] | None | Unset
        if isinstance(self.embed_origins, Unset):
            embed_origins = UNSET
        elif isinstance(self.embed_origins, list):
            embed_origins = self.embed_origins

        else:
            embed_origins = self.embed_origins

        read_only: bool | None | Unset
        if isinstance(self.read_only, Unset):
            read_only = UNSET
        else:
            read_only = self.read_only

        ttl_seconds: int | None | Unset
        if isinstance(self.ttl_seconds, Unset):
            ttl_seconds = UNSET
        else:
            ttl_seconds = self.ttl_seconds

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if embed_origins is not UNSET:
            field_dict["embed_origins"] = embed_origins
        if read_only is not UNSET:
            field_dict["read_only"] = read_only
        if ttl_seconds is not UNSET:
            field_dict["ttl_seconds"] = ttl_seconds

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_embed_origins(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                embed_origins_type_0 = cast(list[str], data)

                return embed_origins_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        embed_origins = _parse_embed_origins(d.pop("embed_origins", UNSET))

        def _parse_read_only(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        read_only = _parse_read_only(d.pop("read_only", UNSET))

        def _parse_ttl_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        ttl_seconds = _parse_ttl_seconds(d.pop("ttl_seconds", UNSET))

        console_link_request = cls(
            embed_origins=embed_origins,
            read_only=read_only,
            ttl_seconds=ttl_seconds,
        )

        return console_link_request
