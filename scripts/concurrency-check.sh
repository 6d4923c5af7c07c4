#!/usr/bin/env bash
# Evidence that moto as scripts/test.sh runs it (scripts/moto_server.py, one
# request at a time) keeps DynamoDB's atomic writes, and plain moto_server does not:
#   1. scripts/moto-race.py races requests from 50 threads at plain moto_server
#      and at the launcher (RACE_ROUNDS rounds, default 20) and counts lost ADDs,
#      double winners of conditional writes, SQS and Scheduler races: the
#      launcher must show none;
#   2. the store conformance tests that race writes or rely on conditional
#      writes run on DynamoDB N times in a row (default 20; more until the rest
#      has run once), while the rest of the DynamoDB suite (queue conformance,
#      the `delivery` end-to-end tests with the local runner's long polls, the
#      rest of store conformance) runs in a loop against the same moto. Every
#      run must pass.
# MOTO=plain runs step 2 against plain moto_server instead (for contrast: it is
# expected to fail now and then). Logs: target/concurrency-check/.
# Usage: scripts/concurrency-check.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
moto="${MOTO:-launcher}"
[[ "$moto" == launcher || "$moto" == plain ]] || { echo "MOTO is launcher or plain" >&2; exit 2; }

# The store conformance tests that race writes (join_all of concurrent
# writers) or whose point is a conditional write holding.
concurrent=(
  stats_add_up_per_hour_and_scope
  send_slots_are_handed_out_once_each_at_the_rate
  a_run_of_failures_is_counted_and_a_success_ends_it
  updates_are_guarded_by_version
  idempotency_keys_are_claimed_once_until_they_expire
  deliveries_round_trip_in_batches_and_changes_are_guarded
  inserting_an_existing_webhook_conflicts
  a_key_hash_belongs_to_one_account
  the_last_delivery_is_noted_without_touching_the_rest
  events_belong_to_their_account_and_expire
  a_claim_takes_a_due_delivery_once_until_its_lease_ends
  a_wake_buckets_schedule_is_claimed_once
  a_tasks_step_is_claimed_once_advanced_swept_and_ended
  a_held_slot_is_kept_until_the_attempt
)

venv="${HOOKRELAY_VENV:-.venv}"
scripts/venv.sh "$venv" scripts/requirements-test.txt

# The test binaries, built once; run directly so cargo does not rebuild or lock.
binaries() {
  cargo test --quiet "$@" --no-run --message-format=json |
    "$venv/bin/python" -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable"):
        print(m["target"]["name"], m["executable"])'
}
declare -A bin
while read -r name path; do bin[$name]=$path; done < <(
  binaries -p hookrelay-shared --test store_conformance --test queue_conformance
  binaries -p hookrelay-tests --test e2e
)

out=target/concurrency-check
rm -rf "$out" && mkdir -p "$out"
free_port() {
  "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
plain_port=$(free_port)
"$venv/bin/moto_server" -H 127.0.0.1 -p "$plain_port" >"$out/moto-plain.log" 2>&1 &
plain_pid=$!
launcher_port=$(free_port)
"$venv/bin/python" scripts/moto_server.py -H 127.0.0.1 -p "$launcher_port" >"$out/moto-launcher.log" 2>&1 &
launcher_pid=$!
load_pid=
stop="$out/stop"
stop_load() {
  touch "$stop"
  [[ -s "$out/load.pid" ]] && kill "$(cat "$out/load.pid")" 2>/dev/null
  [[ -n "$load_pid" ]] && wait "$load_pid" 2>/dev/null
  load_pid=
}
cleanup() {
  stop_load || true
  kill "$plain_pid" "$launcher_pid" 2>/dev/null || true
}
trap cleanup EXIT
"$venv/bin/python" scripts/wait-for-port.py "$plain_port" "moto_server (see $out/moto-plain.log)"
"$venv/bin/python" scripts/wait-for-port.py "$launcher_port" "scripts/moto_server.py (see $out/moto-launcher.log)"

echo "== 1. scripts/moto-race.py, plain moto_server"
"$venv/bin/python" scripts/moto-race.py "http://127.0.0.1:$plain_port" "${RACE_ROUNDS:-20}" ||
  echo "(plain moto_server raced, as expected)"
echo "== 1. scripts/moto-race.py, scripts/moto_server.py"
"$venv/bin/python" scripts/moto-race.py "http://127.0.0.1:$launcher_port" "${RACE_ROUNDS:-20}"

if [[ "$moto" == plain ]]; then port=$plain_port; else port=$launcher_port; fi
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
export HOOKRELAY_TEST_PYTHON="$(cd "$venv" && pwd)/bin/python"
unset AWS_PROFILE AWS_SESSION_TOKEN

skips=()
for name in "${concurrent[@]}"; do skips+=(--skip "dynamodb_store::$name"); done
# The rest of the suite, over and over until the runs below end; each part's
# outcome is one line of $out/load.txt (a part cut short by the end is not).
(
  while [[ ! -e "$stop" ]]; do
    for part in queue delivery store; do
      case $part in
        queue) cmd=("${bin[queue_conformance]}" sqs_and_scheduler::) ;;
        delivery) cmd=("${bin[e2e]}" delivery::aws_on_moto::) ;;
        store) cmd=("${bin[store_conformance]}" dynamodb_store:: "${skips[@]}") ;;
      esac
      [[ -e "$stop" ]] && break
      start=$SECONDS
      "${cmd[@]}" >>"$out/load.log" 2>&1 &
      echo $! >"$out/load.pid"
      if wait $!; then result=pass; else result=FAIL; fi
      rm -f "$out/load.pid"
      [[ -e "$stop" ]] && break
      echo "$part $result $((SECONDS - start))s" >>"$out/load.txt"
    done
  done
) &
load_pid=$!

echo "== 2. ${#concurrent[@]} store conformance tests on DynamoDB ($moto on :$port), $runs runs, the rest of the suite beside them"
exact=()
for name in "${concurrent[@]}"; do exact+=("dynamodb_store::$name"); done
failed=0
# At least N runs, and on until every part beside them has finished once.
all_parts_ran() {
  for part in queue delivery store; do
    grep -q "^$part " "$out/load.txt" 2>/dev/null || return 1
  done
}
i=0
while ((i < runs)) || ! all_parts_ran; do
  i=$((i + 1))
  start=$SECONDS
  if "${bin[store_conformance]}" --exact "${exact[@]}" >"$out/run-$i.log" 2>&1; then
    echo "run $i: pass ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    echo "run $i: FAIL ($((SECONDS - start)) s): $(grep -E '^test .* FAILED$' "$out/run-$i.log" | tr '\n' ' ')"
  fi
done
stop_load || true
echo "beside them (part, outcome, time): $(tr '\n' ',' <"$out/load.txt" 2>/dev/null | sed 's/,$//; s/,/, /g')"
load_failed=$(grep -c FAIL "$out/load.txt" 2>/dev/null || true)
echo "$moto: $failed of $i runs failed; ${load_failed:-0} parts of the suite beside them failed"
[[ "$failed" == 0 && "${load_failed:-0}" == 0 ]]
