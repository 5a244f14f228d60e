"""The build's speed-ups change nothing it writes: encoder streams give the vectors of one run per
text, and files prepared on a producer thread reach the indexer in corpus order, errors included."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from qa.index import pipeline
from qa.index.bundled_model import bundled_model_path
from qa.index.fast_encoder import OnnxEncoder
from qa.index.pipeline import Prefetch, StageTimes
from tests.helpers.corpus import synthetic_file, synthetic_paragraph

TEXTS = [synthetic_paragraph(n) * (1 + n % 3) for n in range(700_000, 700_009)]


def test_streams_give_the_vectors_of_one_run_per_text():
    streams = OnnxEncoder(bundled_model_path(), threads=3)  # 3 workers sharing a one-thread session
    assert streams.streams == 3
    together = streams.encode(TEXTS, prompt_name="passage")
    alone = np.stack([streams.encode([t], prompt_name="passage")[0] for t in TEXTS])  # the query session
    assert np.array_equal(together, alone)
    assert np.allclose(np.linalg.norm(together, axis=1), 1, atol=1e-5)
    assert len({v.tobytes() for v in together}) == len(TEXTS)


def test_prefetch_keeps_the_corpus_order_and_passes_unreadable_files_on():
    todo = [(f"{i:02d}.txt", synthetic_file(710_000 + 10 * i, 3).encode()) for i in range(12)]
    todo.insert(5, ("bad.txt", b"\x00\x01\x02 binary \xff\xfe" * 50))
    times = StageTimes()
    with Prefetch(todo, 400, times, ahead=2) as prepared:
        items = list(prepared)
    assert [i.source for i in items] == [s for s, _ in todo]
    bad = items[5]
    assert bad.error is not None and bad.record is None and not bad.texts
    good = [i for i in items if i.error is None]
    assert all(len(i.texts) == len(i.words) == len(i.passages) == i.record.passages == 3 for i in good)
    assert all(times.seconds[s] > 0 for s in ("clean", "tokenise", "meetings"))


def test_an_error_while_preparing_reaches_the_indexer(monkeypatch):
    def broken(source, data, chars, times=None):
        if source == "03.txt":
            raise MemoryError("out of memory in the producer")
        return pipeline.Prepared(source)

    monkeypatch.setattr(pipeline, "prepare", broken)
    todo = [(f"{i:02d}.txt", b"x") for i in range(6)]
    seen = []
    with pytest.raises(MemoryError, match="producer"):
        with Prefetch(todo, 400) as prepared:
            seen.extend(i.source for i in prepared)
    assert seen == ["00.txt", "01.txt", "02.txt"]


def test_leaving_early_stops_the_producer(monkeypatch):
    calls = []
    real = pipeline.prepare
    monkeypatch.setattr(pipeline, "prepare", lambda *args: calls.append(args[0]) or real(*args))
    todo = [(f"{i:03d}.txt", synthetic_file(720_000 + 10 * i, 2).encode()) for i in range(200)]
    before = threading.active_count()
    with Prefetch(todo, 400, ahead=1) as prepared:
        for item in prepared:
            break
    assert item.source == "000.txt"
    assert threading.active_count() == before
    assert len(calls) <= 4, calls  # it stopped rather than preparing 199 more files
