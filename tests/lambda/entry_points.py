"""Drives the Lambda entry points as Lambda does: every function's binary
runs under `cargo lambda watch` (the Lambda runtime API emulated), on the
real AWS adapters against moto, and gets the events API Gateway (HTTP API,
payload v2) and SQS send. Run by scripts/lambda-entry-points.sh, which
starts moto, provisions the table, queue and key, and starts the watch.

Checks: each HTTP function answers an API Gateway v2 request (a base64
body, HTTP Basic and Bearer auth, query parameters, a 401 and a 400) with
the status and body the API documents; what config-api and ingest wrote is
in DynamoDB and on the queue; the delivery function, given an SQS batch of
the queued message, a malformed record and one for no delivery, sends the
webhook (verified signature headers), answers no `batchItemFailures`, and
the log then shows the delivery `delivered` (the signature checked by
Standard Webhooks' own library); with DynamoDB gone, the same
kind of record comes back as a batch item failure, so SQS retries it."""

import argparse
import base64
import http.server
import json
import os
import signal
import threading
import time
import urllib.request

import boto3
from standardwebhooks.webhooks import Webhook

REGION = "us-east-1"


def options():
    parser = argparse.ArgumentParser()
    parser.add_argument("--watch", required=True, help="cargo lambda watch's address")
    parser.add_argument("--key", required=True, help="the provisioned account's API key")
    parser.add_argument("--moto-pid", type=int, required=True)
    return parser.parse_args()


def invoke(watch, function, event, deadline=120):
    """The function's answer to `event` (the first call waits for its build)."""
    url = f"{watch}/2015-03-31/functions/{function}/invocations"
    request = urllib.request.Request(url, data=json.dumps(event).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=deadline) as answer:
        return json.loads(answer.read())


def http_event(method, path, auth=None, body=None, base64_body=False, query=None):
    """An API Gateway HTTP API (payload 2.0) request event."""
    headers = {"content-type": "application/json", "host": "abc123.execute-api.us-east-1.amazonaws.com",
               "user-agent": "entry-points-test"}
    if auth:
        headers["authorization"] = auth
    text = None if body is None else json.dumps(body)
    if text is not None and base64_body:
        text = base64.b64encode(text.encode()).decode()
    query = query or {}
    return {
        "version": "2.0", "routeKey": "$default", "rawPath": path,
        "rawQueryString": "&".join(f"{k}={v}" for k, v in query.items()),
        "headers": headers, "queryStringParameters": query or None,
        "requestContext": {
            "accountId": "123456789012", "apiId": "abc123",
            "domainName": headers["host"], "domainPrefix": "abc123",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                     "sourceIp": "127.0.0.1", "userAgent": headers["user-agent"]},
            "requestId": f"req-{time.time_ns()}", "routeKey": "$default", "stage": "$default",
            "time": "04/Dec/2026:12:00:00 +0000", "timeEpoch": int(time.time() * 1000),
        },
        "body": text, "isBase64Encoded": base64_body,
    }


def answer(response):
    """(status, JSON body) of a function's HTTP answer."""
    body = response.get("body") or ""
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body).decode()
    return response["statusCode"], json.loads(body) if body else None


class Receiver(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        length = int(self.headers.get("content-length", 0))
        Receiver.received.append((dict(self.headers), self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def receiver():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/hook"


def sqs_record(message_id, body, receives=1):
    return {"messageId": message_id, "receiptHandle": f"rh-{message_id}", "body": body,
            "attributes": {"ApproximateReceiveCount": str(receives), "SentTimestamp": "0",
                           "SenderId": "AIDAEXAMPLE", "ApproximateFirstReceiveTimestamp": "0"},
            "messageAttributes": {}, "md5OfBody": "0" * 32, "eventSource": "aws:sqs",
            "eventSourceARN": os.environ["QUEUE_ARN"], "awsRegion": REGION}


def aws(service):
    return boto3.client(service, endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=REGION)


def check_http_functions(watch, key, url):
    basic = "Basic " + base64.b64encode(f"{key}:".encode()).decode()
    bearer = f"Bearer {key}"
    hook = {"name": "lambda", "url": url, "events": ["order.*"]}
    status, made = answer(invoke(watch, "config-api", http_event(
        "POST", "/v1/webhooks", basic, hook, base64_body=True)))
    assert status == 201, (status, made)
    webhook = made["webhook"]["id"]
    status, listed = answer(invoke(watch, "config-api", http_event(
        "GET", "/v1/webhooks", bearer, query={"limit": "10"})))
    assert status == 200 and [w["id"] for w in listed["webhooks"]] == [webhook], listed
    status, refused = answer(invoke(watch, "config-api", http_event("GET", "/v1/webhooks")))
    assert status == 401, (status, refused)
    stored = aws("dynamodb").get_item(
        TableName=os.environ["TABLE_NAME"],
        Key={"pk": {"S": f"ACCOUNT#{account_of(watch, bearer)}"}, "sk": {"S": f"WEBHOOK#{webhook}"}})
    assert stored.get("Item"), "the webhook is in DynamoDB"
    event = {"name": "order", "type": "paid", "payload": {"total": 12}}
    status, accepted = answer(invoke(watch, "ingest", http_event("POST", "/v1/events", bearer, event)))
    assert status == 202 and len(accepted["deliveries"]) == 1, (status, accepted)
    status, bad = answer(invoke(watch, "ingest", http_event(
        "POST", "/v1/events", bearer, {"name": "order"}, base64_body=True)))
    assert status == 422, (status, bad)
    return made["webhook"]["secret"], accepted["deliveries"][0]


def account_of(watch, bearer):
    status, account = answer(invoke(watch, "config-api", http_event("GET", "/v1/account", bearer)))
    assert status == 200, (status, account)
    return account["account"]["id"]


def queued_messages():
    """The delivery messages ingest queued (taken off the queue, as Lambda would)."""
    queue = aws("sqs")
    got = queue.receive_message(QueueUrl=os.environ["QUEUE_URL"], MaxNumberOfMessages=10,
                                WaitTimeSeconds=1)
    return got.get("Messages", [])


def check_delivery_function(watch, key, secret, delivery):
    messages = queued_messages()
    assert messages, "ingest queued the delivery"
    records = [sqs_record(m["MessageId"], m["Body"]) for m in messages]
    records.append(sqs_record("malformed", "not a delivery message"))
    unknown = json.dumps({"account_id": "01a20400-0000-7000-8000-000000000000",
                          "delivery_id": "01a20400-0000-7000-8000-000000000001"})
    records.append(sqs_record("unknown", unknown))
    result = invoke(watch, "delivery", {"Records": records})
    assert result == {"batchItemFailures": []}, result
    assert len(Receiver.received) == 1, Receiver.received
    headers, body = Receiver.received[0]
    lower = {k.lower(): v for k, v in headers.items()}
    assert lower["webhook-id"] == delivery, lower
    # Standard Webhooks' own library checks the signature (and the timestamp).
    sent = Webhook(secret).verify(body, {k: lower[k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")})
    assert sent["payload"] == {"total": 12}, sent
    status, view = answer(invoke(watch, "query", http_event(
        "GET", f"/v1/deliveries/{delivery}", f"Bearer {key}")))
    assert status == 200 and view["delivery"]["status"] == "delivered", view
    status, log = answer(invoke(watch, "query", http_event(
        "GET", "/v1/deliveries", f"Bearer {key}", query={"status": "delivered"})))
    assert status == 200 and [d["id"] for d in log["deliveries"]] == [delivery], log
    return records[0]["body"]


def check_failure_comes_back(watch, message_body, moto_pid):
    """With DynamoDB unreachable, a record is handed back for SQS to retry."""
    os.kill(moto_pid, signal.SIGTERM)
    time.sleep(0.5)
    result = invoke(watch, "delivery", {"Records": [sqs_record("again", message_body, receives=2)]})
    assert result == {"batchItemFailures": [{"itemIdentifier": "again"}]}, result


def main():
    args = options()
    url = receiver()
    secret, delivery = check_http_functions(args.watch, args.key, url)
    body = check_delivery_function(args.watch, args.key, secret, delivery)
    check_failure_comes_back(args.watch, body, args.moto_pid)
    print(f"lambda entry points: config-api, ingest, query and delivery answered as documented "
          f"(delivery {delivery} sent, signed and logged; a failed record handed back)")


if __name__ == "__main__":
    main()
