#!/usr/bin/env bash
# The Lambda entry points as Lambda runs them (issue 20, part 6): every
# function's binary under `cargo lambda watch` (cargo-lambda from PyPI, in
# .venv-lambda: the Lambda runtime API emulated), on the AWS adapters
# against a moto of its own, driven by tests/lambda/entry_points.py with
# API Gateway v2 requests and SQS batches. Called by scripts/test.sh after
# `cargo test` (which built target/debug/hookrelay-local); runs alone too.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${HOOKRELAY_VENV:-.venv}"
lambda_venv="${HOOKRELAY_LAMBDA_VENV:-.venv-lambda}"
scripts/venv.sh "$venv" scripts/requirements-test.txt
scripts/venv.sh "$lambda_venv" scripts/requirements-lambda.txt
free_port() { "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
mkdir -p target
cargo build --quiet --bin hookrelay-local

moto_port=$(free_port)
"$venv/bin/python" scripts/moto_server.py -H 127.0.0.1 -p "$moto_port" >target/lambda-moto.log 2>&1 &
moto_pid=$!
pids=("$moto_pid")
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
"$venv/bin/python" scripts/wait-for-port.py "$moto_port" "moto's server (see target/lambda-moto.log)"

export AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" AWS_REGION=us-east-1 \
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  TABLE_NAME=hookrelay SCHEDULE_GROUP=hookrelay \
  QUEUE_URL="http://127.0.0.1:$moto_port/123456789012/hookrelay-deliveries" \
  QUEUE_ARN=arn:aws:sqs:us-east-1:123456789012:hookrelay-deliveries \
  SCHEDULER_ROLE_ARN=arn:aws:iam::000000000000:role/hookrelay-scheduler \
  KMS_KEY_ARN=alias/hookrelay HOOKRELAY_ALLOW_HTTP=true HOOKRELAY_ALLOWED_SUBNETS=127.0.0.0/8
unset AWS_PROFILE AWS_SESSION_TOKEN
key=lambda-entry-points-key-0123456789

# The local runner's --aws mode provisions the table, queue, schedule group
# and KMS key (`alias/$TABLE_NAME`, made when KMS_KEY_ARN is unset), and the
# account with this key; it is stopped once it serves.
local_port=$(free_port)
HOOKRELAY_API_KEY="$key" env -u KMS_KEY_ARN target/debug/hookrelay-local --aws --addr "127.0.0.1:$local_port" \
  >target/lambda-provision.log 2>&1 &
provision_pid=$!
"$venv/bin/python" scripts/wait-for-port.py "$local_port" "the provisioning run (see target/lambda-provision.log)"
kill "$provision_pid"

watch_port=$(free_port)
"$lambda_venv/bin/cargo-lambda" lambda watch -A 127.0.0.1 -P "$watch_port" --ignore-changes \
  >target/lambda-watch.log 2>&1 &
pids+=("$!")
"$venv/bin/python" scripts/wait-for-port.py "$watch_port" "cargo lambda watch (see target/lambda-watch.log)"
"$venv/bin/python" tests/lambda/entry_points.py --watch "http://127.0.0.1:$watch_port" \
  --key "$key" --moto-pid "$moto_pid"
