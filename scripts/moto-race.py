"""Races requests at a moto server from many threads and counts what AWS would
never do: lost DynamoDB ADDs, conditional writes that both pass, SQS messages
lost or handed to two receivers at once, a schedule name created twice, list
calls that fail while others write. Plain `moto_server` shows some of these;
scripts/moto_server.py (one request at a time) must show none. Also checks
that an SQS long poll does not hold up other requests there.

Usage: python scripts/moto-race.py ENDPOINT_URL [ROUNDS]   (exit 1 on any race)
Needs boto3 (moto installs it).
"""

import sys
import threading
import time
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
THREADS = 50
session = boto3.session.Session(
    aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
)
config = Config(max_pool_connections=THREADS, retries={"max_attempts": 1})


def client(service):
    return session.client(service, endpoint_url=endpoint, config=config)


def at_once(count, work):
    """Runs work(i) on `count` threads released together; returns the results
    (an exception counts as the result)."""
    gate = threading.Barrier(count)
    results = [None] * count

    def run(i):
        gate.wait()
        try:
            results[i] = work(i)
        except Exception as err:  # noqa: BLE001 (each failure is reported)
            results[i] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def failures(results):
    return [r for r in results if isinstance(r, Exception)]


races = {}


def report(name, bad, detail):
    races[name] = bad
    print(f"{'RACE' if bad else 'ok  '}  {name}: {detail}", flush=True)


def won(call, refused_code):
    """True if `call` went through, False if AWS refused it with `refused_code`
    (a lost conditional write or a name taken)."""
    try:
        call()
        return True
    except ClientError as err:
        if err.response["Error"]["Code"] == refused_code:
            return False
        raise


def one_winner(name, what, attempt):
    """Each round, THREADS threads call attempt(round, thread) at once: at most
    one may win (return True)."""
    extra = errors = 0
    for r in range(rounds):
        results = at_once(THREADS, lambda i, r=r: attempt(r, i))
        errors += len(failures(results))
        extra += max(0, sum(1 for x in results if x is True) - 1)
    report(
        name,
        extra > 0 or errors > 0,
        f"{rounds} x {THREADS} concurrent {what}: {extra} extra winners, {errors} errors",
    )


ddb = client("dynamodb")
table = f"race-{uuid.uuid4().hex[:8]}"
ddb.create_table(
    TableName=table,
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
)

# 1. ADD in place: every increment must count (the stats counters).
lost = errors = 0
for r in range(rounds):
    key = {"pk": {"S": f"counter-{r}"}}
    results = at_once(
        THREADS,
        lambda _: ddb.update_item(
            TableName=table,
            Key=key,
            UpdateExpression="ADD n :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
        ),
    )
    errors += len(failures(results))
    item = ddb.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]
    lost += THREADS - len(failures(results)) - int(item["n"]["N"])
report(
    "dynamodb ADD",
    lost > 0 or errors > 0,
    f"{rounds} x {THREADS} concurrent ADDs to one item: {lost} increments lost, {errors} errors",
)


# 2. A conditional put: exactly one writer may create the item (idempotency
# claims, inserts).
def claim(key, i):
    return won(
        lambda: ddb.put_item(
            TableName=table,
            Item={"pk": {"S": key}, "by": {"N": str(i)}},
            ConditionExpression="attribute_not_exists(pk)",
        ),
        "ConditionalCheckFailedException",
    )


one_winner(
    "dynamodb conditional put",
    "attribute_not_exists puts",
    lambda r, i: claim(f"claim-{r}", i),
)


# 3. A version-guarded update (webhook PATCH, send slots): of the writers that
# read version v, exactly one may move it to v + 1.
def bump(key, seen):
    return won(
        lambda: ddb.update_item(
            TableName=table,
            Key=key,
            UpdateExpression="SET v = :next",
            ConditionExpression="v = :seen",
            ExpressionAttributeValues={":seen": {"N": str(seen)}, ":next": {"N": str(seen + 1)}},
        ),
        "ConditionalCheckFailedException",
    )


def versioned(r):
    key = {"pk": {"S": f"versioned-{r}"}}
    ddb.put_item(TableName=table, Item={**key, "v": {"N": "0"}})
    return key


# One item per round, made before its threads race to bump it.
keys = [versioned(r) for r in range(rounds)]
one_winner(
    "dynamodb version guard",
    "updates guarded by v = 0",
    lambda r, _: bump(keys[r], 0),
)

# 4. SQS: sends racing receives and deletes. Every message sent must be
# received, and (visibility 60 s) by one receiver only.
sqs = client("sqs")
queue = sqs.create_queue(
    QueueName=f"race-{uuid.uuid4().hex[:8]}", Attributes={"VisibilityTimeout": "60"}
)["QueueUrl"]
sent_total = 0
received = {}
seen_lock = threading.Lock()


def take(_):
    """Receives up to 10 messages, notes and deletes each; returns how many."""
    got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    for m in got.get("Messages", []):
        with seen_lock:
            received[m["Body"]] = received.get(m["Body"], 0) + 1
        sqs.delete_message(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"])
    return len(got.get("Messages", []))


errors = 0
for r in range(rounds):
    for i in range(THREADS // 2):
        sqs.send_message(QueueUrl=queue, MessageBody=f"{r}-before-{i}")
    sent_total += THREADS // 2
    half = THREADS // 2
    results = at_once(
        THREADS,
        lambda i, r=r: take(i)
        if i < half
        else sqs.send_message(QueueUrl=queue, MessageBody=f"{r}-during-{i}"),
    )
    errors += len(failures(results))
    sent_total += THREADS - half
# Drain: whatever is left is still there, not lost.
while take(None):
    pass
lost = sent_total - len(received)
twice = sum(1 for n in received.values() if n > 1)
report(
    "sqs send/receive/delete",
    lost > 0 or twice > 0 or errors > 0,
    f"{sent_total} messages, sends racing receives and deletes: {lost} lost, "
    f"{twice} handed out twice within their visibility timeout, {errors} errors",
)

# 5. Scheduler: one name created by many at once must succeed once (our
# adapter treats ConflictException as "already scheduled"); listing while
# others create must not fail.
scheduler = client("scheduler")
group = f"race-{uuid.uuid4().hex[:8]}"
scheduler.create_schedule_group(Name=group)


def schedule(name):
    return won(
        lambda: scheduler.create_schedule(
            Name=name,
            GroupName=group,
            ScheduleExpression="at(2030-01-01T00:00:00)",
            FlexibleTimeWindow={"Mode": "OFF"},
            Target={
                "Arn": "arn:aws:sqs:us-east-1:123456789012:race",
                "RoleArn": "arn:aws:iam::123456789012:role/race",
                "Input": "{}",
            },
        ),
        "ConflictException",
    )


one_winner(
    "scheduler create, one name",
    "CreateSchedule of one name",
    lambda r, _: schedule(f"same-{r}"),
)

errors = 0
for r in range(rounds):
    results = at_once(
        THREADS,
        lambda i, r=r: schedule(f"many-{r}-{i}")
        if i % 2
        else scheduler.list_schedules(GroupName=group),
    )
    errors += len(failures(results))
report(
    "scheduler list while creating",
    errors > 0,
    f"{rounds} x {THREADS // 2} ListSchedules racing {THREADS // 2} CreateSchedules: {errors} errors",
)

# 6. Long polls waiting on an empty queue hold up nothing: a DynamoDB read
# answers at once, and a message sent meanwhile ends a poll at once.
empty = sqs.create_queue(QueueName=f"race-poll-{uuid.uuid4().hex[:8]}")["QueueUrl"]
woken = []


def long_poll():
    got = sqs.receive_message(QueueUrl=empty, WaitTimeSeconds=5)
    if got.get("Messages"):
        woken.append(time.monotonic())


pollers = [threading.Thread(target=long_poll) for _ in range(4)]
for t in pollers:
    t.start()
time.sleep(0.5)
start = time.monotonic()
ddb.get_item(TableName=table, Key={"pk": {"S": "counter-0"}})
read_seconds = time.monotonic() - start
sent_at = time.monotonic()
sqs.send_message(QueueUrl=empty, MessageBody="wake")
for t in pollers:
    t.join()
woke_after = woken[0] - sent_at if woken else None
report(
    "sqs long poll",
    read_seconds > 1 or woke_after is None or woke_after > 1.5,
    f"4 polls of 5 s on an empty queue: a GetItem meanwhile took {read_seconds:.3f} s; "
    + (f"a send ended a poll {woke_after:.3f} s later" if woken else "a send reached no poll"),
)

ddb.delete_table(TableName=table)
bad = [name for name, race in races.items() if race]
print(f"{len(bad)} of {len(races)} checks raced" + (f": {', '.join(bad)}" if bad else ""))
sys.exit(1 if bad else 0)
