"""The Python API: ``Bot.open(...)``, ``bot.ask(...)``, ``bot.update()``, ``bot.rebuild()``.

The CLI and the page are thin layers over this class; they show what it returns.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .answer.answer import Answer
from .answer.conversation import Conversation
from .answer.example_cache import cached_examples
from .answer.meetings import filter_meetings, table
from .answer.model import load_model
from .answer.pipeline import process
from .answer.question import Question, analyze
from .answer.retrieve import Hit, retrieve
from .config import Config, start_corpus
from .index.embed import Embedder
from .index.indexer import IndexReport, Progress, update_index
from .index.store import CorruptIndex, Metadata, ModelMismatch, Store
from .ingest import tokens
from .ingest.meetings import Meeting
from .ingest.passages import Passage

log = logging.getLogger(__name__)

#: One earlier turn: the question and the short answer given (or None).
Turn = tuple[str, str | None]


@dataclass(frozen=True)
class SearchResult:
    passage: Passage
    score: float  # fused
    dense: float
    lexical: float

    @property
    def source(self) -> str:
        return self.passage.source


@dataclass(frozen=True)
class IndexStatus:
    corpus: str
    index: str
    model: str
    dim: int
    generation: str
    files: list[tuple[str, int]]  # (source, passages)
    passages: int
    built: float  # seconds since the epoch
    skipped: list[tuple[str, str]]  # (source, reason)
    #: Where the vectors and BM25 live: "local", or "milvus <collection> at <uri>".
    store: str = "local"

    @classmethod
    def of(cls, generation: Metadata, config: Config) -> "IndexStatus":
        """What an index generation holds; needs no model (``qa status`` shows it without one)."""
        m = generation.manifest
        return cls(
            corpus=str(Path(config.corpus).resolve()),  # where uploads go, whatever the working folder
            index=str(config.index),
            model=m.model,
            dim=m.dim,
            generation=generation.name,
            files=[(f.source, f.passages) for f in generation.files()],
            passages=m.passages,
            built=m.created,
            skipped=generation.skipped(),
            store="local" if m.store != "milvus" else
            f"milvus {m.milvus['collection']} at {m.milvus.get('uri') or 'the Milvus Lite file in the index folder'}",
        )


class Bot:
    def __init__(self, config: Config, embedder: Embedder, generation: Metadata):
        self.config = config
        self.embedder = embedder
        self._store = Store(config.index)
        self._generation = generation
        self._reload_lock = threading.Lock()
        self._retired: list[Metadata] = []
        self._examples: tuple[str, list[str]] = ("", [])  # (generation, questions)
        self._meetings: tuple[str, list[Meeting]] = ("", [])  # (generation, merged table)
        self._vectors: dict[str, np.ndarray] = {}  # question → vector, shared by search() and ask()

    @classmethod
    def open(
        cls,
        corpus: str | Path | None = None,
        index: str | Path | None = None,
        model: str | None = None,
        config: Config | None = None,
        progress: Progress | None = None,
    ) -> "Bot":
        """Open the index, building it first when it is missing or damaged."""
        config = (config or Config.from_env()).replace(corpus=corpus, index=index, model=model)
        started = start_corpus(config)
        if started is not None:
            log.warning("%s was started with a copy of the %d documents in %s", config.corpus, started, config.seeds)
        embedder = Embedder.from_config(config)
        store = Store(config.index)
        try:
            generation = store.load()
        except CorruptIndex as exc:
            if store.exists():
                log.warning("%s; rebuilding the index", exc)
            update_index(config, embedder, full=store.exists(), progress=progress)
            generation = store.load()
        _check_model(generation, embedder)
        return cls(config, embedder, generation)

    # --- asking ------------------------------------------------------------------------------

    def ask(self, question: str, history: Sequence[Turn] | None = None, k: int | None = None) -> Answer:
        """Answer one question; ``history`` holds earlier (question, answer) turns, oldest first.

        Follow-ups are resolved exactly as in :meth:`conversation` (the page, ``/ask`` and
        ``qa chat`` use that): "他还参加了哪些会议？" after "谁主持了…？" → "黄钦" asks about 黄钦.
        """
        problem = self._check_question(question)
        if problem:
            return Answer(question or "", None, False, [], "invalid", message=problem)
        return Conversation(self._answer, history).ask(question, k)

    def conversation(self, history: Sequence[Turn] | None = None) -> Conversation:
        """A conversation that keeps its turns: ``conv.ask("他还参加了哪些会议？")`` resolves against them."""
        return Conversation(self.ask_resolved, history)

    def ask_resolved(self, question: str, k: int | None = None) -> Answer:
        """Answer a question that needs no follow-up resolution (one turn of a conversation)."""
        problem = self._check_question(question)
        if problem:
            return Answer(question or "", None, False, [], "invalid", message=problem)
        return self._answer(question, k)

    def _answer(self, question: str, k: int | None) -> Answer:
        generation = self._current()
        if generation.manifest.passages == 0:  # "not found" would blame the question
            return Answer(question.strip(), None, False, [], message=self._no_documents())
        return process(question, generation, self._query_vector, self._meeting_table(generation), self.config,
                       k or self.config.top_k)

    def _no_documents(self) -> str:
        folder, kinds = Path(self.config.corpus).resolve(), " ".join(self.config.extensions)
        return (f"文档库里还没有文档：请在页面上“添加文件”，或把文件（{kinds}）放进 {folder} 后运行 qa index。"
                f"(There are no documents yet: add files on the page (Add documents), or put files ({kinds}) "
                f"into {folder} and run `qa index`.)")

    def meetings(self, person: str | None = None, text: str | None = None) -> list[Meeting]:
        """The meeting table: one row per meeting (reprints merged), naming ``person`` in any role
        and containing ``text``; in date order, each row with its evidence sources."""
        return filter_meetings(self._meeting_table(self._current()), person=person, text=text)

    def _meeting_table(self, generation: Metadata) -> list[Meeting]:
        """The merged table of a generation, built once (each meeting question would re-read it)."""
        if self._meetings[0] != generation.name:
            self._meetings = (generation.name, table(generation.meetings()))
        return self._meetings[1]

    def search(self, question: str, k: int = 10) -> list[SearchResult]:
        """Retrieval only: the k best passages for ``question``, best first."""
        if self._check_question(question):
            return []
        _, hits, passages = self._retrieve(analyze(question), k)
        return [SearchResult(passages[h.id], h.score, h.dense, h.lexical) for h in hits if h.id in passages]

    def examples(self, n: int = 4) -> list[str]:
        """Questions this corpus can answer, read off its first passages (for the page)."""
        generation = self._current()
        if self._examples[0] != generation.name:
            self._examples = (generation.name, cached_examples(generation, n))
        return self._examples[1]

    def warm(self) -> None:
        """Load now what the first question would otherwise wait for (the encoder's tokenizer and
        session, jieba's dictionary and tagger: a few seconds); ``qa serve`` runs this in the
        background once the page is ready."""
        self.embedder.warm()
        tokens.warm()
        if (reader := load_model(self.config.reader_model, self.config.neural_reader).reader) is not None:
            reader.warm()

    def _retrieve(self, q: Question, k: int) -> tuple[Metadata, list[Hit], dict[int, Passage]]:
        """The live generation, its k best hits for ``q`` and their passages (one snapshot)."""
        generation = self._current()
        words = [] if q.dense_only else q.words  # no Chinese words: the dense side alone
        hits = retrieve(generation, self._query_vector(q.folded), words, k=k,
                        candidates=self.config.candidates, dense_weight=self.config.dense_weight,
                        nprobe=self.config.nprobe)
        return generation, hits, generation.passages([h.id for h in hits])

    def _query_vector(self, folded: str) -> np.ndarray:
        """Question vectors are cached: search() and ask() of one question encode it once."""
        vector = self._vectors.get(folded)
        if vector is None:
            vector = self.embedder.encode_queries([folded])[0]
            if len(self._vectors) > 256:
                self._vectors.clear()
            self._vectors[folded] = vector
        return vector

    def _check_question(self, question: str) -> str | None:
        if not question or not question.strip():
            return "请输入一个问题。(The question is empty.)"
        if len(question) > self.config.max_question_chars:
            return (f"问题太长（{len(question)} 字），请缩短到 {self.config.max_question_chars} 字以内。"
                    f"(The question is longer than {self.config.max_question_chars} characters.)")
        return None

    # --- the index -----------------------------------------------------------------------------

    def update(self, progress: Progress | None = None) -> IndexReport:
        """Re-index only the files added, changed or removed since the last build."""
        report = update_index(self.config, self.embedder, progress=progress)
        self._current()
        return report

    def rebuild(self, progress: Progress | None = None) -> IndexReport:
        """Rebuild everything from the corpus (vectors still come from the embedding cache)."""
        report = update_index(self.config, self.embedder, full=True, progress=progress)
        self._current()
        return report

    def remove(self, source: str, progress: Progress | None = None) -> IndexReport:
        """Delete one corpus file (``source`` as :meth:`status` lists it) and re-index.

        Only a file the index knows (indexed or skipped) inside the corpus folder can be removed,
        so a mistyped or crafted name never deletes anything else.
        """
        status = self.status()
        known = {s for s, _ in status.files} | {s for s, _ in status.skipped}
        corpus = Path(self.config.corpus).resolve()
        path = (corpus / source).resolve()
        if source not in known or not path.is_relative_to(corpus) or not path.is_file():
            raise FileNotFoundError(f"{source!r} is not a file of the corpus {self.config.corpus}")
        path.unlink()
        return self.update(progress=progress)

    def status(self) -> IndexStatus:
        return IndexStatus.of(self._current(), self.config)

    def close(self) -> None:
        """Close the generations this bot holds (a Milvus Lite file is then free for another process)."""
        with self._reload_lock:
            for generation in [*self._retired, self._generation]:
                generation.close()
            self._retired = []

    @property
    def generation(self) -> Metadata:
        return self._current()

    def _current(self) -> Metadata:
        """The live generation; picks up a rebuild finished by any process."""
        name = self._store.current_name()
        if name is None or name == self._generation.name:
            return self._generation
        with self._reload_lock:
            if name != self._generation.name:
                try:
                    fresh = self._store.load()
                    _check_model(fresh, self.embedder)
                except (CorruptIndex, ModelMismatch) as exc:
                    log.warning("keeping generation %s: %s", self._generation.name, exc)
                    return self._generation
                # The old generation stays open for readers still using it; the one before it is closed.
                for old in self._retired[:-1]:
                    old.close()
                self._retired = [*self._retired[-1:], self._generation]
                self._generation = fresh
        return self._generation


def _check_model(generation: Metadata, embedder: Embedder) -> None:
    m = generation.manifest
    if m.model != embedder.name or m.dim != embedder.dim:
        raise ModelMismatch(
            f"the index was built with {m.model} (dimension {m.dim}) but the bot uses {embedder.name} "
            f"(dimension {embedder.dim}); run `qa index --full` to rebuild it, or choose --model {m.model}"
        )
    if m.encoder != embedder.encoder:  # same weights, but int8 and fp32 vectors are not interchangeable
        raise ModelMismatch(
            f"the index was built with the {m.encoder} encoder but the bot uses {embedder.encoder}; "
            f"run `qa index --full` to rebuild it, or set QA_ENCODER={m.encoder}"
        )


def format_time(seconds: float) -> str:
    """Local time of an index build, as the CLI and the page show it."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))
