#!/usr/bin/env bash
# Runs every test on a fresh machine with Rust, Python 3.11+, git and Node.js 20+ (npm):
#   1. installs moto's server, cfn-lint and the SDK tools into .venv (scripts/requirements-test.txt);
#   2. starts moto's server on a free loopback port (the AWS emulator), through
#      scripts/moto_server.py: one request at a time, so a DynamoDB write is as
#      atomic as in AWS (plain moto_server interleaves concurrent requests and
#      loses updates; scripts/concurrency-check.sh shows both);
#   3. runs `cargo test --workspace` with AWS_ENDPOINT_URL pointing at it, so the
#      DynamoDB conformance suite and the `--aws` end-to-end tests run (they fail,
#      never skip, without it);
#   4. runs the Lambda entry points under `cargo lambda watch` (cargo-lambda
#      from PyPI, in .venv-lambda) with API Gateway v2 and SQS events
#      (scripts/lambda-entry-points.sh);
#   5. runs the console's browser tests (tests/browser/run.sh: Debian's chromium,
#      Playwright from npm) against the local runner the tests just built; checks
#      that the SDKs in sdks/ are what its OpenAPI document makes (which
#      openapi-spec-validator must pass) and tests each end to end against it
#      (scripts/sdks.sh); then schemathesis against it (scripts/schemathesis.sh:
#      0 failures allowed);
#   6. checks template.yaml with cfn-lint, `sam validate --lint` (SAM CLI in
#      .venv-deploy) and checkov (in .venv-checkov: 0 failed checks allowed;
#      each deliberate skip is in its resource's Metadata with the reason);
#      stops moto.
# The venv also gets `standardwebhooks`, which the end-to-end tests use to
# verify signatures with an implementation that is not ours.
# Extra arguments go to `cargo test` (e.g. `scripts/test.sh -p hookrelay-shared`).
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${HOOKRELAY_VENV:-.venv}"
scripts/venv.sh "$venv" scripts/requirements-test.txt

port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p target
"$venv/bin/python" scripts/moto_server.py -H 127.0.0.1 -p "$port" >target/moto.log 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true' EXIT

# Poll (with a deadline) until moto answers.
"$venv/bin/python" scripts/wait-for-port.py "$port" "moto's server (see target/moto.log)"
echo "moto's server (scripts/moto_server.py) on 127.0.0.1:$port"

export HOOKRELAY_TEST_PYTHON="$(cd "$venv" && pwd)/bin/python"
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN

cargo test --workspace "$@"
# The Lambda entry points as Lambda runs them: `cargo lambda watch` on a moto
# of its own, driven with API Gateway v2 requests and SQS batches.
bash scripts/lambda-entry-points.sh
# The console in a real browser, against the runner `cargo test` built.
cargo build --quiet --bin hookrelay-local
bash tests/browser/run.sh target/debug/hookrelay-local
# The SDKs: generated from the document the runner serves, and tested against it.
bash scripts/sdks.sh check test
# The API against its own OpenAPI document (schemathesis, --checks all).
bash scripts/schemathesis.sh target/debug/hookrelay-local
# The benchmark is not a test: this only checks that it runs, on a small size,
# in memory (its AWS rows are what the pipeline and partition_load tests assert).
env -u AWS_ENDPOINT_URL cargo run --quiet -p hookrelay-bench -- --quick
"$venv/bin/cfn-lint" template.yaml
echo "cfn-lint: template.yaml OK"
# SAM's own validation, from SAM CLI in its own venv (shared with scripts/sam-build.sh).
deploy_venv="${HOOKRELAY_DEPLOY_VENV:-.venv-deploy}"
scripts/venv.sh "$deploy_venv" scripts/requirements-sam.txt
"$deploy_venv/bin/sam" validate --lint --region us-east-1
# checkov, offline (--skip-download: nothing fetched from its vendor's API);
# it exits non-zero on any failed check.
checkov_venv="${HOOKRELAY_CHECKOV_VENV:-.venv-checkov}"
scripts/venv.sh "$checkov_venv" scripts/requirements-checkov.txt
"$checkov_venv/bin/checkov" --file template.yaml --framework cloudformation \
  --compact --quiet --skip-download
