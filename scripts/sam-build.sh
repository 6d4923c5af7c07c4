#!/usr/bin/env bash
# Builds every Lambda function for arm64 the way a deployment does, from a
# fresh clone: installs aws-sam-cli, cargo-lambda and ziglang (the arm64
# cross-linker) into .venv-deploy, adds the aarch64 Rust target, validates the
# template and runs `sam build` (cargo lambda, release profile). Prints how
# long the build took and each function's binary size.
# Then: `.venv-deploy/bin/sam deploy --guided` (see README, "Deploying").
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${HOOKRELAY_DEPLOY_VENV:-.venv-deploy}"
scripts/venv.sh "$venv" scripts/requirements-deploy.txt
rustup target add aarch64-unknown-linux-gnu
export PATH="$PWD/$venv/bin:$PATH"

sam validate --lint --region "${AWS_REGION:-us-east-1}"
started=$(date +%s)
sam build
echo "sam build took $(( $(date +%s) - started )) s"
for bootstrap in .aws-sam/build/*/bootstrap; do
  stat -c '%s' "$bootstrap" | awk -v name="$(basename "$(dirname "$bootstrap")")" '{ printf "%-28s %6.1f MiB\n", name, $1 / 1048576 }'
done
