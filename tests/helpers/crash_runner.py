"""Runs index updates in forked children and SIGKILLs them at chosen moments (for test_crash.py).

The model is loaded once, here; every request forks a child that runs ``update_index`` and dies
by SIGKILL at the requested moment:

* ``{"stage": "embed", "at": 2}``: on the 2nd progress call of that stage (read, embed, write);
* ``{"crash_point": "publish:renamed"}``: at that point of ``Store.publish`` (QA_TEST_CRASH_AT);
* ``{"after": 1.5}``: when 1.5 s have passed since the fork (sent by this parent);
* nothing: the child runs to the end.

The parent never runs the model itself: a child forked after that can deadlock in the thread
pool the parent started.

Protocol, one JSON object per line: requests on stdin
``{"corpus", "index", "full", "kill", "report"}``, replies on stdout
``{"killed", "exit", "seconds", "report"}`` where report is what the child wrote (or null).
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from qa.config import DEFAULT_MODEL
    from qa.index.embed import Embedder
    from qa.ingest.tokens import words

    embedder = Embedder(DEFAULT_MODEL)  # the model of the tests' own embedder (conftest.py)
    words("预热")  # load jieba's dictionary once, before forking
    print("ready", flush=True)
    for line in sys.stdin:
        print(json.dumps(run(json.loads(line), embedder)), flush=True)


def run(request: dict, embedder) -> dict:
    kill = request.get("kill") or {}
    report_path = Path(request["report"])
    report_path.unlink(missing_ok=True)
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        child(request, kill, embedder)  # never returns
    status = None
    if "after" in kill:
        deadline = start + kill["after"]
        while status is None and time.monotonic() < deadline:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
            else:
                time.sleep(0.002)
        if status is None:
            os.kill(pid, signal.SIGKILL)
    if status is None:
        _, status = os.waitpid(pid, 0)
    seconds = time.monotonic() - start
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else None
    return {"killed": killed, "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "seconds": seconds, "report": report}


def child(request: dict, kill: dict, embedder) -> None:
    os.dup2(2, 1)  # stdout belongs to the protocol
    try:
        from qa.config import Config
        from qa.index.indexer import update_index

        if "crash_point" in kill:
            os.environ["QA_TEST_CRASH_AT"] = kill["crash_point"]
        calls: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            calls[stage] = calls.get(stage, 0) + 1
            if kill.get("stage") == stage and calls[stage] == kill["at"]:
                os.kill(os.getpid(), signal.SIGKILL)

        config = Config.from_env(corpus=request["corpus"], index=request["index"])
        report = update_index(config, embedder, full=request["full"], progress=progress)
        data = dataclasses.asdict(report) | {"calls": calls}
        Path(request["report"]).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os._exit(0)
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)


if __name__ == "__main__":
    main()
