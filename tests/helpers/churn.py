"""Keeps changing a corpus and its index while another process asks questions (test_concurrency.py).

usage: churn.py CORPUS INDEX MIN_ROUNDS

Each round adds a file of new text, removes the one added two rounds before, rewrites one more,
and brings the index up to date; every third round rebuilds it in full (``--full``). After each
round it prints ``{"round", "generation", "files", "passages", "full", "seconds"}`` as one JSON
line; once MIN_ROUNDS are done it stops at the first "stop" line on stdin and prints "done".
"""

from __future__ import annotations

import json
import os
import select
import sys
import time
from pathlib import Path


def main() -> None:
    corpus, index, min_rounds = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from qa.config import DEFAULT_MODEL, Config
    from qa.index.embed import Embedder
    from qa.index.indexer import update_index

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.helpers.corpus import synthetic_file

    config = Config.from_env(corpus=corpus, index=index)
    embedder = Embedder(DEFAULT_MODEL)  # the model of the tests' own embedder (conftest.py)
    print("ready", flush=True)
    round_no = 0
    while True:
        round_no += 1
        (corpus / f"churn-{round_no:03d}.txt").write_text(synthetic_file(800_000 + round_no * 10, 3), "utf-8")
        (corpus / f"churn-{round_no - 2:03d}.txt").unlink(missing_ok=True)
        (corpus / "churn-edited.txt").write_text(synthetic_file(900_000 + round_no * 10, 2), "utf-8")
        full = round_no % 3 == 0
        started = time.monotonic()
        report = update_index(config, embedder, full=full)
        print(json.dumps({"round": round_no, "generation": report.generation, "files": report.files,
                          "passages": report.passages, "full": full,
                          "seconds": round(time.monotonic() - started, 2)}), flush=True)
        # Stop when asked (or when the asking side has gone: end of input); never run away.
        if round_no >= min_rounds and select.select([sys.stdin], [], [], 0)[0] or round_no >= 500:
            break
    print("done", flush=True)


if __name__ == "__main__":
    main()
