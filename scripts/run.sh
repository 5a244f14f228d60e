#!/usr/bin/env bash
# Installs the bot and starts the chat page on the shipped seeds: http://127.0.0.1:7860
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/python app.py "$@"
