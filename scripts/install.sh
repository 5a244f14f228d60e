#!/usr/bin/env bash
# Creates .venv and installs the project into it. Usage: scripts/install.sh [extra]   (extra: test)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# The CPU build of torch, pinned: a plain `torch` requirement would pull a multi-GB CUDA build.
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".${1:+[$1]}"
