"""Starting fast: the serving path never imports torch, the model loads in the background, the
page's examples are read once per index generation, BM25 loads without bm25s, Gradio imports
without rewriting its type stubs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from qa.answer.example_cache import cached_examples
from qa.index.lexical import Lexical
from qa.index.store import Store

from .conftest import ROOT

#: What a serving process must not import with the default (onnx-int8) encoder and a cached model.
HEAVY = ("torch", "transformers", "sentence_transformers", "bm25s", "scipy", "pypinyin")


def test_serving_path_imports_nothing_heavy(seed_bot, seed_dirs):
    corpus, index = seed_dirs
    code = (
        "import sys\n"
        "from qa.config import Config\n"
        "from qa.app.startup import start\n"
        "bot, app = start(Config.from_env())\n"
        "answer = bot.ask('谁主持召开了市委常委会第167次会议？')\n"
        f"print(answer.answer, sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "QA_CORPUS": str(corpus), "QA_INDEX": str(index),
           "QA_ENCODER": "onnx-int8", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-2:] == ["黄钦", "[]"]


def test_gradio_is_imported_without_rewriting_its_type_stubs():
    code = (
        "import sys, qa.app, gradio as gr\n"
        "from gradio import component_meta\n"
        "from qa.app.gradio_import import _SkipStubWriting, _no_stub\n"
        "with gr.Blocks() as page:\n"
        "    box = gr.Textbox(label='问题'); gr.Button('问').click(lambda q: q, box, box)\n"
        "print(component_meta.create_or_modify_pyi is _no_stub,\n"
        "      any(isinstance(f, _SkipStubWriting) for f in sys.meta_path), len(page.fns))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "False", "1"]  # skipped; the finder is gone; the page works


def test_onnx_model_loads_in_background_and_encodes_as_before(embedder):
    from qa.config import DEFAULT_MODEL
    from qa.index.embed import Embedder

    if embedder.encoder != "onnx-int8":
        pytest.skip("the ONNX path only")
    fresh = Embedder(DEFAULT_MODEL)  # returns before the session and the tokenizer are loaded
    texts = ["市委书记主持召开常委会会议。", "第一季度新建公共充电桩418个。"]
    assert np.array_equal(fresh.encode_passages(texts), embedder.encode_passages(texts))  # waits for them
    fresh.warm()  # checks the dimension against the session's
    assert fresh.dim == embedder.dim == 384


def test_examples_are_computed_once_per_generation(seed_bot, seed_dirs, monkeypatch):
    generation = Store(seed_dirs[1]).load()
    try:
        (generation.folder / "examples.json").unlink(missing_ok=True)
        first = cached_examples(generation)
        stored = json.loads((generation.folder / "examples.json").read_text(encoding="utf-8"))
        assert stored == {"generation": generation.name, "n": 4, "questions": first} and first
        import qa.answer.examples

        monkeypatch.setattr(qa.answer.examples, "example_questions", lambda *a: pytest.fail("not read back"))
        assert cached_examples(generation) == first == seed_bot.examples()
        again = Store(seed_dirs[1]).load()  # the extra file leaves the checksums intact
        assert again.name == generation.name
        again.close()
    finally:
        generation.close()


def test_bm25_loads_from_disk_without_bm25s(tmp_path):
    rng = np.random.default_rng(5)
    vocab = [f"词{i}" for i in range(200)]
    docs = [[vocab[j] for j in rng.integers(0, 200, 20)] for _ in range(300)]
    built = Lexical.build(list(range(10, 310)), docs)
    built.save(tmp_path / "lexical")
    loaded = Lexical.load(tmp_path / "lexical")
    query = [vocab[3], vocab[3], vocab[150], "不在词表"]
    assert loaded.search(query, 15) == built.search(query, 15)
    assert np.array_equal(loaded.scores(query), built.scores(query))
    assert loaded.idf(vocab[3]) == built.idf(vocab[3])


def test_qa_index_stores_the_examples(small_corpus):
    corpus, index = small_corpus
    (corpus / "a.txt").write_text("2023年5月8日，市委书记李明远主持召开城市更新工作推进会。\n", encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    subprocess.run([sys.executable, "-m", "qa.app.cli", "--corpus", str(corpus), "--index", str(index), "index"],
                   check=True, capture_output=True, env=env, cwd=ROOT, timeout=600)
    generation = Store(index).load()
    stored = json.loads((generation.folder / "examples.json").read_text(encoding="utf-8"))
    from qa.answer.examples import example_questions

    try:
        assert stored == {"generation": generation.name, "n": 4,
                          "questions": example_questions(generation.first_passages(400), 4)}
    finally:
        generation.close()


def test_memory_mapped_model_gives_the_same_vectors(embedder):
    if embedder.encoder != "onnx-int8":
        pytest.skip("the ONNX path only")
    import onnxruntime as ort

    from qa.index.fast_encoder import MAPPED

    folder = embedder.model._folder
    assert embedder.model.session._model_path.endswith(MAPPED)
    plain = ort.InferenceSession(str(folder / "model_int8.onnx"), providers=["CPUExecutionProvider"])
    ids = np.asarray([[0, 6, 250_000, 3_000, 17, 2]], dtype=np.int64)
    feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
    assert np.array_equal(plain.run(None, feed)[0], embedder.model.session.run(None, feed)[0])


def test_bm25_counting_and_sorting_paths_agree():
    rng = np.random.default_rng(9)
    docs = [["常见"] * int(rng.integers(1, 4)) + [f"词{j}" for j in rng.integers(0, 500, 10)] for _ in range(2_000)]
    lex = Lexical.build(list(range(5, 2_005)), docs)
    full = lex.scores(["常见", "词7"])
    top, scored = lex.search(["常见", "词7"], 50)  # long lists: counted into an array of every row
    rare_top, rare = lex.search(["词7"], 50)  # short ones: sorted
    assert len(scored) == 2_000 and 5 in scored and 4 not in scored and scored.get(4, 0.0) == 0.0
    assert all(scored[p] == pytest.approx(full[lex.row_of[p]], rel=1e-6) for p in top)
    assert set(rare) <= set(scored) and rare_top == [p for p in rare_top if p in rare]
