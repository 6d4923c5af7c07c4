"""hookrelay's API from Python.

`hookrelay_api` is generated from the OpenAPI document hookrelay serves
(scripts/sdks.sh): a module per operation in `hookrelay_api.api.<tag>`, each
with `sync`, `sync_detailed`, `asyncio` and `asyncio_detailed`, and the
schemas in `hookrelay_api.models`. This module is the part written by hand:
a client that sends the API key, and Standard Webhooks verification for
receivers.
"""

from collections.abc import Mapping
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError

from hookrelay_api import AuthenticatedClient

__all__ = ["AuthenticatedClient", "Webhook", "WebhookVerificationError", "client", "verify"]


def client(base_url: str, api_key: str, **options: Any) -> AuthenticatedClient:
    """A client for hookrelay at `base_url` (e.g. `http://127.0.0.1:3000`, no
    `/v1`) that sends `api_key` as `Authorization: Bearer`. `options` go to
    `AuthenticatedClient` (`timeout`, `headers`, `raise_on_unexpected_status`...)."""
    return AuthenticatedClient(base_url=base_url, token=api_key, **options)


def verify(secret: str, body: bytes | str, headers: Mapping[str, str]) -> Any:
    """Checks a delivery's signature (`webhook-id`, `webhook-timestamp`,
    `webhook-signature`) against the webhook's secret and answers the parsed
    body; raises `WebhookVerificationError` when it does not match or is stale."""
    return Webhook(secret).verify(body, dict(headers.items()))
