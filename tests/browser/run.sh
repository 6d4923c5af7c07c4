#!/usr/bin/env bash
# The console's browser tests: `tests/browser/run.sh PATH/TO/hookrelay-local`.
# Installs what they need (Debian's chromium, playwright-core from npm),
# starts the runner on a free loopback port, runs the tests, stops it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary="$(realpath "${1:?usage: tests/browser/run.sh PATH/TO/hookrelay-local}")"

if [[ ! -x /usr/bin/chromium ]]; then
  sudo=""
  [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export HOOKRELAY_URL="http://127.0.0.1:$port"
export HOOKRELAY_API_KEY="browser-test-key-0123456789"
log="$(mktemp)"
HOOKRELAY_ADDR="127.0.0.1:$port" HOOKRELAY_RETRY_SCHEDULE=1,1 RUST_LOG=warn "$binary" >"$log" 2>&1 &
runner=$!
trap 'kill "$runner" 2>/dev/null || true; rm -f "$log"' EXIT

# Poll (with a deadline) until the runner answers.
deadline=$((SECONDS + 60))
until curl -fs -o /dev/null "$HOOKRELAY_URL/v1/openapi.json"; do
  if ((SECONDS > deadline)) || ! kill -0 "$runner" 2>/dev/null; then
    echo "hookrelay-local did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.2
done

cd "$here"
node --test --test-concurrency=1 --test-reporter=spec console.test.mjs
