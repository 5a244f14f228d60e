"""Connections to Milvus, shared within a process, and the names the Milvus store uses.

A Milvus Lite file (a path ending in ``.db``; with milvus-lite 3 it is a folder) is served by an
in-process server that takes an exclusive lock on it: only one process can have it open. So a
connection is counted, and when the last generation or writer of a process lets go of it the
Lite server is stopped and its lock released, and another process (``qa index`` after
``qa ask``) can open it. A server or cluster URI (``http://host:19530``) has no such limit.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from pathlib import Path

from ..config import Config
from .records import IndexBusy

#: Collections are named ``qa_<index id>_<generation>``; the id keeps two index folders on one
#: server apart (a copied folder keeps its id: do not copy an index folder that uses a server).
ID_FILE = "milvus-id"
#: Tag of rows that no generation has removed yet.
ALIVE = 1 << 62

_lock = threading.Lock()
_clients: dict[str, list] = {}  # uri → [client, users]
_pid = os.getpid()


def resolve_uri(uri: str, index: Path) -> str:
    """The URI a store setting means: "" is the Milvus Lite file inside the index folder."""
    return uri or str(Path(index).resolve() / "milvus.db")


def is_lite(uri: str) -> bool:
    return not re.match(r"^[a-z]+://", uri)


def generation_number(name: str) -> int:
    return int(name[4:10])


def index_id(root: Path) -> str:
    """The id of an index folder on a Milvus server; made once (under the writer's lock)."""
    path = Path(root) / ID_FILE
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        value = secrets.token_hex(4)
        tmp = path.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_text(value, encoding="utf-8")
        os.replace(tmp, path)
        return value


def collection_name(root: Path, generation: str) -> str:
    return f"qa_{index_id(root)}_{generation.replace('-', '_')}"


def acquire(uri: str):
    """A client for ``uri``, shared by this process's users; give it back with :func:`release`."""
    global _pid
    from pymilvus import MilvusClient

    with _lock:
        if _pid != os.getpid():  # a forked child: the parent's connections are not ours
            _clients.clear()
            _pid = os.getpid()
        entry = _clients.get(uri)
        if entry is None:
            if is_lite(uri):
                _check_lite_free(uri)
            try:
                token = "" if is_lite(uri) else Config.from_env().milvus_token
                client = MilvusClient(uri, token=token) if token else MilvusClient(uri)
            except Exception as exc:  # pymilvus raises its own types, or a bare error when Lite failed to start
                raise IndexBusy(f"cannot open Milvus at {uri}: {exc}") from exc
            entry = _clients[uri] = [client, 0]
        entry[1] += 1
        return entry[0]


def release(uri: str) -> None:
    """Give a client back; the last user of a Milvus Lite file stops its server (and its lock)."""
    with _lock:
        entry = _clients.get(uri)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] > 0:
            return
        del _clients[uri]
    try:
        entry[0].close()
    finally:
        if is_lite(uri):
            from milvus_lite.server_manager import server_manager_instance

            server_manager_instance.release_server(uri)


def _check_lite_free(uri: str) -> None:
    """Say plainly that another process holds the Lite file (milvus-lite would log a traceback)."""
    import fcntl

    lock_path = Path(uri) / "LOCK"
    if not lock_path.exists():
        return
    fd = os.open(lock_path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError as exc:
        raise IndexBusy(
            f"the Milvus Lite file {uri} is open in another process (Milvus Lite serves one process at a time): "
            "stop that process or update the index from it, or use a Milvus server (QA_MILVUS_URI=http://host:19530)"
        ) from exc
    finally:
        os.close(fd)
