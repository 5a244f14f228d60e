"""Incremental indexing of a corpus of 2,000+ passages: only what changed is embedded.

The corpus is built once per module: 40 files of short, distinct, generated paragraphs plus
three files of facts the tests ask about. Every test works on its own copy of the corpus and
of the index (the embedding cache included), so the tests do not depend on each other.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np
import pytest

from qa import Bot, Config
from qa.index.indexer import update_index
from qa.index.store import Store
from qa.ingest.passages import document_passages
from qa.ingest.readers import read_document
from qa.ingest.tokens import words
from tests.helpers.corpus import generations, leftovers, synthetic_file

SYNTHETIC_FILES, PER_FILE = 40, 50

REMOVE_FACTS = [
    "2031年9月3日，白沙镇镇长鲁思远主持召开全镇秋粮收购工作推进会，研究部署收购任务。",
    "会议要求各村在9月底前完成秋粮收购点的设置和检修。",
    "白沙镇今年秋粮预计总产量比去年增长百分之六。",
]
REMOVE_QUESTION = ("谁主持召开了全镇秋粮收购工作推进会？", "鲁思远")
CHANGE_FACTS = [
    "红枫县交通运输局发布了今年第一季度的新能源设施建设情况。",
    "第一季度，红枫县新建公共充电桩418个，覆盖全部乡镇。",
    "新建的充电桩主要分布在高速服务区和县城停车场。",
]
CHANGE_QUESTION = "第一季度红枫县新建了多少个公共充电桩？"
MOVE_FACTS = [
    "2031年11月20日，蓝湖区区长费立新出席了全区冬季供暖保障工作会议。",
    "会议通报了供暖管网改造进度，并部署了应急抢修工作。",
]
MOVE_QUESTION = ("费立新出席了什么会议？", "供暖保障工作会议")
ADD_FACTS = [
    "2031年5月8日，青松县县长乔振宇主持召开全县防汛抗旱工作第十二次会议，部署汛期安全工作。",
    "会议要求各乡镇在6月1日前完成堤坝和水库的汛前巡查。",
    "青松县今年新储备防汛沙袋两万条、救生衣三千件。",
    "县气象局预计今年主汛期降水比常年偏多两成。",
    "会议强调，要落实防汛责任人，确保群众生命财产安全。",
    "青松县应急管理局将在汛期实行二十四小时值班制度。",
    "各乡镇要组织群众开展防汛避险演练，提高自救互救能力。",
]
ADD_QUESTION = ("谁主持召开了全县防汛抗旱工作第十二次会议？", "乔振宇")


def lines(paragraphs: list[str]) -> str:
    return "\n".join(paragraphs) + "\n"


@dataclass
class Built:
    config: Config
    report: object


@pytest.fixture(scope="module")
def built(tmp_path_factory, embedder) -> Built:
    base = tmp_path_factory.mktemp("incremental")
    corpus = base / "corpus"
    for i in range(SYNTHETIC_FILES):
        folder = corpus / f"district-{i % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"briefs-{i:02d}.txt").write_text(synthetic_file(i * PER_FILE, PER_FILE), encoding="utf-8")
    (corpus / "facts-remove.txt").write_text(lines(REMOVE_FACTS), encoding="utf-8")
    (corpus / "facts-change.txt").write_text(lines(CHANGE_FACTS), encoding="utf-8")
    (corpus / "facts-move.txt").write_text(lines(MOVE_FACTS), encoding="utf-8")
    config = Config.from_env(corpus=corpus, index=base / "index")
    return Built(config, update_index(config, embedder))


@pytest.fixture
def work(built, tmp_path) -> Config:
    """A private copy of the built corpus and index."""
    shutil.copytree(built.config.corpus, tmp_path / "corpus")
    shutil.copytree(built.config.index, tmp_path / "index")
    return built.config.replace(corpus=tmp_path / "corpus", index=tmp_path / "index")


def passage_count(config: Config, path: Path) -> int:
    """How many passages the indexer makes of one file, computed independently."""
    doc = read_document(path, config.corpus.resolve(), config.max_file_bytes)
    return len(document_passages(doc, config.max_passage_chars))


def rows(config: Config, sql: str, args: tuple = ()) -> list[tuple]:
    generation = Store(config.index).load()
    try:
        return generation._query(sql, args)
    finally:
        generation.close()


def test_first_build_embeds_every_passage(built):
    report = built.report
    assert report.files == SYNTHETIC_FILES + 3
    assert report.passages >= 2000
    assert report.passages == SYNTHETIC_FILES * PER_FILE + len(REMOVE_FACTS) + len(CHANGE_FACTS) + len(MOVE_FACTS)
    assert report.embedded == report.passages
    assert len(report.added) == report.files and report.skipped == []


def test_unchanged_corpus_embeds_nothing_and_keeps_the_generation(work, embedder):
    before = generations(work.index)
    current = Store(work.index).current_name()
    report = update_index(work, embedder)
    assert report.embedded == 0
    assert not report.changed_anything and report.unchanged == SYNTHETIC_FILES + 3
    assert report.generation == current and generations(work.index) == before

    # The command says so too.
    cli = [sys.executable, "-m", "qa.app.cli", "--corpus", str(work.corpus), "--index", str(work.index), "index"]
    done = subprocess.run(cli, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "0 added, 0 changed, 0 removed" in done.stdout and "0 passages embedded" in done.stdout, done.stdout
    assert f"index {current}:" in done.stdout
    assert generations(work.index) == before and Store(work.index).current_name() == current


def test_adding_one_file_embeds_only_its_passages(work, embedder, built):
    bot = Bot(work, embedder, Store(work.index).load())
    question, expected = ADD_QUESTION
    assert not any(q.source == "new/flood.txt" for q in bot.ask(question).quotes)

    path = work.corpus / "new" / "flood.txt"
    path.parent.mkdir()
    path.write_text(lines(ADD_FACTS), encoding="utf-8")
    count = passage_count(work, path)
    assert count == len(ADD_FACTS)

    report = update_index(work, embedder)
    assert report.added == ["new/flood.txt"] and not report.changed and not report.removed
    assert report.embedded == count
    assert report.passages == built.report.passages + count
    generation = Store(work.index).load()
    assert generation.dense.ntotal == report.passages and generation.lexical.n == report.passages

    answer = bot.ask(question)  # the running bot picks up the new generation
    assert answer.found and expected in (answer.answer or ""), answer
    assert answer.quotes[0].source == "new/flood.txt"
    print(f"\nadding one file to {built.report.passages} passages embedded {report.embedded} passages")


def test_changed_file_replaces_its_passages(work, embedder, built):
    bot = Bot(work, embedder, Store(work.index).load())
    assert "418" in (bot.ask(CHANGE_QUESTION).answer or "")
    old_ids = {r[0] for r in rows(work, "SELECT id FROM passages WHERE source = ?", ("facts-change.txt",))}

    path = work.corpus / "facts-change.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("418个", "952个"), encoding="utf-8")
    report = update_index(work, embedder)
    assert report.changed == ["facts-change.txt"] and not report.added and not report.removed
    assert report.embedded == 1  # the other paragraphs of the file come from the cache
    assert report.passages == built.report.passages

    texts = rows(work, "SELECT id, text FROM passages WHERE source = ?", ("facts-change.txt",))
    assert len(texts) == len(CHANGE_FACTS)
    assert not any("418" in t for _, t in texts) and any("952个" in t for _, t in texts)
    assert not old_ids & {i for i, _ in texts}  # replaced, not patched in place
    assert rows(work, "SELECT COUNT(*) FROM passages WHERE text LIKE '%418个%'") == [(0,)]
    answer = bot.ask(CHANGE_QUESTION)
    assert "952" in (answer.answer or "") and "418" not in (answer.answer or ""), answer


def test_removed_file_leaves_vectors_bm25_and_metadata(work, embedder, built):
    bot = Bot(work, embedder, Store(work.index).load())
    question, expected = REMOVE_QUESTION
    answer = bot.ask(question)
    assert answer.found and expected in (answer.answer or "") and answer.quotes[0].source == "facts-remove.txt"
    ids = [r[0] for r in rows(work, "SELECT id FROM passages WHERE source = ?", ("facts-remove.txt",))]
    assert len(ids) == len(REMOVE_FACTS)
    own = set(words("".join(REMOVE_FACTS)))
    others = set(words(" ".join(t for (t,) in rows(work, "SELECT text FROM passages WHERE source != ?",
                                                     ("facts-remove.txt",)))))
    unique = own - others
    assert "秋粮" in unique and "鲁思远" in "".join(unique), unique

    (work.corpus / "facts-remove.txt").unlink()
    report = update_index(work, embedder)
    assert report.removed == ["facts-remove.txt"] and report.embedded == 0
    assert report.passages == built.report.passages - len(REMOVE_FACTS)

    generation = Store(work.index).load()
    assert generation.dense.ntotal == report.passages
    assert not set(ids) & set(faiss.vector_to_array(generation.dense.id_map).tolist())  # vectors
    assert not set(ids) & set(generation.lexical.ids.tolist())  # BM25 rows
    assert not unique & set(generation.lexical.df)  # BM25 vocabulary
    assert generation.lexical.scores(sorted(unique)).max(initial=0) == 0
    assert rows(work, "SELECT COUNT(*) FROM passages WHERE source = ?", ("facts-remove.txt",)) == [(0,)]
    assert "facts-remove.txt" not in {f.source for f in generation.files()}
    assert generation.passages(ids) == {}

    answer = bot.ask(question)  # the same, running bot
    assert bot.generation.name == generation.name
    assert not any(q.source == "facts-remove.txt" for q in answer.quotes)
    assert expected not in (answer.answer or "")
    hits = bot.search(question, k=20)
    assert hits and not any(h.source == "facts-remove.txt" for h in hits)


def test_moved_file_embeds_nothing(work, embedder, built):
    target = work.corpus / "archive" / "2031" / "winter heating.txt"
    target.parent.mkdir(parents=True)
    (work.corpus / "facts-move.txt").rename(target)
    report = update_index(work, embedder)
    assert report.removed == ["facts-move.txt"] and report.added == ["archive/2031/winter heating.txt"]
    assert report.embedded == 0
    assert report.passages == built.report.passages

    bot = Bot(work, embedder, Store(work.index).load())
    question, expected = MOVE_QUESTION
    answer = bot.ask(question)
    assert answer.found and expected in (answer.answer or ""), answer
    assert answer.quotes[0].source == "archive/2031/winter heating.txt"
    assert leftovers(work.index) == []


def test_full_rebuild_reuses_the_cache(work, embedder, built):
    report = update_index(work, embedder, full=True)
    assert report.embedded == 0 and report.passages == built.report.passages
    generation = Store(work.index).load()
    # Same vectors as the incremental build (ids may differ): compare one passage by text.
    (pid, text), = rows(work, "SELECT id, text FROM passages WHERE text = ?", (CHANGE_FACTS[1],))
    vector = generation.vectors(np.asarray([pid]))[0]
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-4
    assert float(vector @ embedder.encode_passages([text])[0]) > 0.999


def test_an_index_whose_files_were_read_another_way_is_read_again(work, embedder, built):
    """A new way of reading files (Markdown, cleaning, lexical words) reaches an index built before
    it: every file is read again, and vectors of passages that did not change come from the cache."""
    import json

    from qa.ingest.passages import READING_VERSION

    current = Store(work.index).current_name()
    manifest = work.index / current / "manifest.json"
    stale = json.loads(manifest.read_text(encoding="utf-8"))
    del stale["reading"]  # as written before the field existed
    manifest.write_text(json.dumps(stale), encoding="utf-8")
    assert Store(work.index).load().manifest.reading == 0
    report = update_index(work, embedder)
    assert report.embedded == 0 and report.unchanged == 0 and report.passages == built.report.passages
    assert report.generation != current and Store(work.index).load().manifest.reading == READING_VERSION
