#!/usr/bin/env bash
# Usage: scripts/venv.sh DIR REQUIREMENTS
# Makes the virtualenv DIR (python3 -m venv) unless it exists, and installs
# REQUIREMENTS into it (pinned, so a second run installs nothing).
set -euo pipefail
venv="$1"
requirements="$2"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
