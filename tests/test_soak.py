"""``qa soak`` run small: a real ``qa serve`` process, HTTP clients, files changing, ``qa index`` runs.

The full run (16 clients × 10 minutes) is a command, not a test: see the README's "Sharing the page".
"""

from __future__ import annotations

import json

from qa.bench.soak import _judge
from qa.bench.evaluate import load_seed_questions
from tests.conftest import SEED_QUESTIONS


def test_soak_small(seed_bot, seed_dirs, capsys):
    from qa.app.cli import main

    corpus, index = seed_dirs
    files_before = sorted(p.name for p in corpus.iterdir())
    code = main(["--corpus", str(corpus), "--index", str(index), "soak", "--clients", "3", "--minutes", "0.4",
                 "--every", "2", "--questions", str(SEED_QUESTIONS), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["ok"], report
    assert report["errors"] == 0 and report["wrong_seed_answers"] == 0 and report["examples"] == []
    assert report["answers"] >= 20 and report["updates"] >= 2 and report["watcher_failed"] is False
    assert report["seed_right_before"] >= 6
    assert 0 < report["p50_s"] <= report["p95_s"] <= report["max_s"]
    assert report["memory_start_mb"] > 100 and report["memory_peak_mb"] >= report["memory_end_mb"]
    assert sorted(p.name for p in corpus.iterdir()) == files_before  # it changed copies, never these


def test_soak_judges_replies_by_the_gold_answers_of_the_questions_file():
    items = [item for item in load_seed_questions(SEED_QUESTIONS) if item["answers"]]
    assert items
    for item in items:
        gold = "；".join(item["answers"])  # some items need every gold answer ("all")
        quote = {"sentence": f"……{gold}……"}
        assert _judge(item, {"found": True, "answer": gold, "quotes": [quote]})
        assert not _judge(item, {"found": True, "answer": "某某", "quotes": [quote]})  # a wrong short answer
        assert not _judge(item, {"found": True, "answer": None, "quotes": [{"sentence": "无关的句子。"}]})
        assert not _judge(item, {"found": False, "answer": None, "quotes": []})


def test_soak_small_on_a_milvus_server(seed_bot, seed_dirs, tmp_path, monkeypatch, capsys):
    """The same soak with the Milvus store, on milvus-lite's own server (a Lite file is refused)."""
    from qa.app.cli import main
    from tests.helpers.milvus_server import milvus_server

    corpus, index = seed_dirs
    argv = ["--corpus", str(corpus), "--index", str(index), "soak", "--clients", "3", "--minutes", "0.4",
            "--every", "2", "--questions", str(SEED_QUESTIONS), "--json"]
    monkeypatch.setenv("QA_STORE", "milvus")
    assert main(argv) == 2
    assert "needs a Milvus server" in capsys.readouterr().err
    with milvus_server(tmp_path / "milvus") as uri:
        monkeypatch.setenv("QA_MILVUS_URI", uri)
        code = main(argv)
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["ok"], report
    assert report["errors"] == 0 and report["wrong_seed_answers"] == 0 and report["updates"] >= 2
    assert not (index / "milvus-id").exists()  # the seed index was left alone
