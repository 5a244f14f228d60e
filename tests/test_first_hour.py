"""What a new user meets in the first hour on the command line (issue 19): a busy port, a pipe
closed early, the watcher, the data folder started from the seeds, an empty corpus."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

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


def test_index_watch_says_what_it_watches_and_prints_only_changes(small_corpus, tmp_path):
    corpus, index = small_corpus
    (corpus / "a.txt").write_text("市委书记李明远主持召开城市更新工作推进会。", encoding="utf-8")
    qa("--corpus", str(corpus), "--index", str(index), "index")
    log = tmp_path / "watch.log"  # stdout and stderr into one file, as a service's log gets them
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    with open(log, "w") as out:
        proc = subprocess.Popen(qa_command("--corpus", str(corpus), "--index", str(index), "index", "--watch",
                                           "--interval", "0.2"), stdout=out, stderr=subprocess.STDOUT, env=env,
                                cwd=ROOT)
    try:
        assert _wait_for(log, "Ctrl+C to stop"), log.read_text()
        first = log.read_text()
        assert f"watching {corpus}" in first and "1 unchanged" in first  # the state it starts from
        time.sleep(3)  # some fifteen checks of an unchanged folder
        assert log.read_text() == first, "an unchanged folder printed something"
        (corpus / "b.txt").write_text("副市长赵一鸣主持召开防汛工作部署会。", encoding="utf-8")
        assert _wait_for(log, "added    b.txt"), log.read_text()
        time.sleep(2)
        after = log.read_text()[len(first):]
        assert after.count("added    b.txt") == 1 and after.count("passages embedded") == 1, after
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_for(path, text: str, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in path.read_text():
            return True
        time.sleep(0.2)
    return False
