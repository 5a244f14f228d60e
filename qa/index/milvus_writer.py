"""Writing a Milvus-backed generation: SQLite in the new folder, rows in a Milvus collection.

How the local store's guarantees map onto Milvus (see ``milvus_generation`` for the row tags):

* An incremental update reuses the live collection: the new passages are inserted born in the
  new generation, the rows of removed or changed files get ``died`` = the new generation (a
  partial upsert of one field). Nothing becomes visible until ``Store.publish`` switches CURRENT,
  because every reader filters by its own generation number.
* A full rebuild (``qa index --full``, another store or URI, an unusable index) writes a fresh
  collection named after the new generation; the old one is dropped once no kept generation
  refers to it.
* A crash leaves rows born after the live generation, or marked died after it. The next writer
  (under the single-writer lock) deletes the first and revives the second before it reuses the
  collection, since it may reuse the dead writer's generation number.
* After publishing, rows that died before the oldest kept generation are deleted and collections
  no kept generation names are dropped.

Milvus is written only in :meth:`MilvusWriter.finish`: until then the update lives in the folder.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from . import milvus_client
from .generation import read_manifest
from .milvus_bm25 import passage_vector, update_vocabulary
from .milvus_client import ALIVE
from .milvus_generation import DENSE, SPARSE, MilvusGeneration
from .records import Manifest, crash_point
from .writer import MetadataWriter

#: Rows per Milvus request.
BATCH = 2000


class MilvusWriter(MetadataWriter):
    """Builds a new Milvus-backed generation from the previous one (or from nothing) plus changes."""

    def __init__(self, tmp: Path, name: str, previous: MilvusGeneration | None, model: str, dim: int,
                 encoder: str, uri: str, store_uri: str):
        super().__init__(tmp, name, previous, model, dim, encoder)
        self.root = tmp.parent
        self.uri, self.store_uri = uri, store_uri  # resolved; as configured ("" = Lite in the folder)
        self.number = milvus_client.generation_number(name)
        self.client = milvus_client.acquire(uri)
        self.fresh = previous is None or previous.size == 0
        self.collection = milvus_client.collection_name(self.root, name) if self.fresh else previous.collection
        self.avgdl = 0.0 if self.fresh else float(previous.manifest.milvus["avgdl"])
        self.removed: list[int] = []
        self.added: list[tuple[np.ndarray, list[str], np.ndarray]] = []  # (ids, source per row, vectors)
        if not self.fresh:
            undo_unfinished(self.client, self.collection, previous.number)

    def remove_file(self, source: str) -> list[int]:
        ids = super().remove_file(source)
        self.removed.extend(ids)
        return ids

    def add_file(self, record, passages, words, vectors) -> np.ndarray:
        ids = super().add_file(record, passages, words, vectors)
        if len(ids):
            self.added.append((ids, [p.source for p in passages], np.asarray(vectors, dtype=np.float32)))
        return ids

    def finish(self, progress=None) -> Manifest:
        """Write the vocabulary, the rows into Milvus and the manifest (``progress`` is accepted for
        the local writer's signature; inserting reports nothing finer)."""
        self.db.commit()
        ids, words = self.all_words()
        vocab = update_vocabulary(self.db, words)
        self.db.commit()
        if self.fresh:
            self.avgdl = float(np.mean([len(w) for w in words])) if words else 0.0
            create_collection(self.client, self.collection, self.dim)
        words_of = dict(zip(ids, words))
        files = self.db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        self.db.close()
        born_here = {int(i) for batch, _, _ in self.added for i in batch}
        died = [{"id": int(i), "died": self.number} for i in self.removed if int(i) not in born_here]
        for start in range(0, len(died), BATCH):
            self.client.upsert(self.collection, died[start:start + BATCH], partial_update=True)
        rows = [{"id": int(i), DENSE: v.tolist(), SPARSE: passage_vector(words_of[int(i)], vocab, self.avgdl),
                 "source": src[:1000], "born": self.number, "died": ALIVE}
                for batch, sources, vectors in self.added for i, src, v in zip(batch, sources, vectors)
                if int(i) in words_of]  # a file added, then removed again in one update, has none
        for start in range(0, len(rows), BATCH):
            self.client.insert(self.collection, rows[start:start + BATCH])
            crash_point("milvus:inserting")
        self.client.flush(self.collection)
        milvus = {"uri": self.store_uri, "collection": self.collection, "number": self.number, "avgdl": self.avgdl}
        manifest = Manifest(self.name, self.model, self.dim, files, len(ids), time.time(), self.checksums(),
                            encoder=self.encoder, dense_kind="milvus-flat", store="milvus", milvus=milvus)
        (self.tmp / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
        return manifest

    def published(self, root: Path) -> None:
        """Once the new generation is live: delete what no kept generation can see."""
        collect_garbage(self.client, root)

    def abort(self) -> None:
        try:
            super().abort()
        finally:
            self.close()

    def close(self) -> None:
        if self.client is not None:
            self.client = None
            milvus_client.release(self.uri)


def create_collection(client, name: str, dim: int) -> None:
    from pymilvus import DataType

    if client.has_collection(name):  # left by a writer that died before publishing this name
        client.drop_collection(name)
    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field(DENSE, DataType.FLOAT_VECTOR, dim=dim)
    schema.add_field(SPARSE, DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("source", DataType.VARCHAR, max_length=4000)
    schema.add_field("born", DataType.INT64)
    schema.add_field("died", DataType.INT64)
    params = client.prepare_index_params()
    params.add_index(DENSE, index_type="FLAT", metric_type="IP")
    params.add_index(SPARSE, index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    # Indexes apart from creation: with them, pymilvus waits on a call Milvus Lite lacks (~1 s).
    client.create_collection(name, schema=schema, consistency_level="Strong")
    client.create_index(name, params, sync=False)
    client.load_collection(name)


def undo_unfinished(client, collection: str, live: int) -> None:
    """Forget what writers that never published did to ``collection`` after generation ``live``."""
    client.load_collection(collection)
    client.delete(collection, filter=f"born > {live}")
    revived = client.query(collection, filter=f"died > {live} and died < {ALIVE}", output_fields=["id"])
    rows = [{"id": int(r["id"]), "died": ALIVE} for r in revived]
    for start in range(0, len(rows), BATCH):
        client.upsert(collection, rows[start:start + BATCH], partial_update=True)
    client.flush(collection)


def collect_garbage(client, root: Path) -> None:
    """Rows dead before the oldest kept generation, and collections no kept generation names."""
    oldest: dict[str, int] = {}  # collection → oldest kept generation number using it
    for folder in sorted(root.glob("gen-*")):
        if not folder.is_dir() or ".tmp-" in folder.name:
            continue
        try:
            manifest = read_manifest(folder)
        except Exception:  # a damaged old generation is never loaded again
            continue
        if manifest.store == "milvus":
            name, number = manifest.milvus["collection"], int(manifest.milvus["number"])
            oldest[name] = min(oldest.get(name, number), number)
    prefix = f"qa_{milvus_client.index_id(root)}_"
    for name in client.list_collections():
        if name.startswith(prefix) and name not in oldest:
            client.drop_collection(name)
    for name, number in oldest.items():
        if client.has_collection(name):
            client.delete(name, filter=f"died <= {number}")

