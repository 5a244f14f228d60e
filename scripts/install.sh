#!/usr/bin/env bash
# Creates .venv and installs the project into it. Usage: scripts/install.sh [extra]   (extra: test)
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
pip=(.venv/bin/python -m pip install --disable-pip-version-check --no-warn-script-location --progress-bar on)

say "Creating the virtual environment .venv"
python3 -m venv .venv
"${pip[@]}" --quiet --upgrade pip
# The CPU build of torch, pinned: a plain `torch` requirement would pull a multi-GB CUDA build.
say "Installing torch 2.13.0, the CPU build (about 200 MB; skipped when already there)"
"${pip[@]}" "torch==2.13.0"
say "Installing qa-zh and what it needs (sentence-transformers, faiss-cpu, bm25s, jieba, OpenCC, Gradio${1:+; extra: $1})"
"${pip[@]}" -e ".${1:+[$1]}"
say "Installed: $(.venv/bin/python -c 'import importlib.metadata as m; print("qa-zh", m.version("qa-zh"))')"
printf '%s\n' "The qa command lives in .venv: run 'source .venv/bin/activate' in your shell to use it (python app.py finds .venv by itself)."
