"""The test side of a churn (``helpers/churn.py``): ending it and the threads that asked during it."""

from __future__ import annotations

import subprocess
import threading


def stop_churn(churn: subprocess.Popen, reader: threading.Thread) -> None:
    """Ask the churn process to stop after its current round and wait for its last line."""
    churn.stdin.write("stop\n")
    churn.stdin.flush()
    assert churn.wait(300) == 0
    reader.join(30)


def end_asking(stop: threading.Event, askers: list[threading.Thread], churn: subprocess.Popen) -> None:
    """Stop the asking threads; kill the churn if a failed assertion left it running."""
    stop.set()
    for t in askers:
        t.join(120)
    if churn.poll() is None:
        churn.kill()
