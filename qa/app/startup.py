"""Starting ``qa serve`` quickly: what must happen before the page can be served, and in what order.

Most of a cold start is work that holds the GIL (importing Gradio: ~1.3 s here on its own once
:mod:`.gradio_import` has it skip rewriting its type stubs) next to work that does not (checking
the index's checksums, reading the FAISS file, ONNX Runtime preparing the model). So the index and the model are opened on a thread *before*
Gradio is imported and the two overlap; what only the first question needs (the tokenizer,
jieba's dictionary and tagger) is loaded by :meth:`Bot.warm` once the page is up, and a question
asked in that second or two waits for it rather than failing. ``qa bench`` times both moments.
"""

from __future__ import annotations

import errno
import socket
import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING

from ..config import Config
from ..index.indexer import Progress

if TYPE_CHECKING:
    import gradio as gr

    from ..bot import Bot
    from .access import Access


def open_in_background(config: Config, progress: Progress | None = None) -> Future["Bot"]:
    """``Bot.open`` on its own thread (building the index first if there is none).

    A daemon thread, so Ctrl+C during a first build ends the process at once, as before; an
    index build killed half-way leaves the last good generation (the store is crash-safe).
    """
    from ..bot import Bot

    opening: Future[Bot] = Future()

    def run() -> None:
        opening.set_running_or_notify_cancel()
        try:
            opening.set_result(Bot.open(config=config, progress=progress))
        except BaseException as exc:  # raised again by opening.result() in the caller
            opening.set_exception(exc)

    threading.Thread(target=run, name="qa-open", daemon=True).start()
    return opening


def start(config: Config, progress: Progress | None = None, access: "Access | None" = None
          ) -> tuple["Bot", "gr.Blocks"]:
    """The bot and the page, ready to serve (what ``qa serve`` does before it binds the port);
    ``access`` says who may log in and change the corpus (default: loopback, no login)."""
    opening = open_in_background(config, progress)
    from .page import build_app  # imports Gradio while the index and the model load

    bot = opening.result()
    return bot, build_app(bot, access)


def port_problem(host: str, port: int) -> str | None:
    """Why the page could not listen on host:port (one line for the person), or None when it can.

    Checked before the index is opened, so a second ``qa serve`` stops at once with the reason
    instead of announcing itself ready and failing inside the web server.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        return f"cannot listen on {host}: {exc.strerror}; use --host"
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the web server binds it
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} is in use; use --port"
            return f"cannot listen on {host}:{port}: {exc.strerror}; use --host or --port"
    return None
