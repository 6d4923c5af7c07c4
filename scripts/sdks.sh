#!/usr/bin/env bash
# The SDKs in sdks/, made from the OpenAPI document the local runner serves
# (GET /v1/openapi.json of target/debug/hookrelay-local, built here):
#   scripts/sdks.sh              regenerate them (run it after changing the API)
#   scripts/sdks.sh check        fail when the checked-in SDKs differ from what
#                                the served document makes
#   scripts/sdks.sh test         each SDK's end-to-end tests against the runner
#   scripts/sdks.sh check test   both (what scripts/test.sh runs)
# Generating also validates the document with openapi-spec-validator (0 errors)
# and fails on any warning of openapi-python-client. What is generated:
#   sdks/openapi.json                 the document, as served
#   sdks/typescript/src/schema.d.ts   its types (openapi-typescript)
#   sdks/python/hookrelay_api/        a client package (openapi-python-client, ruff)
# Every tool is pinned: sdks/typescript/package-lock.json (npm ci) and
# scripts/requirements-test.txt (.venv); nothing is installed globally.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${HOOKRELAY_VENV:-.venv}"
modes=("${@:-generate}")
for mode in "${modes[@]}"; do
  [[ "$mode" =~ ^(generate|check|test)$ ]] || { echo "usage: scripts/sdks.sh [generate|check|test]..." >&2; exit 2; }
done

scripts/venv.sh "$venv" scripts/requirements-test.txt
(cd sdks/typescript && npm ci --no-audit --no-fund --loglevel=error)
cargo build --quiet --bin hookrelay-local

scratch="$(mktemp -d)"
runner_pid=
trap 'kill "$runner_pid" 2>/dev/null || true; rm -rf "$scratch"' EXIT
port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
key="sdk-test-key-$RANDOM$RANDOM-0123456789"
mkdir -p target
HOOKRELAY_ADDR="127.0.0.1:$port" HOOKRELAY_API_KEY="$key" RUST_LOG=warn \
  target/debug/hookrelay-local >target/sdks-runner.log 2>&1 &
runner_pid=$!
"$venv/bin/python" scripts/wait-for-port.py "$port" "the runner (see target/sdks-runner.log)"
url="http://127.0.0.1:$port"

# Generates the document and both SDKs into $1, laid out as sdks/ is.
generate_into() {
  local out="$1"
  mkdir -p "$out/typescript/src" "$out/python"
  "$venv/bin/python" - "$url/v1/openapi.json" "$out/openapi.json" <<'PY'
import json, sys, urllib.request
document = json.load(urllib.request.urlopen(sys.argv[1]))
with open(sys.argv[2], "w", encoding="utf-8") as out:
    json.dump(document, out, indent=2, ensure_ascii=False)
    out.write("\n")
PY
  "$venv/bin/openapi-spec-validator" "$out/openapi.json"
  sdks/typescript/node_modules/.bin/openapi-typescript "$out/openapi.json" \
    --output "$out/typescript/src/schema.d.ts" >/dev/null
  # The post-hooks run the pinned ruff, its cache outside the package.
  RUFF_CACHE_DIR="$scratch/ruff-cache" PATH="$(cd "$venv" && pwd)/bin:$PATH" \
    "$venv/bin/openapi-python-client" generate \
    --path "$out/openapi.json" --meta none --fail-on-warning \
    --config sdks/python/openapi-python-client.yaml --output-path "$out/python/hookrelay_api" >/dev/null
}

# What scripts/sdks.sh writes into sdks/.
generated=(openapi.json typescript/src/schema.d.ts python/hookrelay_api)

generate() {
  generate_into "$scratch/new"
  for path in "${generated[@]}"; do
    rm -rf "sdks/$path"
    cp -R "$scratch/new/$path" "sdks/$path"
  done
  echo "sdks: regenerated ${generated[*]} from $url/v1/openapi.json"
}

check() {
  generate_into "$scratch/check"
  local stale=0
  for path in "${generated[@]}"; do
    diff -ru -x __pycache__ "sdks/$path" "$scratch/check/$path" >"$scratch/diff" || {
      stale=1
      head -n 40 "$scratch/diff"
    }
  done
  if ((stale)); then
    echo "sdks: the checked-in SDKs are not what the served OpenAPI document makes;" >&2
    echo "      run scripts/sdks.sh and commit sdks/" >&2
    return 1
  fi
  echo "sdks: up to date with the served OpenAPI document (which openapi-spec-validator passes)"
}

run_tests() {
  local start=$SECONDS
  export HOOKRELAY_URL="$url" HOOKRELAY_API_KEY="$key" PYTHONDONTWRITEBYTECODE=1
  (cd sdks/typescript && node_modules/.bin/tsc -p . && node --test test/)
  echo "sdks: TypeScript SDK type-checked and tested in $((SECONDS - start)) s"
  start=$SECONDS
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-build-isolation ./sdks/python
  "$venv/bin/pytest" -q -p no:cacheprovider sdks/python/tests
  echo "sdks: Python SDK installed and tested in $((SECONDS - start)) s"
}

for mode in "${modes[@]}"; do
  case "$mode" in
    generate) generate ;;
    check) check ;;
    test) run_tests ;;
  esac
done
