"""Preparing files for the index on a thread of their own, so the encoder never waits.

Turning a file into passages (parsing, cleaning, cutting), folding their text, cutting BM25
words with jieba and extracting meetings is pure Python (it holds the GIL); encoding is ONNX
Runtime, which releases it. So a producer thread prepares the next files while the indexer
encodes and writes the ones before: ``Prefetch`` hands them over, in corpus order (the index
comes out the same as when each file was done in turn), through a bounded queue, so a large
corpus is never all in memory at once. An error in the producer is raised in the indexer.

``StageTimes`` adds up the seconds each stage keeps its thread busy (``qa bench`` prints them);
with the stages overlapping, their sum can exceed the wall-clock time.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..ingest.meetings import Meeting, extract_meetings
from ..ingest.passages import Passage, document_passages
from ..ingest.readers import ReadError, parse_document
from ..ingest.script import fold
from ..ingest.tokens import words
from .records import FileRecord

#: The stages of a build, in the order data flows through them.
STAGES = ("read", "clean", "tokenise", "meetings", "encode", "write")


@dataclass
class StageTimes:
    """Busy seconds per stage; safe to add to from several threads."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            with self._lock:
                self.seconds[stage] += time.perf_counter() - start


@contextmanager
def timed(times: StageTimes | None, stage: str) -> Iterator[None]:
    """``times.timing(stage)``, or nothing when no one is measuring."""
    if times is None:
        yield
    else:
        with times.timing(stage):
            yield


@dataclass
class Prepared:
    """One file ready to embed and write (or the reason it cannot be read)."""

    source: str
    record: FileRecord | None = None
    passages: list[Passage] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # folded search text: what is embedded
    words: list[list[str]] = field(default_factory=list)  # BM25 words of each text
    meetings: list[Meeting] = field(default_factory=list)
    error: ReadError | None = None


def prepare(source: str, data: bytes, max_passage_chars: int, times: StageTimes | None = None) -> Prepared:
    """Parse, clean and cut one file; fold, tokenise and extract its meetings."""
    try:
        with timed(times, "clean"):
            doc = parse_document(source, data)
            passages = document_passages(doc, max_passage_chars)
    except ReadError as exc:
        return Prepared(source, error=exc)
    with timed(times, "tokenise"):
        texts = [fold(p.search_text) for p in passages]
        tokens = [words(t) for t in texts]
    with timed(times, "meetings"):
        meetings = extract_meetings(passages)
    record = FileRecord(source, doc.sha256, len(data), doc.encoding, len(passages))
    return Prepared(source, record, passages, texts, tokens, meetings)


class Prefetch:
    """Iterates over ``prepare`` of each (source, bytes), computed ahead on a producer thread.

    At most ``ahead`` files wait prepared. Leaving the iteration early (an error or a crash of
    the indexer) stops the producer after the file it is on.
    """

    _END = object()

    def __init__(self, todo: list[tuple[str, bytes]], max_passage_chars: int, times: StageTimes | None = None,
                 ahead: int = 64):
        self._todo, self._chars, self._times = todo, max_passage_chars, times
        self._queue: queue.Queue = queue.Queue(maxsize=ahead)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, name="qa-prepare", daemon=True)

    def __enter__(self) -> "Prefetch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        while self._thread.is_alive():  # unblock a producer waiting on a full queue
            try:
                self._queue.get(timeout=0.05)
            except queue.Empty:
                pass
        self._thread.join()

    def __iter__(self) -> Iterator[Prepared]:
        while True:
            item = self._queue.get()
            if item is self._END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def _produce(self) -> None:
        try:
            for source, data in self._todo:
                if self._stop.is_set():
                    return
                self._put(prepare(source, data, self._chars, self._times))
            self._put(self._END)
        except BaseException as exc:  # handed to the indexer's thread
            self._put(exc)

    def _put(self, item: object) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue
