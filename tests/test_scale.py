"""The index that grows: approximate dense search above a size, BM25 from posting lists only,
and the two encoder paths kept apart by the index."""

from __future__ import annotations

import numpy as np
import pytest

from qa import Bot, Config
from qa.index import dense_index
from qa.index.indexer import update_index
from qa.index.lexical import Lexical
from qa.index.store import ModelMismatch, Store
from tests.helpers.corpus import synthetic_file


def _clustered(n: int, dim: int = 64, centres: int = 50, seed: int = 0) -> np.ndarray:
    """Unit vectors around random centres (embeddings cluster by topic; uniform noise does not)."""
    rng = np.random.default_rng(seed)
    c = rng.normal(size=(centres, dim))
    x = c[rng.integers(0, centres, n)] + 0.35 * rng.normal(size=(n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_ivf_recall_against_flat_and_exact_vectors():
    x = _clustered(20_000)
    ids = np.arange(100, 100 + len(x), dtype=np.int64)
    flat = dense_index.empty_flat(x.shape[1])
    flat.add_with_ids(x, ids)
    ivf = dense_index.fit(flat, threshold=10_000)
    assert dense_index.kind_of(ivf).startswith("ivf")
    queries = _clustered(200, seed=1)
    hits = 0
    for q in queries:
        exact = set(dense_index.search(flat, q, 10, 0)[1].tolist())
        approx = set(dense_index.search(ivf, q, 10, Config().nprobe)[1].tolist())
        hits += len(exact & approx)
    assert hits / (10 * len(queries)) >= 0.99
    assert np.allclose(dense_index.vector(ivf, 12_345), x[12_345 - 100])  # exact vectors by id
    got_ids, got = dense_index.all_vectors(ivf)
    order = np.argsort(got_ids)
    assert np.array_equal(got_ids[order], ids) and np.allclose(got[order], x)


def test_ivf_shrinks_back_to_flat_and_removes_in_place():
    x = _clustered(3_000)
    ids = np.arange(len(x), dtype=np.int64)
    flat = dense_index.empty_flat(x.shape[1])
    flat.add_with_ids(x, ids)
    ivf = dense_index.fit(flat, threshold=2_000)
    ivf.remove_ids(np.arange(0, 1_500, dtype=np.int64))
    assert ivf.ntotal == 1_500
    assert dense_index.kind_of(dense_index.fit(ivf, threshold=2_000)).startswith("ivf")  # hysteresis
    ivf.remove_ids(np.arange(1_500, 2_100, dtype=np.int64))
    back = dense_index.fit(ivf, threshold=2_000)
    assert dense_index.kind_of(back) == "flat" and back.ntotal == 900
    assert np.allclose(back.reconstruct(2_500), x[2_500])


def test_lexical_search_matches_full_scoring():
    rng = np.random.default_rng(3)
    vocab = [f"词{i}" for i in range(300)]
    docs = [[vocab[j] for j in rng.integers(0, 300, 30)] for _ in range(500)]
    ids = list(range(1000, 1500))
    lex = Lexical.build(ids, docs)
    query = [vocab[5], vocab[17], vocab[17], vocab[250], "不在词表"]
    full = lex.scores(query)
    top, scored = lex.search(query, 20)
    assert len(scored) == int((full > 0).sum()) < len(ids)  # only passages holding a word were scored
    for pid, s in scored.items():
        assert s == pytest.approx(full[lex.row_of[pid]], rel=1e-5)
    expected = [int(lex.ids[r]) for r in np.argsort(-full, kind="stable")[:20]]
    assert [round(scored[p], 4) for p in top] == [round(float(full[lex.row_of[p]]), 4) for p in expected]
    assert lex.search(["不在词表"], 5) == ([], {})


def test_index_goes_approximate_above_threshold_and_stays_incremental(small_corpus, embedder):
    corpus, index = small_corpus
    (corpus / "a.txt").write_text(synthetic_file(0, 40), encoding="utf-8")
    (corpus / "b.txt").write_text(synthetic_file(40, 80), encoding="utf-8")
    (corpus / "c.txt").write_text("2031年4月2日，石桥镇镇长柯文远主持召开春季植树工作会议。\n", encoding="utf-8")
    config = Config.from_env(corpus=corpus, index=index, ann_threshold=100)
    update_index(config, embedder)
    gen = Store(index).load()
    assert gen.manifest.dense_kind.startswith("ivf") and gen.manifest.encoder == embedder.encoder
    bot = Bot(config, embedder, gen)
    assert bot.ask("谁主持召开了春季植树工作会议？").answer == "柯文远"
    (corpus / "b.txt").unlink()
    update_index(config, embedder)
    gen = bot.generation
    assert gen.size == 41 and gen.manifest.dense_kind == "flat"  # 41 < 100 // 2: back to exact
    assert {f.source for f in gen.files()} == {"a.txt", "c.txt"}
    assert bot.ask("谁主持召开了春季植树工作会议？").answer == "柯文远"


def test_encoder_paths_agree_and_are_kept_apart(small_corpus, embedder):
    from qa.config import DEFAULT_MODEL
    from qa.index.embed import Embedder

    other = "torch" if embedder.encoder == "onnx-int8" else "onnx-int8"
    plain = Embedder(DEFAULT_MODEL, encoder=other)
    texts = ["市委书记主持召开常委会会议，研究部署防汛工作。", "第一季度新建公共充电桩418个。"]
    a, b = embedder.encode_passages(texts), plain.encode_passages(texts)
    assert (a * b).sum(axis=1).min() > 0.98  # same model, int8 against fp32
    assert embedder.vectors_id != plain.vectors_id  # the cache keeps the two apart
    corpus, index = small_corpus
    (corpus / "a.txt").write_text("石桥镇召开春季植树工作会议。\n", encoding="utf-8")
    config = Config.from_env(corpus=corpus, index=index)
    update_index(config, embedder)
    with pytest.raises(ModelMismatch, match="encoder"):
        update_index(config, plain)
    with pytest.raises(ModelMismatch, match="QA_ENCODER"):
        Bot.open(config=config.replace(encoder=other))
