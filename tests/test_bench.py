"""``qa bench`` end to end on a tiny set (the real model, FAISS, bm25s): every part runs and reports."""

from __future__ import annotations

import json

from qa import Config
from qa.bench import timing
from qa.bench.run import Options, run
from qa.index.pipeline import STAGES

CONTEXTS = [
    "2031年4月2日，石桥镇镇长柯文远主持召开春季植树工作会议。会议要求各村抓紧完成任务。全镇共植树一万二千株。",
    "南湖区第一季度新建公共充电桩418个。区发改委表示，年底前还将新建600个。充电桩主要分布在小区和商场。",
    "市图书馆新馆于去年十月开放。新馆藏书一百二十万册。开放首月接待读者八万人次，周末人数最多。",
]
QUESTIONS = ["谁主持召开了春季植树工作会议？", "南湖区第一季度新建了多少个充电桩？", "市图书馆新馆藏书多少册？"]


def test_bench_runs_every_part(tmp_path):
    squad = {"data": [{"title": f"t{i}", "paragraphs": [{"id": f"c{i}", "context": c, "qas": [
        {"id": f"q{i}", "question": q, "answers": [{"text": "x", "answer_start": 0}]}]}]}
        for i, (c, q) in enumerate(zip(CONTEXTS, QUESTIONS))]}
    dataset = tmp_path / "tiny.json"
    dataset.write_text(json.dumps(squad, ensure_ascii=False), encoding="utf-8")
    config = Config.from_env(cache_dir=tmp_path / "cache", ann_threshold=200)
    stages: set[str] = set()
    results = run(config, Options([dataset], tmp_path / "out", sizes=[300], questions=3, encode_sample=2,
                                  random_from=300, cold_start_size=0, index_contexts=3),
                  progress=lambda stage, done, total: stages.add(stage))
    built = results["indexing"]
    assert built["files"] == 3 and built["passages"] == built["embedded"] == 3  # every passage encoded, no cache
    assert set(built["stages"]) == set(STAGES) and all(built["stages"][s] > 0 for s in STAGES), built["stages"]
    assert built["per_second"] > 0 and built["encoder_alone"]["passages"] == built["baseline"]["passages"] == 3
    assert built["speedup"] == built["per_second"] / built["baseline"]["per_second"]
    assert [t["encoder"] for t in results["encoders"]["throughput"]] == ["torch", "onnx-int8"]
    assert {r["r1"] for r in results["encoders"]["recall"]} == {1.0}
    row, = results["scale"]
    assert row["passages"] == 300 and row["dense_kind"].startswith("ivf") and set(row["latency"]) == {"flat", "ivf"}
    assert 0 < row["latency"]["ivf"]["total"]["p50"] and row["recall_at_10"] >= 0.9  # IVF against exact search
    assert row["rss_serving"] > 100 * 2**20  # a real process: Python, the model, the index
    assert {"build", "write", "recall@10", "ask 300 ivf"} <= stages
    assert {p.split("/")[-1] for p in results["files"]} == {"bench.json", "bench.md", "bench.png"}
    report = (tmp_path / "out" / "bench.md").read_text(encoding="utf-8")
    assert "## Indexing end to end" in report and all(f"| {s} |" in report for s in STAGES)


def test_cold_start_reaches_the_page_and_a_first_answer(seed_bot, seed_dirs):
    cold = timing.cold_start(seed_dirs[1], runs=1, question="谁主持召开了市委常委会第167次会议？")
    assert 0 < cold["best"] <= cold["warm_median"] <= cold["first_answer_median"]
    assert cold["heavy_modules"] == "-"  # no torch, transformers or sentence-transformers
