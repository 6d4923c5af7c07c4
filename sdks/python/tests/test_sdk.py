"""The Python SDK end to end, against a local runner (scripts/sdks.sh test
starts one and sets HOOKRELAY_URL and HOOKRELAY_API_KEY): what a producer
does with it, and a receiver on loopback that verifies each delivery with
the re-exported Standard Webhooks library."""

import os
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

import pytest

import hookrelay
from hookrelay_api.api.deliveries import (
    get_delivery,
    list_deliveries,
    list_webhook_deliveries,
    retry_delivery,
)
from hookrelay_api.api.events import create_event, create_event_batch
from hookrelay_api.api.webhooks import create_webhook
from hookrelay_api.models import (
    BatchEvent,
    BatchRequest,
    ErrorBody,
    EventRequest,
    WebhookRequest,
)

T = TypeVar("T")
# The events this run sends: a name of its own, so that other webhooks of
# the runner's account (another run's) are not subscribed to them.
NAME = f"py_order_{os.getpid()}_{int(time.time())}"


def eventually(find: Callable[[], T | None], what: str) -> T:
    """Polls `find` until it answers something, for at most 15 s."""
    deadline = time.monotonic() + 15
    while True:
        found = find()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        Receiver.received.append((dict(self.headers.items()), body))
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def copies(delivery_id: str) -> list[tuple[dict[str, str], bytes]]:
    return [(h, b) for h, b in Receiver.received if h.get("webhook-id") == delivery_id]


def arrival(delivery_id: str) -> tuple[dict[str, str], bytes]:
    return eventually(lambda: next(iter(copies(delivery_id)), None), f"delivery {delivery_id}")


@pytest.fixture(scope="module")
def api() -> hookrelay.AuthenticatedClient:
    return hookrelay.client(os.environ["HOOKRELAY_URL"], os.environ["HOOKRELAY_API_KEY"])


@pytest.fixture(scope="module")
def webhook(api: hookrelay.AuthenticatedClient):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    body = WebhookRequest(name="Python SDK", url=url, events=[f"{NAME}.*"])
    answer = create_webhook.sync_detailed(client=api, body=body)
    assert answer.status_code == 201, answer.content
    yield answer.parsed.webhook
    server.shutdown()


def send(api, event_type: str, payload: dict) -> list[str]:
    body = EventRequest(name=NAME, type_=event_type, payload=payload)
    answer = create_event.sync_detailed(client=api, body=body)
    assert answer.status_code == 202, answer.content
    return answer.parsed.deliveries


def test_an_event_is_delivered_and_its_signature_verifies(api, webhook):
    [delivery_id] = send(api, "paid", {"order_id": "A-1", "total": 12.5})
    headers, body = arrival(delivery_id)
    sent = hookrelay.verify(webhook.secret, body, headers)
    assert sent["event"]["name"] == NAME
    assert sent["payload"] == {"order_id": "A-1", "total": 12.5}
    with pytest.raises(hookrelay.WebhookVerificationError):
        hookrelay.verify(webhook.secret, body.replace(b"12.5", b"1250"), headers)


def test_an_event_sent_again_with_its_idempotency_key_answers_the_first(api, webhook):
    body = EventRequest(name=NAME, type_="noted", payload={"note": 1})
    first = create_event.sync(client=api, body=body, idempotency_key=f"{NAME}-noted")
    again = create_event.sync(client=api, body=body, idempotency_key=f"{NAME}-noted")
    assert again.id == first.id
    arrival(first.deliveries[0])


def test_a_batch_answers_each_event_in_order(api, webhook):
    events = [
        BatchEvent(name=NAME, type_="shipped", payload={"id": 1}),
        BatchEvent(name=NAME, type_="not valid!", payload={}),
        BatchEvent(
            name=NAME,
            type_="refunded",
            payload={"id": 1},
            idempotency_key=f"{NAME}-refund",
        ),
    ]
    answer = create_event_batch.sync_detailed(client=api, body=BatchRequest(events=events))
    assert answer.status_code == 200, answer.content
    results = answer.parsed.results
    assert [r.code for r in results] == [202, 422, 202]
    assert [e.field for e in results[1].errors] == ["events[1].type"]
    for result in (results[0], results[2]):
        arrival(result.deliveries[0])


def test_the_delivery_log_pages_with_its_cursor(api, webhook):
    seen, cursor = [], None
    while True:
        page = list_webhook_deliveries.sync(client=api, id=webhook.id, limit=1, cursor=cursor)
        seen += [d.event.type_ for d in page.deliveries]
        cursor = page.next_cursor
        if not cursor:
            break
    assert sorted(seen) == ["noted", "paid", "refunded", "shipped"]


def test_a_delivered_delivery_is_retried_with_the_same_webhook_id(api, webhook):
    page = list_deliveries.sync(client=api, webhook_id=webhook.id, event=f"{NAME}.paid")
    delivery_id = page.deliveries[0].id

    def delivered():
        delivery = get_delivery.sync(client=api, id=delivery_id).delivery
        return delivery if delivery.status == "delivered" else None

    attempts = eventually(delivered, "the delivery to be delivered").attempts
    before = len(copies(delivery_id))
    answer = retry_delivery.sync_detailed(client=api, id=delivery_id)
    assert answer.status_code == 200, answer.content
    eventually(lambda: len(copies(delivery_id)) > before or None, "the retried delivery")
    eventually(
        lambda: get_delivery.sync(client=api, id=delivery_id).delivery.attempts > attempts or None,
        "the new attempt in the log",
    )


def test_a_422_names_each_invalid_field(api):
    body = WebhookRequest(name="", url="ftp://example.com", events=["order"])
    answer = create_webhook.sync_detailed(client=api, body=body)
    assert answer.status_code == 422
    assert isinstance(answer.parsed, ErrorBody)
    assert sorted(e.field for e in answer.parsed.errors) == ["events", "name", "url"]
