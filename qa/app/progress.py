"""Progress of long work (index builds, benchmarks), reported as (stage, done, total).

The indexer and the benchmarks call a :data:`Progress`; the CLI and ``qa serve`` show it on
the console with :func:`console_progress`, the page with a Gradio progress bar.
"""

from __future__ import annotations

import sys
import time

from ..index.indexer import Progress

STAGES = {
    "read": "读取文件 Reading files",
    "embed": "计算向量 Embedding passages",
    "write": "写入索引 Writing the index",
    "ask": "回答问题 Asking questions",
}


def console_progress() -> Progress:
    """Bars on a terminal; elsewhere (logs, CI) one line per stage at most twice a second."""
    if sys.stderr.isatty():
        return _bars()
    last: dict[str, float] = {}

    def line(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last.get(stage, 0.0) < 0.5:
            return
        last[stage] = now
        pct = 100 * done // total if total else 100
        print(f"qa: {STAGES.get(stage, stage)} {pct}%", file=sys.stderr, flush=True)

    return line


def _bars() -> Progress:
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def bar(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            bars[stage] = tqdm(total=total, desc=STAGES.get(stage, stage), leave=False)
        b = bars[stage]
        b.total, b.n = total, done
        b.refresh()
        if done >= total:
            b.close()
            del bars[stage]

    return bar
