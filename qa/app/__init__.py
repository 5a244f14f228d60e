"""What people use: the ``qa`` command, the chat page, uploads and progress display."""

import os

# Before gradio is imported anywhere below: it reads these at import and Blocks() time.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

from .gradio_import import skip_stub_writing

skip_stub_writing()  # Gradio rewrites its type stubs on every import: half of its import time
