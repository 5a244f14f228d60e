"""A Milvus-store update killed with SIGKILL at any moment leaves a usable index (test_crash.py's
guarantee, for QA_STORE=milvus), on a Milvus Lite file and on a Milvus server (milvus-lite's
gRPC server in a process of its own, ``helpers/milvus_server.py``).

The kills happen in children forked by ``helpers/crash_runner.py``: while reading, embedding,
writing the folder, between inserting rows into Milvus and flushing them, at each step of the
publish, and after delays spread over a measured run. Milvus Lite serves one process at a time,
so with it this process opens the index only between runs; with a server a Bot stays open and
answering through every kill, as in test_crash.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

from qa import Bot, Config  # noqa: E402
from qa.index import milvus_client  # noqa: E402
from qa.index.indexer import update_index  # noqa: E402
from qa.index.store import Store  # noqa: E402
from tests.helpers.corpus import generations, leftovers, synthetic_file  # noqa: E402
from tests.helpers.milvus_server import milvus_server  # noqa: E402
from tests.test_crash import Runner  # noqa: E402
from tests.test_milvus_store import QUESTIONS, write_corpus  # noqa: E402

FRESH_FILES, FRESH_PASSAGES = 3, 2


@pytest.fixture(scope="module", params=["lite", "server"])
def target(request, tmp_path_factory):
    """(Milvus URI, crash runner whose children use it): "" is the Lite file in the index folder."""
    if request.param == "lite":
        r = Runner(env={"QA_STORE": "milvus", "QA_MILVUS_URI": ""})
        yield "", r
        r.close()
        return
    with milvus_server(tmp_path_factory.mktemp("milvus-server")) as uri:
        r = Runner(env={"QA_STORE": "milvus", "QA_MILVUS_URI": uri})
        yield uri, r
        r.close()


def indexed_corpus(tmp_path: Path, uri: str, embedder) -> tuple[Path, Config]:
    """The test corpus, indexed in the Milvus store at ``uri`` ("" is a Lite file in the index folder)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_corpus(corpus)
    config = Config.from_env(corpus=corpus, index=tmp_path / "index", store="milvus", milvus_uri=uri)
    update_index(config, embedder)
    return corpus, config


def live(index: Path) -> tuple[set[str], int]:
    """(files, passages) of the live generation, whose rows in Milvus are exactly its passages."""
    generation = Store(index).load()
    try:
        assert generation.count() == generation.size == len(generation._query("SELECT id FROM passages"))
        return {f.source for f in generation.files()}, generation.size
    finally:
        generation.close()


def unpublished_rows(index: Path) -> int:
    """Rows in the live collection that belong to no published generation yet."""
    generation = Store(index).load()
    client = milvus_client.acquire(generation.uri)
    try:
        return client.query(generation.collection, filter=f"born > {generation.number}",
                            output_fields=["count(*)"])[0]["count(*)"]
    finally:
        milvus_client.release(generation.uri)
        generation.close()


def next_round(corpus: Path, round_no: int) -> set[str]:
    for old in corpus.glob("fresh-*.txt"):
        old.unlink()
    for i in range(FRESH_FILES):
        (corpus / f"fresh-{round_no:02d}-{i}.txt").write_text(
            synthetic_file(610_000 + round_no * 100 + i * 10, FRESH_PASSAGES), "utf-8")
    return {p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt")}


def answers(config: Config, embedder) -> None:
    bot = Bot(config, embedder, Store(config.index).load())
    try:
        answers_now(bot)
    finally:
        bot.close()


def answers_now(bot: Bot) -> None:
    question, expected = QUESTIONS[0]
    assert expected in (bot.ask(question).answer or "")


def test_sigkill_of_a_milvus_update_leaves_a_working_index(tmp_path, target, embedder):
    uri, runner = target
    corpus, config = indexed_corpus(tmp_path, uri, embedder)
    running = Bot(config, embedder, Store(config.index).load()) if uri else None  # a server allows it
    next_round(corpus, 0)
    base = runner.run(corpus, config.index, True, None)
    assert not base["killed"] and base["exit"] == 0, base
    assert base["report"]["embedded"] == FRESH_FILES * FRESH_PASSAGES
    duration = base["seconds"]

    kills = (
        [({"stage": "read", "at": 2}, False), ({"stage": "embed", "at": 1}, False), ({"stage": "embed", "at": 3}, True),
         ({"stage": "write", "at": 1}, False), ({"stage": "write", "at": 1}, True)]
        + [({"crash_point": "milvus:inserting"}, full) for full in (False, True)]  # rows in, not flushed
        + [({"crash_point": p}, full) for p in ("publish:renamed", "publish:pointer-written", "publish:swapped")
           for full in (False, True)]
        + [({"stage": "write", "at": 2}, False)]
        + [({"after": round(duration * f, 3)}, f > 0.5) for f in (0.2, 0.4, 0.6, 0.75, 0.9)]
    )
    published = [{"crash_point": "publish:swapped"}, {"stage": "write", "at": 2}]
    killed = 0
    for round_no, (kill, full) in enumerate(kills, start=1):
        where = f"round {round_no}, kill {kill}, full {full}"
        before, _ = live(config.index)
        after = next_round(corpus, round_no)
        result = runner.run(corpus, config.index, full=full, kill=kill)
        killed += result["killed"]
        if "after" not in kill:
            assert result["killed"], (where, result)
        now, _ = live(config.index)  # loads: one whole generation, its rows all in Milvus
        assert now in (before, after), where
        if kill in published:
            assert now == after, where
        elif "after" not in kill:
            assert now == before, where
        if kill.get("crash_point") == "publish:renamed":
            assert generations(config.index)[-1] > Store(config.index).current_name(), where
        answers(config, embedder)
        if running:
            answers_now(running)

        report = update_index(config, embedder)  # finishes, undoes what the dead writer left, cleans up
        assert leftovers(config.index) == [], where
        files, passages = live(config.index)
        assert files == after and report.passages == passages, where
        assert unpublished_rows(config.index) == 0, where
        if kill.get("stage") == "embed":
            assert report.embedded == (FRESH_FILES - kill["at"]) * FRESH_PASSAGES, where
        elif "after" not in kill and kill.get("stage") != "read":
            assert report.embedded == 0, where
        answers(config, embedder)
        if running:
            answers_now(running)
            assert running.generation.name == Store(config.index).current_name()
    if running:
        running.close()
    assert killed >= len(kills) - 3, f"only {killed} of {len(kills)} runs were killed"


def test_rows_a_dead_writer_marked_removed_come_back(tmp_path, target, embedder):
    """A writer killed after marking a file's rows dead: when the next update keeps that file (it is
    back in the folder), its rows must be alive again, not lost to the generation tags."""
    uri, runner = target
    corpus, config = indexed_corpus(tmp_path, uri, embedder)
    before, passages = live(config.index)
    kept = (corpus / "flood.txt").read_bytes()
    (corpus / "flood.txt").unlink()
    (corpus / "fresh.txt").write_text(synthetic_file(620_000, 2), "utf-8")  # something to insert
    result = runner.run(corpus, config.index, full=False, kill={"crash_point": "milvus:inserting"})
    assert result["killed"], result
    assert live(config.index) == (before, passages)
    (corpus / "flood.txt").write_bytes(kept)
    report = update_index(config, embedder)
    assert report.added == ["fresh.txt"] and report.removed == [] and report.changed == []
    files, _ = live(config.index)  # every passage of the generation has its row again
    assert files == before | {"fresh.txt"}
    answers(config, embedder)
