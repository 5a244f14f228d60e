"""BM25 as sparse vectors, so that Milvus scores it with an inner product.

The project's own BM25 (``lexical.py``: jieba words, Lucene BM25, k1 1.2, b 0.75) splits into a
passage side and a question side:

    score(q, d) = Σ_{w in q} idf(w) · tf(w, d) / (tf(w, d) + k1 · (1 − b + b · len(d) / avgdl))

A passage's sparse vector holds the second factor for each of its words; a question's holds
idf(w) (times how often the question says w). Their inner product is the BM25 score. IDF comes
from the document frequencies of the live generation, so it is exact after every update;
``avgdl`` is fixed when a collection is built (a full rebuild) and kept by incremental updates,
whose passages are weighed with it (Milvus cannot re-weigh the rows that older generations still
read). Milvus's own BM25 function would tokenise by its own analyzer, not the project's words.

Words get stable integer ids from a vocabulary table in the generation's SQLite (copied to the
next generation with the rest), which also holds their document frequencies.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

from .lexical import B, K1, bm25_idf

SCHEMA = "CREATE TABLE IF NOT EXISTS vocab (word TEXT PRIMARY KEY, id INTEGER UNIQUE, df INTEGER)"


def update_vocabulary(db: sqlite3.Connection, all_words: list[list[str]]) -> dict[str, int]:
    """Give new words ids, set every word's document frequency; returns word → id."""
    db.execute(SCHEMA)
    ids = dict(db.execute("SELECT word, id FROM vocab"))
    df: Counter[str] = Counter()
    for words in all_words:
        df.update(set(words))
    next_id = max(ids.values(), default=-1) + 1
    new = []
    for word in sorted(w for w in df if w not in ids):
        ids[word] = next_id
        new.append((word, next_id, 0))
        next_id += 1
    db.executemany("INSERT INTO vocab VALUES (?, ?, ?)", new)
    db.execute("UPDATE vocab SET df = 0")
    db.executemany("UPDATE vocab SET df = ? WHERE word = ?", [(n, w) for w, n in df.items()])
    return ids


def read_vocabulary(db: sqlite3.Connection) -> tuple[dict[str, int], dict[str, int]]:
    """(word → id, word → document frequency) of a generation."""
    try:
        rows = db.execute("SELECT word, id, df FROM vocab").fetchall()
    except sqlite3.OperationalError:  # no passages were ever written
        return {}, {}
    return {w: i for w, i, _ in rows}, {w: d for w, _, d in rows if d}


#: The one dimension of a passage without BM25 words: Milvus refuses an empty sparse vector, and no
#: word ever gets this id, so no question scores the passage (as bm25s gives it nothing).
NO_WORDS = 2**32 - 2


def passage_vector(words: list[str], vocab: dict[str, int], avgdl: float) -> dict[int, float]:
    """The passage side of BM25 for each of its words (tf saturation and length norm)."""
    if not words:
        return {NO_WORDS: 1.0}
    norm = K1 * (1 - B + B * len(words) / avgdl) if avgdl > 0 else K1
    return {vocab[w]: tf / (tf + norm) for w, tf in Counter(words).items()}


def question_vector(words: list[str], vocab: dict[str, int], df: dict[str, int], n: int) -> dict[int, float]:
    """The question side: idf of each word the corpus holds, once per time the question says it."""
    out: dict[int, float] = {}
    for w in words:
        if w in df:
            out[vocab[w]] = out.get(vocab[w], 0.0) + bm25_idf(df[w], n)
    return out


def dot(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return float(sum(v * b.get(k, 0.0) for k, v in a.items()))
