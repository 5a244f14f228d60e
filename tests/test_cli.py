"""The `qa` command, run as a user runs it (a real process, the real model and index)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from .conftest import ROOT, SEED_QUESTIONS


def qa(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "qa.app.cli", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_index_reports_changes_then_nothing(small_corpus):
    corpus, index = small_corpus
    (corpus / "a.txt").write_text("2023年5月8日，市委书记李明远主持召开城市更新工作推进会。", encoding="utf-8")
    (corpus / "b.bin").write_bytes(b"\x00\x01")
    out = qa("--corpus", str(corpus), "--index", str(index), "index").stdout
    assert "added    a.txt" in out
    assert "skipped  b.bin: unsupported file type .bin" in out
    assert "1 passages embedded" in out
    out = qa("--corpus", str(corpus), "--index", str(index), "index").stdout
    assert "0 added, 0 changed, 0 removed" in out and "0 passages embedded" in out
    (corpus / "a.txt").unlink()
    out = qa("--corpus", str(corpus), "--index", str(index), "index").stdout
    assert "removed  a.txt" in out


def test_ask_json(seed_bot, seed_dirs):
    corpus, index = seed_dirs
    out = qa("--corpus", str(corpus), "--index", str(index), "ask", "谁主持召开了市委常委会第167次会议？", "--json")
    data = json.loads(out.stdout)
    assert data["answer"] == "黄钦" and data["found"] is True
    quote = data["quotes"][0]
    assert {"text", "sentence", "source", "paragraph", "score"} <= set(quote)
    assert quote["source"] == "001_267acecd1d091097.txt"
    assert data == json.loads(json.dumps(seed_bot.ask("谁主持召开了市委常委会第167次会议？").to_dict()))


def test_ask_plain_marks_the_answer_and_says_not_found(seed_bot, seed_dirs):
    corpus, index = seed_dirs
    out = qa("--corpus", str(corpus), "--index", str(index), "ask", "南通的代市长是谁？").stdout
    assert "【吳新明】" in out and "002_569066d2daf438f6.txt" in out
    proc = qa("--corpus", str(corpus), "--index", str(index), "ask", "北京市委书记是谁？", check=False)
    assert proc.returncode == 1 and "Not found in the documents" in proc.stdout


def test_ask_exit_status_is_the_same_with_and_without_json(seed_bot, seed_dirs):
    corpus, index = seed_dirs
    where = ("--corpus", str(corpus), "--index", str(index), "ask")
    for question, code in (("北京市委书记是谁？", 1), ("  ", 2)):  # 0 when answered: test_ask_json
        plain = qa(*where, question, check=False)
        as_json = qa(*where, question, "--json", check=False)
        assert plain.returncode == as_json.returncode == code, (question, plain.stderr, as_json.stderr)
        assert json.loads(as_json.stdout)["found"] is (code == 0)
        if code == 2:
            assert "The question is empty" in plain.stderr


def test_eval_seed_questions(seed_bot, seed_dirs):
    corpus, index = seed_dirs
    out = qa("--corpus", str(corpus), "--index", str(index), "eval", str(SEED_QUESTIONS), "--json").stdout
    report = json.loads(out)
    assert report["total"] == 12 and report["passed"] == 12, [r for r in report["results"] if not r["passed"]]


def test_eval_squad_style_file(tmp_path):
    contexts = [
        ("c1", "2023年5月8日，市委书记李明远主持召开城市更新工作推进会，研究部署老旧小区改造工作。", "谁主持召开了城市更新工作推进会？", "李明远"),
        ("c2", "截至6月底，全市新建5G基站3200个，覆盖所有乡镇。", "全市新建了多少个5G基站？", "3200个"),
        ("c3", "長江大橋全長一千六百七十米，於1968年建成通車。", "長江大橋哪一年建成通車？", "1968年"),
    ]
    data = {"data": [{"title": "t", "paragraphs": [
        {"id": cid, "context": ctx, "qas": [{"id": cid + "q", "question": q, "answers": [{"text": a}]}]}
        for cid, ctx, q, a in contexts]}]}
    path = tmp_path / "mini.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    env_cache = str(tmp_path / "cache")
    os.environ["QA_CACHE_DIR"] = env_cache
    try:
        report = json.loads(qa("eval", str(path), "--json").stdout)
    finally:
        del os.environ["QA_CACHE_DIR"]
    assert report["n"] == 3
    assert report["r1"] == 1.0 and report["quote_hit1"] == 1.0
    assert {"em", "f1", "answered", "answered_em", "answered_f1", "r5", "mrr10", "per_kind"} <= set(report)
    # The rules reader answers each of these three plainly written questions exactly.
    assert report["answered"] == 1.0 and report["em"] == 1.0


def test_status_and_bad_index(seed_bot, seed_dirs, tmp_path):
    corpus, index = seed_dirs
    out = qa("--corpus", str(corpus), "--index", str(index), "status").stdout
    assert "5 files" in out and "intfloat/multilingual-e5-small" in out
    proc = qa("--index", str(tmp_path / "nothing"), "status", check=False)
    assert proc.returncode == 2 and "no index" in proc.stderr


def test_index_watch_follows_the_folder(small_corpus):
    corpus, index = small_corpus
    (corpus / "a.txt").write_text("市委书记李明远主持召开城市更新工作推进会。", encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa.app.cli", "--corpus", str(corpus), "--index", str(index), "index", "--watch",
         "--interval", "0.5"], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    watchdog = threading.Timer(180, proc.kill)  # a hung watcher fails the test instead of hanging it
    watchdog.start()
    try:
        lines = iter(proc.stdout.readline, "")
        assert next(line for line in lines if "passages embedded" in line).startswith("1 added")
        (corpus / "b.txt").write_text("副市长赵一鸣主持召开防汛工作部署会。", encoding="utf-8")
        assert next(line for line in lines if line.startswith(("added", "changed"))) == "added    b.txt\n"
    finally:
        watchdog.cancel()
        proc.kill()
        proc.wait(timeout=30)
