"""The chat page (Gradio): ask in a conversation, read quoted answers, add files, watch the index.

    qa serve                       # http://127.0.0.1:7860
    python app.py --port 8000

The page only shows what :class:`qa.Bot` returns; it never recomputes an answer. It is built
from :mod:`.render` (API objects → HTML), :mod:`.handlers` (events), :mod:`.page` (layout) and
:mod:`.style`; this module serves it: local only by default, no analytics, no share link,
nothing fetched from the network by the server or the page.

A named endpoint ``/ask`` returns ``bot.ask(question).to_dict()``, the JSON of ``qa ask --json``::

    from gradio_client import Client
    Client("http://127.0.0.1:7860/").predict("南通的代市长是谁？", api_name="/ask")
"""

from __future__ import annotations

import sys
import threading
import time

import gradio as gr

from ..bot import Bot
from .access import Access, is_loopback
from .meetings_view import SORT_JS
from .page import build_app
from .startup import port_problem
from .style import CSS, THEME

__all__ = ["build_app", "launch", "serve"]


def launch(app: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, block: bool = True,
           quiet: bool = False) -> str:
    """Start ``app`` on host:port (local only unless host says otherwise); returns the URL.

    With ``block=False`` it returns at once and the server runs in a thread (``app.close()``).
    """
    bot: Bot | None = getattr(app, "qa_bot", None)
    access: Access | None = getattr(app, "qa_access", None)
    if access and access.host != host and not (access.loopback and is_loopback(host)):
        raise ValueError(f"the page was built to be served on {access.host}, not {host}: its editing rights "
                         "depend on it (build_app(bot, Access.from_config(config, host)))")
    limit_mb = bot.config.max_file_mb if bot else 20.0
    # A full queue refuses a request at once ("Queue is full, please try again") instead of
    # letting it wait behind hundreds of others.
    app.queue(default_concurrency_limit=1, max_size=bot.config.queue_size if bot else None)
    _, url, _ = app.launch(
        auth=access.check_login if access and access.login else None,
        auth_message="请登录后提问。(Log in to ask questions about the documents.)",
        server_name=host, server_port=port, share=False, inbrowser=False, prevent_thread_lock=not block,
        quiet=quiet, show_error=True, ssr_mode=False, pwa=False, mcp_server=False, enable_monitoring=False,
        footer_links=["api"], theme=THEME, css=CSS, head=SORT_JS,
        # Gradio's own cap is looser than ours, so a file just over the limit gets our clear message.
        max_file_size=f"{int(max(2 * limit_mb, limit_mb + 10))}mb",
        state_session_capacity=bot.config.max_sessions if bot else 10_000,
    )
    return url


def serve(ready: tuple[Bot, gr.Blocks], started: float, host: str = "127.0.0.1", port: int = 7860) -> int:
    """``qa serve``: serve the page until interrupted (returns the exit status). ``ready`` is what
    :func:`qa.app.startup.start` returned (called before Gradio was imported, so the two
    overlapped); ``started`` is the ``time.monotonic()`` of the command's start."""
    bot, app = ready
    try:
        launch(app, host=host, port=port, block=False, quiet=True)
    except OSError:  # taken since qa serve checked it (port_problem): say so, not Gradio's traceback
        print(f"qa: {port_problem(host, port) or f'cannot listen on {host}:{port}'}", file=sys.stderr, flush=True)
        return 2
    print(f"qa: ready in {time.monotonic() - started:.1f}s; serving on http://{_display_host(host)}:{port}/ "
          "(Ctrl+C to stop)", file=sys.stderr, flush=True)
    threading.Thread(target=_warm, args=(bot, started), name="qa-warm", daemon=True).start()
    try:
        while app.is_running:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        app.close()
    return 0


def _warm(bot: Bot, started: float) -> None:
    try:
        bot.warm()
    except Exception as exc:  # the first question reports it; the page stays up
        print(f"qa: could not load the model ahead of the first question: {exc}", file=sys.stderr, flush=True)
        return
    print(f"qa: model and tokenizer loaded ({time.monotonic() - started:.1f}s after start)", file=sys.stderr,
          flush=True)


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "") else host
