#!/usr/bin/env bash
# Installs the bot with its test tools (and Debian's Chromium for the page tests), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test
if ! dpkg -s chromium fonts-wqy-microhei >/dev/null 2>&1; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi
export HF_HUB_OFFLINE=1
exec .venv/bin/python -m pytest "$@"
