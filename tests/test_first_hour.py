"""What a new user meets in the first hour on the command line (issue 19): a busy port, a pipe
closed early, the watcher, the data folder started from the seeds, an empty corpus."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from .conftest import ROOT
from .test_cli import qa


def qa_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "qa.app.cli", *args]


def test_a_second_serve_on_a_busy_port_says_so_before_anything_else(small_corpus):
    corpus, index = small_corpus
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = qa("--corpus", str(corpus), "--index", str(index), "serve", "--port", str(port), check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"qa: port {port} is in use; use --port", proc.stderr
    assert "ready" not in proc.stderr and "Traceback" not in proc.stderr
    assert not index.exists()  # checked before the index is built or opened


def test_ask_json_into_a_closed_pipe_ends_quietly(seed_bot, seed_dirs):
    corpus, index = seed_dirs
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(qa_command("--corpus", str(corpus), "--index", str(index), "ask",
                                       "谁主持召开了市委常委会第167次会议？", "--json"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    proc.stdout.close()  # as `| head` does once it has its lines: nobody reads the rest
    err = proc.stderr.read().decode()
    proc.wait(timeout=300)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode == 141  # as a shell reports a command ended by SIGPIPE
