"""Choosing and building the dense (FAISS) index: exact below a corpus size, IVF above it.

Below ``ann_threshold`` passages the index is exact (``IndexFlatIP`` under an id map): a
question scans every vector, which is a few milliseconds up to ~10^5 passages. Above it the
vectors go into an inverted file (``IndexIVFFlat``, inner product, ``nlist`` ≈ √N rounded to a
power of two) and a question scans ``nprobe`` lists; the default ``nprobe`` is the one the
benchmark measured to keep recall@10 ≥ 0.99 against the exact index (``qa bench``). IVF-Flat
keeps full vectors, so the fusion step can still read back any passage's exact vector and the
index shrinks and grows in place (``remove_ids``/``add_with_ids``) between rebuilds; it is
retrained when the corpus has grown 4× since it was trained.
"""

from __future__ import annotations

import math
import os

import faiss
import numpy as np

#: Train the coarse quantizer on at most this many vectors per list (FAISS warns below 39).
_TRAIN_PER_LIST = 40


def kind_of(index: faiss.Index) -> str:
    """``flat`` or ``ivf<nlist>``, as the manifest records it."""
    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap) else index
    return f"ivf{inner.nlist}" if isinstance(inner, faiss.IndexIVF) else "flat"


def empty_flat(dim: int) -> faiss.Index:
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def nlist_for(n: int) -> int:
    return max(16, 2 ** round(math.log2(max(math.sqrt(n), 1))))


def all_vectors(index: faiss.Index) -> tuple[np.ndarray, np.ndarray]:
    """(ids, vectors) of every passage in a flat or IVF index."""
    if isinstance(index, faiss.IndexIDMap):  # flat under IndexIDMap2
        ids = faiss.vector_to_array(index.id_map).astype(np.int64)
        flat = faiss.downcast_index(index.index)
        vectors = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, flat.d).copy()
        return ids, vectors
    ivf = faiss.extract_index_ivf(index)
    invlists = ivf.invlists
    ids_out, vec_out = [], []
    for lst in range(ivf.nlist):
        size = invlists.list_size(lst)
        if not size:
            continue
        ids_out.append(faiss.rev_swig_ptr(invlists.get_ids(lst), size).copy())
        codes = faiss.rev_swig_ptr(invlists.get_codes(lst), size * invlists.code_size)
        vec_out.append(np.frombuffer(codes.tobytes(), dtype=np.float32).reshape(size, ivf.d))
    if not ids_out:
        return np.zeros(0, np.int64), np.zeros((0, ivf.d), np.float32)
    return np.concatenate(ids_out).astype(np.int64), np.vstack(vec_out)


def build_ivf(ids: np.ndarray, vectors: np.ndarray, nlist: int | None = None, seed: int = 1234) -> faiss.Index:
    """An IVF-Flat inner-product index over ``vectors`` with a direct map (exact vectors by id)."""
    n, dim = vectors.shape
    nlist = nlist or nlist_for(n)
    quantizer = faiss.IndexFlatIP(dim)
    ivf = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    ivf.cp.seed = seed
    ivf.cp.niter = 10
    sample = min(n, nlist * _TRAIN_PER_LIST)
    rows = np.random.default_rng(seed).choice(n, sample, replace=False) if sample < n else np.arange(n)
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(os.cpu_count() or 1)  # training and adding do use every core
    try:
        ivf.train(np.ascontiguousarray(vectors[np.sort(rows)], dtype=np.float32))
        ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
        ivf.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
    finally:
        faiss.omp_set_num_threads(threads)
    return ivf


def fit(index: faiss.Index, threshold: int) -> faiss.Index:
    """The index to publish for its current size: flat below ``threshold`` (with hysteresis: an
    IVF index goes back to flat under half of it), IVF above, retrained after 4× growth (an
    index of nlist lists was trained for about nlist² passages)."""
    n = int(index.ntotal)
    kind = kind_of(index)
    if kind == "flat" and n < threshold:
        return index
    if kind != "flat" and n >= threshold // 2 and n < 4 * int(kind[3:]) ** 2:
        return index
    ids, vectors = all_vectors(index)
    if n < threshold:
        flat = empty_flat(vectors.shape[1])
        flat.add_with_ids(vectors, ids)
        return flat
    return build_ivf(ids, vectors)


def search(index: faiss.Index, query: np.ndarray, n: int, nprobe: int) -> tuple[np.ndarray, np.ndarray]:
    """(similarities, ids) of the ``n`` nearest vectors to one query.

    One query is searched on one thread: OpenMP's thread team costs more than it saves for a
    single vector, and on a busy machine its spinning threads made a 2,000-vector flat search
    take 30 ms instead of well under one.
    """
    if faiss.omp_get_max_threads() != 1:
        faiss.omp_set_num_threads(1)
    params = faiss.SearchParametersIVF(nprobe=nprobe) if kind_of(index) != "flat" else None
    q = np.asarray(query, dtype=np.float32)[None, :]
    sims, ids = index.search(q, n, params=params) if params else index.search(q, n)
    return sims[0], ids[0]


def vector(index: faiss.Index, pid: int) -> np.ndarray:
    return index.reconstruct(int(pid))
