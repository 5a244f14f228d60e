"""A Milvus server for the tests: milvus-lite's own gRPC server in a process of its own.

CI has no Milvus server; ``python -m milvus_lite server`` speaks the same protocol to pymilvus
over a URI (``http://127.0.0.1:<port>``), so the store's server path (several processes on one
index, a token-free URI, collections named per index folder) runs for real. It is the Milvus Lite
engine behind a network port, not a Milvus cluster.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.helpers.browser import free_port


@contextmanager
def milvus_server(data_dir: Path) -> Iterator[str]:
    from pymilvus import MilvusClient

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(data_dir),
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    uri = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, "the Milvus Lite server exited"
            try:
                MilvusClient(uri, timeout=2).close()
                break
            except Exception:
                assert time.monotonic() < deadline, "the Milvus Lite server never answered"
                time.sleep(0.3)
        yield uri
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(15)
