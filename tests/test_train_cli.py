"""`qa train` and `qa eval --reader-model/--no-answer/--json` on a small SQuAD-style file written here."""

from __future__ import annotations

import json

import pytest

from .test_cli import qa

pytest.importorskip("sklearn")

PARAGRAPHS = [
    ("青河市委常委会3月5日召开第12次会议，市委书记李卫东主持会议。市长张海平出席会议并讲话。",
     [("青河市委常委会第12次会议由谁主持？", "李卫东"), ("谁出席会议并讲话？", "张海平")]),
    ("一季度青河全市新签约重大项目46个，总投资约320亿元。高新区复工最快。",
     [("一季度新签约重大项目多少个？", "46个"), ("总投资约多少？", "320亿元")]),
    ("第三届青河农业博览会于2023年9月18日在青河国际会展中心开幕，展期三天。",
     [("博览会什么时候开幕？", "2023年9月18日"), ("博览会在哪里开幕？", "青河国际会展中心")]),
    ("白鹭河发源于西岭山，流经青河市东部，全长87公里。河道治理由副市长周立群负责。",
     [("白鹭河发源于哪里？", "西岭山"), ("白鹭河全长多少？", "87公里")]),
    ("南港大桥于2019年建成通车，全长1.2公里，连接南港新区与老城区。",
     [("南港大桥哪一年建成通车？", "2019年"), ("南港大桥连接老城区和哪里？", "南港新区")]),
    ("东湖公园占地约50公顷，园内种植了120多种植物，是市民休闲的主要去处。",
     [("东湖公园占地多少？", "约50公顷"), ("园内种植了多少种植物？", "120多种")]),
]


def test_train_then_eval_with_that_model(tmp_path):
    data = {"data": [{"id": f"A{i}", "title": "", "paragraphs": [
        {"id": f"P{i}", "context": ctx, "qas": [{"id": f"Q{i}-{j}", "question": q, "answers": [
            {"text": a, "answer_start": ctx.index(a)}]} for j, (q, a) in enumerate(qas)]}]}
        for i, (ctx, qas) in enumerate(PARAGRAPHS)]}
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "model"
    report = json.loads(qa("--index", str(tmp_path / "ix"), "train", str(path), "--out", str(out)).stdout)
    assert report["questions"] == 12 and report["sentence_rows"] >= 12
    assert {p.name for p in out.iterdir()} == {"sentence.json", "span.json", "answerable.json"}
    figures = json.loads(qa("eval", str(path), "--reader-model", str(out), "--json").stdout)
    assert figures["n"] == 12
    assert {"em", "f1", "answered", "answered_em", "answered_f1", "r1", "r5", "mrr10", "quote_hit1",
            "quote_chars_median", "per_kind"} <= set(figures)
    assert figures["r1"] >= 0.8 and figures["quote_hit1"] >= 0.75 and figures["em"] <= figures["f1"]
    # em over all questions is the share given a short answer times how often it is right then
    assert figures["em"] == pytest.approx(figures["answered"] * figures["answered_em"], abs=1e-3)
    assert set(figures["per_kind"]) <= {"who", "when", "where", "number", "which meeting", "what", "other"}
    sample = json.loads(qa("eval", str(path), "--limit", "5", "--json").stdout)
    assert sample["n"] == 5
    none = json.loads(qa("eval", str(path), "--no-answer", "--json").stdout)
    assert none["indexed_paragraphs"] == 3 and none["answerable"] == 6
    assert none["unanswerable"] > 0
    for share, of in ((none["refused"], none["answerable"]), (none["false_answer"], none["unanswerable"])):
        assert share * of == pytest.approx(round(share * of), abs=1e-6)  # a count of questions, not a made-up share
