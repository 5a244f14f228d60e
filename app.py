"""Start the chat page: ``python app.py [--host HOST] [--port PORT] [--corpus DIR] [--index DIR]``.

The same as ``qa serve``; it binds 127.0.0.1:7860 unless told otherwise.
"""

from __future__ import annotations

import sys

from qa.app.cli import main

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
    sys.exit(main(serve_argv(sys.argv[1:])))
