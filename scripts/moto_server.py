"""moto's server, handling one request at a time: what scripts/test.sh runs.

`moto_server` serves each request on its own thread with nothing to keep them
apart, so two requests can interleave inside moto. Seen (scripts/moto-race.py,
50 threads): two UpdateItems on one item both read it and the second write
drops the first one's ADD; two conditional writes both pass their condition;
two ReceiveMessages hand one SQS message to two receivers. Possible by moto's
code, not seen: a message sent while another is deleted is lost; two
CreateSchedule calls with one name both succeed. DynamoDB never does the first
two, so tests of our counters and conditional writes were flaky on moto and
proved nothing.

Here every request runs inside moto under one lock, whatever the service. The
one exception is the wait of an SQS long poll (ReceiveMessage with
WaitTimeSeconds): the lock is let go while it waits, or a 20 s poll would
stall every other request. (A moto service that calls moto back over HTTP, as
Lambda does, would wait for itself here; hookrelay uses DynamoDB, SQS and
Scheduler only.)

The lock costs no throughput: moto is Python, and the GIL already runs one of
its threads at a time. It changes who waits: a slow request (a Query over a
thousand items) now holds up the small ones behind it instead of sharing the
interpreter with them.

Usage: python scripts/moto_server.py [-H HOST] [-p PORT]  (as moto_server)
"""

import argparse
import copy
import io
import os
import signal
import sys
import threading

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from moto.dynamodb import models as dynamodb_models
from moto.sqs.models import Queue
from werkzeug.serving import run_simple

LOCK = threading.Lock()


class OneAtATime:
    """WSGI middleware: the request's body is read first (network, outside the
    lock), then moto handles it and builds the whole answer under the lock."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        length = environ.get("CONTENT_LENGTH")
        if length:
            environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(int(length)))
        with LOCK:
            answer = self.app(environ, start_response)
            try:
                return [b"".join(answer)]
            finally:
                if hasattr(answer, "close"):
                    answer.close()


# moto's ReceiveMessage checks the queue, then waits up to a second at a time
# in `Queue.wait_for_messages` (woken by a send) and checks again. Only that
# wait runs without the lock; each check of the queue holds it.
_wait_for_messages = Queue.wait_for_messages


def _wait_unlocked(self, timeout):
    LOCK.release()
    try:
        _wait_for_messages(self, timeout)
    finally:
        LOCK.acquire()


Queue.wait_for_messages = _wait_unlocked


# moto's TransactWriteItems keeps a deep copy of each table it writes, to put
# back if the transaction fails: O(table) per transaction (measured: 0.3 s at
# 2,000 items, 1.2 s at 10,000), all of it under the lock above, so every
# audited change (a change and its audit record are one transaction) stalled
# the whole suite. Here only the items the transaction names are kept, and
# put back as they were if it fails: what DynamoDB itself guarantees.
_transact_write_items = dynamodb_models.DynamoDBBackend.transact_write_items


class _NoTableCopy:
    """`copy` as moto's transaction sees it: its table backups cost nothing."""

    @staticmethod
    def deepcopy(value):
        return value


def _item_key(backend, op):
    if "Key" in op:
        return op["Key"]
    table = backend.get_table(op["TableName"])
    names = [table.hash_key_attr, table.range_key_attr]
    return {name: op["Item"][name] for name in names if name is not None}


def _transact_keeping_items(self, transact_items):
    kept = []
    for entry in transact_items:
        _, op = next(iter(entry.items()))
        table, key = op["TableName"], _item_key(self, op)
        item = self.get_item(table, key)
        kept.append((table, key, None if item is None else item.to_json()["Attributes"]))
    dynamodb_models.copy = _NoTableCopy
    try:
        return _transact_write_items(self, transact_items)
    except Exception:
        for table, key, attributes in reversed(kept):
            if attributes is None:
                if self.get_item(table, key) is not None:
                    self.delete_item(table, key)
            else:
                self.put_item(table, attributes)
        raise
    finally:
        dynamodb_models.copy = copy


dynamodb_models.DynamoDBBackend.transact_write_items = _transact_keeping_items


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    args = parser.parse_args()
    # As moto_server does: where moto thinks it is served.
    os.environ.setdefault("MOTO_PORT", str(args.port))
    # SIGTERM (scripts/test.sh's kill) ends the server like Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    run_simple(
        args.host,
        args.port,
        OneAtATime(DomainDispatcherApplication(create_backend_app)),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
