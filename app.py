"""Start the chat page: ``python app.py [--host HOST] [--port PORT] [--corpus DIR] [--index DIR]``.

The same as ``qa serve``; it binds 127.0.0.1:7860 unless told otherwise.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

#: Packages the page cannot run without; missing means this Python is not the project's.
NEEDED = ("gradio", "faiss", "qa")


def use_the_project_venv() -> None:
    """Run with the project's .venv (made by scripts/run.sh) when this Python lacks the packages:
    ``python app.py`` then works without activating it first. Without a .venv, say what to run."""
    if all(importlib.util.find_spec(name) for name in NEEDED):
        return
    python = Path(__file__).resolve().parent / ".venv" / "bin" / "python"
    if python.exists() and not os.environ.get("QA_APP_REEXEC"):
        os.environ["QA_APP_REEXEC"] = "1"  # once: a broken .venv must not loop
        os.execv(python, [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])
    print(f"qa: {sys.executable} does not have qa-zh and its packages installed. Run `bash scripts/run.sh` "
          "(it installs them into .venv and starts the page), or `source .venv/bin/activate` first.",
          file=sys.stderr)
    sys.exit(1)

#: Options of the ``qa`` command itself (they go before the sub-command), and whether they take a value.
GLOBAL_OPTIONS = {"--corpus": True, "--index": True, "--model": True, "--device": True, "-v": False, "--verbose": False}


def serve_argv(args: list[str]) -> list[str]:
    """``qa`` arguments for ``app.py`` arguments: global options first, then ``serve`` and the rest."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            front.append(arg)
            if GLOBAL_OPTIONS[name] and "=" not in arg and i + 1 < len(args):
                front.append(args[i + 1])
                i += 1
        else:
            rest.append(arg)
        i += 1
    return [*front, "serve", *rest]


if __name__ == "__main__":
    use_the_project_venv()
    from qa.app.cli import main

    sys.exit(main(serve_argv(sys.argv[1:])))
