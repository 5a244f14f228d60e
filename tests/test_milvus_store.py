"""The Milvus store (QA_STORE=milvus) against a real Milvus Lite file: the same answers as the
local store, incremental updates and deletes, reopening, damage, and one process at a time.

A small corpus is written here (facts and generated briefs); the local and the Milvus index of
it are built with the tests' real model, vectors shared through the embedding cache.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

from qa import Bot, Config, CorruptIndex  # noqa: E402
from qa.index import milvus_client  # noqa: E402
from qa.index.indexer import update_index  # noqa: E402
from qa.index.milvus_generation import MilvusGeneration  # noqa: E402
from qa.index.store import Store  # noqa: E402
from qa.ingest.tokens import words  # noqa: E402
from tests.helpers.corpus import ROOT, leftovers, synthetic_file  # noqa: E402

FACTS = {
    "flood.txt": ["3月5日，滨江市水务局局长周明远主持召开全市防汛工作会议，部署今年汛期准备工作。",
                  "会议要求各区在4月底前完成主要河道的清淤和堤防巡查。"],
    "library.txt": ["滨江市图书馆新馆于9月1日正式对读者开放，新馆建筑面积约4.2万平方米。",
                    "新馆藏书一百二十万册，设有少儿阅览区和古籍修复室。"],
    "school/third.txt": ["滨江市第三中学校长林晓梅介绍，学校今年新建了两座实验楼。",
                         "新实验楼可同时容纳八百名学生上课。"],
    "notes.txt": ["的了和与及。"],  # a passage without a single BM25 word
}
QUESTIONS = [("谁主持召开了全市防汛工作会议？", "周明远"), ("滨江市第三中学的校长是谁？", "林晓梅"),
             ("滨江市图书馆新馆藏书多少册？", None), ("第7012号简报提到了哪位同志？", None),
             ("哪个区检查了垃圾分类工作？", None), ("第7031号简报涉及几个项目？", None)]
ADDED = ("flood-2.txt", ["4月2日，滨江市副市长高振华主持召开全市春季植树工作会议，并为志愿者授旗。"],
         "谁主持召开了全市春季植树工作会议？", "高振华")


def write_corpus(corpus: Path) -> None:
    for name, paragraphs in FACTS.items():
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    for i in range(4):
        (corpus / f"briefs/brief-{i}.txt").parent.mkdir(parents=True, exist_ok=True)
        (corpus / f"briefs/brief-{i}.txt").write_text(synthetic_file(7000 + i * 10, 6), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory, embedder) -> tuple[Config, Config]:
    """(local, milvus) configs over one corpus, both indexed."""
    base = tmp_path_factory.mktemp("milvus")
    corpus = base / "corpus"
    corpus.mkdir()
    write_corpus(corpus)
    local = Config.from_env(corpus=corpus, index=base / "local", store="local")
    milvus = Config.from_env(corpus=corpus, index=base / "milvus", store="milvus", milvus_uri="")
    update_index(local, embedder)
    update_index(milvus, embedder)
    return local, milvus


@pytest.fixture
def milvus_copy(built, tmp_path, embedder) -> Config:
    """A Milvus index of its own (a copy of the corpus; vectors from the shared cache)."""
    import shutil

    local, _ = built
    corpus = tmp_path / "corpus"
    shutil.copytree(local.corpus, corpus)
    (tmp_path / "index").mkdir()
    shutil.copy(local.index / "cache.sqlite", tmp_path / "index" / "cache.sqlite")
    config = Config.from_env(corpus=corpus, index=tmp_path / "index", store="milvus", milvus_uri="")
    report = update_index(config, embedder)
    assert report.embedded == 0
    return config


def open_bot(config: Config, embedder) -> Bot:
    return Bot(config, embedder, Store(config.index).load())


def rows(generation: MilvusGeneration, where: str) -> int:
    client = milvus_client.acquire(generation.uri)
    try:
        return client.query(generation.collection, filter=where, output_fields=["count(*)"])[0]["count(*)"]
    finally:
        milvus_client.release(generation.uri)


def test_milvus_finds_what_the_local_store_finds(built, embedder):
    local, milvus = built
    a, b = open_bot(local, embedder), open_bot(milvus, embedder)
    try:
        assert isinstance(b.generation, MilvusGeneration) and b.generation.manifest.store == "milvus"
        assert (b.generation.folder.parent / "milvus.db").is_dir()  # the default: Milvus Lite in the index
        assert b.status().passages == a.status().passages and b.status().files == a.status().files
        assert a.status().store == "local" and b.status().store.startswith("milvus qa_")
        for question, expected in QUESTIONS:
            x, y = a.search(question, 10), b.search(question, 10)
            assert [(h.source, h.passage.paragraph) for h in x] == [(h.source, h.passage.paragraph) for h in y]
            for h, g in zip(x, y):
                assert g.dense == pytest.approx(h.dense, abs=1e-4)
                assert g.lexical == pytest.approx(h.lexical, rel=1e-4, abs=1e-4)  # BM25 from sparse vectors
                assert g.score == pytest.approx(h.score, abs=1e-3)
            answer = b.ask(question)
            assert answer.answer == a.ask(question).answer
            if expected:
                assert expected in (answer.answer or "")
        for word in ("防汛", "简报", "未见过的词"):
            assert b.generation.idf(word) == pytest.approx(a.generation.idf(word))
    finally:
        a.close()
        b.close()


def test_incremental_add_change_remove_and_reopen(milvus_copy, embedder):
    config = milvus_copy
    bot = open_bot(config, embedder)
    first = bot.generation
    name, paragraphs, question, expected = ADDED
    (config.corpus / name).write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    (config.corpus / "library.txt").write_text("滨江市图书馆新馆于10月8日正式对读者开放。\n", encoding="utf-8")
    (config.corpus / "briefs/brief-3.txt").unlink()
    report = bot.update()
    assert (report.added, report.changed, report.removed) == ([name], ["library.txt"], ["briefs/brief-3.txt"])
    assert report.embedded == 2
    assert bot.search(question, 1)[0].source == name
    assert "10月8日" in bot.search("滨江市图书馆新馆什么时候开放？", 1)[0].passage.text
    assert not any(h.source == "briefs/brief-3.txt" for h in bot.search("第7031号简报涉及几个项目？", 10))
    second = bot.generation
    assert second.name != first.name and second.collection == first.collection  # rows tagged, not copied
    # The generation a reader still holds keeps answering from its own rows.
    old_ids, _ = first.lexical_search(words("第7031号简报涉及几个项目"), 10)
    assert "briefs/brief-3.txt" in {p.source for p in first.passages(old_ids).values()}
    new_ids, _ = second.lexical_search(words("第7031号简报涉及几个项目"), 10)
    assert "briefs/brief-3.txt" not in {p.source for p in second.passages(new_ids).values()}
    assert rows(second, f"born > {second.number}") == 0

    bot.remove("flood.txt")  # a delete
    assert "flood.txt" not in {s for s, _ in bot.status().files}
    assert all(h.source != "flood.txt" for h in bot.search("谁主持召开了全市防汛工作会议？", 10))
    status = bot.status()
    bot.close()

    reopened = open_bot(config, embedder)  # from disk: the folder and the Milvus Lite file
    try:
        assert reopened.status() == status
        assert reopened.search(question, 1)[0].source == name
        gen = reopened.generation
        assert rows(gen, f"born <= {gen.number} and died > {gen.number}") == gen.size
    finally:
        reopened.close()


def test_old_rows_and_collections_are_collected(milvus_copy, embedder):
    config = milvus_copy.replace(keep_generations=0)
    (config.corpus / "briefs/brief-0.txt").write_text(synthetic_file(8800, 3), encoding="utf-8")
    update_index(config, embedder)
    gen = Store(config.index).load()
    try:
        assert rows(gen, "id >= 0") == gen.size  # nothing dead is kept for no generation
    finally:
        gen.close()
    before = gen.collection
    update_index(config, embedder, full=True)  # a full rebuild writes a new collection
    gen = Store(config.index).load()
    try:
        assert gen.collection != before and rows(gen, "id >= 0") == gen.size
        client = milvus_client.acquire(gen.uri)
        assert client.list_collections() == [gen.collection]
        milvus_client.release(gen.uri)
    finally:
        gen.close()


def test_switching_store_reuses_cached_vectors(built, tmp_path, embedder):
    import shutil

    local, _ = built
    index = tmp_path / "index"
    shutil.copytree(local.index, index)
    config = local.replace(index=index, store="milvus")
    report = update_index(config, embedder)
    assert report.embedded == 0 and report.passages == Store(local.index).load().manifest.passages
    gen = Store(index).load()
    assert isinstance(gen, MilvusGeneration)
    gen.close()
    back = update_index(config.replace(store="local"), embedder)
    assert back.embedded == 0 and type(Store(index).load()).__name__ == "Generation"


def _drop_collection(client, gen: MilvusGeneration) -> None:
    client.drop_collection(gen.collection)


def _delete_rows(client, gen: MilvusGeneration) -> None:
    client.delete(gen.collection, filter=f"id >= {max(gen._query('SELECT id FROM passages'))[0] - 2}")
    client.flush(gen.collection)


@pytest.mark.parametrize(("damage", "message"), [(_drop_collection, "is missing"),
                                                 (_delete_rows, "are not in Milvus")],
                         ids=["dropped-collection", "deleted-rows"])
def test_damaged_milvus_index_is_detected_and_rebuilt(milvus_copy, embedder, damage, message):
    config = milvus_copy
    gen = Store(config.index).load()
    client = milvus_client.acquire(gen.uri)
    damage(client, gen)
    milvus_client.release(gen.uri)
    gen.close()
    with pytest.raises(CorruptIndex, match=message):
        Store(config.index).load()
    bot = Bot.open(config=config)
    try:
        assert "周明远" in (bot.ask(QUESTIONS[0][0]).answer or "")
        assert leftovers(config.index) == [] and bot.generation.count() == bot.generation.size
    finally:
        bot.close()


def _cli(config: Config, *args: str) -> list[str]:
    return [sys.executable, "-m", "qa.app.cli", "--corpus", str(config.corpus), "--index", str(config.index), *args]


def test_milvus_lite_serves_one_process_and_the_writer_lock_holds(milvus_copy, embedder):
    """Milvus Lite is one process at a time: a second process is told so (not a traceback), and
    gets in once the first lets go. The single-writer lock works as with the local store."""
    config = milvus_copy
    env = {"QA_STORE": "milvus", "QA_MILVUS_URI": "", "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    bot = open_bot(config, embedder)
    busy = subprocess.run(_cli(config, "index"), capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
    assert busy.returncode != 0 and "open in another process" in busy.stderr, busy.stderr
    assert "Traceback" not in busy.stderr
    bot.close()

    store = Store(config.index)
    with store.writing(wait=0):
        refused = subprocess.run(_cli(config, "index", "--wait", "0"), capture_output=True, text=True, timeout=300,
                                 cwd=ROOT, env=env)
        assert refused.returncode != 0 and "another process is writing" in refused.stderr, refused.stderr
    before = store.current_name()
    done = subprocess.run(_cli(config, "index", "--full"), capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env=env)
    assert done.returncode == 0, done.stderr
    assert store.current_name() != before and leftovers(config.index) == []
    bot = open_bot(config, embedder)
    try:
        assert "林晓梅" in (bot.ask(QUESTIONS[1][0]).answer or "")
    finally:
        bot.close()
