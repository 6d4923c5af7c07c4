#!/usr/bin/env bash
# Checks that the API does exactly what its OpenAPI document says:
# schemathesis (`--checks all`, every phase, fixed seeds) against the local
# runner at RUNNER (default target/debug/hookrelay-local) on a free loopback
# port. tests/schemathesis/hooks.py keeps every generated webhook URL on
# localhost, the run's own API key unrevoked, and a PATCH to what the stored
# webhook's `delivery` allows (it reads it through HOOKRELAY_API). Needs the venv
# scripts/test.sh installs (schemathesis is in scripts/requirements-test.txt).
# Fails on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
runner="${1:-target/debug/hookrelay-local}"
venv="${HOOKRELAY_VENV:-.venv}"
key="schemathesis-key-$RANDOM$RANDOM-0123456789"
mkdir -p target
runner_pid=
trap 'kill "$runner_pid" 2>/dev/null || true' EXIT
# A fresh runner (empty, in memory) for each seed, so what one run creates
# (thousands of deliveries) does not reach the next run's lists.
for seed in 1 2 3 4 5; do
  port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  HOOKRELAY_ADDR="127.0.0.1:$port" HOOKRELAY_API_KEY="$key" HOOKRELAY_SEND_TIMEOUT_SECONDS=2 \
    "$runner" >"target/schemathesis-runner-$seed.log" 2>&1 &
  runner_pid=$!
  "$venv/bin/python" scripts/wait-for-port.py "$port" "the runner (see target/schemathesis-runner-$seed.log)"
  # The id of the run's own key (the account's first), which hooks.py keeps.
  own_key_id=$("$venv/bin/python" - "http://127.0.0.1:$port/v1/api-keys?limit=1" "$key" <<'PY'
import json, sys, urllib.request
request = urllib.request.Request(sys.argv[1], headers={"Authorization": f"Bearer {sys.argv[2]}"})
print(json.load(urllib.request.urlopen(request))["api_keys"][0]["id"])
PY
)
  echo "schemathesis: seed $seed"
  HOOKRELAY_OWN_KEY_ID="$own_key_id" HOOKRELAY_API="http://127.0.0.1:$port" HOOKRELAY_KEY="$key" \
    PYTHONPATH=tests/schemathesis SCHEMATHESIS_HOOKS=hooks NO_COLOR=1 \
    "$venv/bin/schemathesis" run "http://127.0.0.1:$port/v1/openapi.json" \
    --checks all --max-examples 25 --seed "$seed" \
    -H "Authorization: Bearer $key"
  kill "$runner_pid"
  wait "$runner_pid" 2>/dev/null || true
done
