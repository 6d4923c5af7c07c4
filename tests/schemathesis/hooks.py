"""Keeps schemathesis's traffic on this machine: in a webhook URL it generates
(a webhook's, an event's ad-hoc one, a batch event's) that has the documented
shape, the host (and port) become `localhost`, so
neither the address check at creation nor a send looks up or reaches another
host, and the API's host rules (which no pattern can state) are met. URLs
the API must refuse are left as generated.

More rules no pattern can state: an API key's `expires_at` must be later
than now (a well-formed past time is moved a day ahead); a payload filter is
at most 2048 bytes of JSON (a larger one is cut to the first field of each
object and the first value of each list, which keeps it valid); an event
type's `schema` must compile with its example kept to it (a generated one
becomes `{}`); a transform's template must render JSON (a generated one
becomes a template that does); a replay's `until` may not be before its `since` (the two
are swapped); a branding logo's bytes must be the image its data: URL
names (one of the documented shape becomes a real PNG); a PATCH of a webhook keeps to
the `delivery` it was created with, which only the stored webhook says (its `delivery`
is sent as it is stored, and a poll webhook's `url`, `rate_limit` and `retry_schedule`
are left out: HOOKRELAY_API and HOOKRELAY_KEY, set by scripts/schemathesis.sh, are where
it is read); and the run
keeps the key it authenticates with (HOOKRELAY_OWN_KEY_ID, set by
scripts/schemathesis.sh): revoking it would leave every later request 401,
so a DELETE of it is sent for an id that names no key instead.
Schemathesis checks a case again after a hook changed it, so a cut filter
counts as what it now is."""

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

import schemathesis

AUTHORITY = re.compile(r"^([A-Za-z]+://)([^/?#]*)")


def _pattern(case):
    schemas = case.operation.schema.raw_schema["components"]["schemas"]
    return re.compile(schemas["WebhookRequest"]["properties"]["url"]["pattern"])


def _local(url, valid):
    if not (isinstance(url, str) and valid.search(url)):
        return url

    def on_localhost(match):
        user_info, at, _host = match.group(2).rpartition("@")
        return match.group(1) + user_info + at + "localhost"

    return AUTHORITY.sub(on_localhost, url, count=1)


def _instant(text):
    """A time with an offset, or None for anything else."""
    if not isinstance(text, str):
        return None
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return at if at.tzinfo is not None else None


def _in_the_future(when):
    at = _instant(when)
    if at is None:
        return when
    now = datetime.now(timezone.utc)
    return when if at > now else (now + timedelta(days=1)).isoformat()


# `hookrelay::domain::filter::MAX_BYTES`, less a margin for numbers, which
# Python writes a little longer than the server does (`1e+16`, `1e16`).
FILTER_BYTES = 2048 - 256


def _json_bytes(value):
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return len(text.encode("utf-8", "surrogatepass"))


def _first_of_each(pattern):
    """A pattern with only the first field of each object and the first
    value (or matcher, whole) of each field's list."""
    if isinstance(pattern, dict) and pattern:
        name, value = next(iter(pattern.items()))
        return {name: _first_of_each(value)}
    if isinstance(pattern, list):
        return pattern[:1]
    return pattern


def _fitting(pattern):
    if not isinstance(pattern, dict) or _json_bytes(pattern) <= FILTER_BYTES:
        return pattern
    cut = _first_of_each(pattern)
    return cut if _json_bytes(cut) <= FILTER_BYTES else {"payload": {"n": [1]}}


def _window_in_order(body):
    since, until = _instant(body.get("since")), _instant(body.get("until"))
    if since and until and until < since:
        body["since"], body["until"] = body["until"], body["since"]


def _keep_own_key(case):
    own = os.environ.get("HOOKRELAY_OWN_KEY_ID")
    parameters = case.path_parameters or {}
    if (
        own
        and case.method.upper() == "DELETE"
        and case.operation.path == "/v1/api-keys/{id}"
        and parameters.get("id") == own
    ):
        parameters["id"] = str(uuid.uuid4())


# A 1x1 PNG: the bytes of a logo must be the image its data: URL names.
PNG_LOGO = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _real_logo(case, branding):
    """A generated logo of the documented shape becomes a real image (the
    e2e tests, embed, check logos themselves); one the API must refuse is
    left as generated."""
    if not isinstance(branding, dict) or not isinstance(branding.get("logo"), str):
        return
    schemas = case.operation.schema.raw_schema["components"]["schemas"]
    shape = re.compile(schemas["BrandingRequest"]["properties"]["logo"]["pattern"])
    if shape.search(branding["logo"]):
        branding["logo"] = PNG_LOGO


def _stored_delivery(webhook_id):
    """The `delivery` of the run's webhook `webhook_id`, or None when there is none."""
    api, key = os.environ.get("HOOKRELAY_API"), os.environ.get("HOOKRELAY_KEY")
    if not (api and key):
        return None
    path = f"{api}/v1/webhooks/{urllib.parse.quote(webhook_id, safe='')}"
    request = urllib.request.Request(path, headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)["webhook"]["delivery"]
    except (urllib.error.URLError, ValueError, KeyError, TypeError):
        return None


def _keep_delivery(case, body):
    """A PATCH keeps to the stored webhook's `delivery` (fixed at creation)."""
    if case.method.upper() != "PATCH" or case.operation.path != "/v1/webhooks/{id}":
        return
    stored = _stored_delivery(str((case.path_parameters or {}).get("id", "")))
    if stored is None:
        return
    if body.get("delivery") in ("push", "poll"):
        body["delivery"] = stored
    if stored == "poll":
        for field in ("url", "rate_limit", "retry_schedule"):
            if body.get(field) is not None:
                del body[field]


@schemathesis.hook
def before_call(context, case, kwargs):
    _keep_own_key(case)
    body = case.body
    if not isinstance(body, dict):
        return
    _keep_delivery(case, body)
    valid = _pattern(case)
    if "url" in body:
        body["url"] = _local(body["url"], valid)
    if "expires_at" in body:
        body["expires_at"] = _in_the_future(body["expires_at"])
    if isinstance(body.get("schema"), dict):
        # An event type's schema must compile and its example keep to it:
        # a generated one becomes the schema every payload keeps to (the
        # e2e tests, event_schemas, check schemas themselves).
        body["schema"] = {}
    if "filter" in body:
        body["filter"] = _fitting(body["filter"])
    if isinstance(body.get("transform"), dict):
        # A template must render JSON for the catalogue's examples: a
        # generated string is not one (the e2e tests, transforms, check
        # templates themselves).
        body["transform"] = {"template": '{"event": {{ event.name }}, "data": {{ payload }}}'}
    if case.operation.path == "/v1/webhooks/{id}/replay":
        _window_in_order(body)
    _real_logo(case, body.get("branding"))
    # An event's ad-hoc URL: of POST /v1/events, and of each batch event.
    events = body.get("events")
    batch = events if case.operation.path == "/v1/events/batch" and isinstance(events, list) else []
    for event in [body, *batch]:
        target = event.get("webhook") if isinstance(event, dict) else None
        if isinstance(target, dict) and "url" in target:
            target["url"] = _local(target["url"], valid)
