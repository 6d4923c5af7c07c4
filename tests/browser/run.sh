#!/usr/bin/env bash
# The console's browser tests: `tests/browser/run.sh PATH/TO/hookrelay-local`.
# Needs Node.js 20+ with npm. Installs Debian's chromium (apt-get) when
# /usr/bin/chromium is missing and playwright-core (npm ci); starts the runner
# on a free loopback port; runs the tests; stops the runner. Exits non-zero
# when anything fails. Nothing but loopback is used once installed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary="$(realpath "${1:?usage: tests/browser/run.sh PATH/TO/hookrelay-local}")"
[[ -x "$binary" ]] || { echo "run.sh: $binary is not an executable" >&2; exit 2; }

as_root() { if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
if [[ ! -x /usr/bin/chromium ]]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' 2>/dev/null; then
  echo "run.sh: Node.js 20 or later (with npm) is needed: https://nodejs.org/" >&2
  exit 2
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

# Port 0: the system picks a free port and the runner prints the address it got.
export HOOKRELAY_API_KEY="browser-test-key-0123456789"
export ADMIN_API_KEY="browser-test-admin-0123456789"
log="$(mktemp)"
HOOKRELAY_ADDR="127.0.0.1:0" HOOKRELAY_RETRY_SCHEDULE=1,1 RUST_LOG=warn "$binary" >"$log" 2>&1 &
runner=$!
stop() {
  kill "$runner" 2>/dev/null && wait "$runner" 2>/dev/null
  rm -f "$log"
}
trap stop EXIT

# Poll, with a deadline, until the runner has said where it listens and answers there.
answers() { node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"; }
deadline=$((SECONDS + 60))
HOOKRELAY_URL=""
until [[ -n "$HOOKRELAY_URL" ]] && answers "$HOOKRELAY_URL/v1/openapi.json"; do
  if ((SECONDS > deadline)) || ! kill -0 "$runner" 2>/dev/null; then
    echo "run.sh: hookrelay-local did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  HOOKRELAY_URL="$(grep -o -m1 'listening on http://[0-9.:]*' "$log" | sed 's/^listening on //' || true)"
  sleep 0.2
done
export HOOKRELAY_URL

cd "$here"
status=0
node --test --test-reporter=spec console.test.mjs || status=$?
if ((status != 0)); then
  echo "run.sh: the browser tests failed; the runner's log:" >&2
  tail -n 50 "$log" >&2
fi
exit "$status"
