"""The neural span reader: its windows, its decoding, the shipped delta read through int8 ONNX,
and the training command on a set written for the test."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qa.answer.span_reader import DELTA, DELTA_CONFIG, SpanReader, Window, best_span, window

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_window_keeps_the_focus_inside_and_the_question_first():
    q = [11, 12, 13]
    ids = list(range(100, 400))
    offsets = [(i, i + 1) for i in range(300)]
    w = window(q, ids, offsets, "x" * 300, (250, 259), max_tokens=64)
    room = 64 - len(q) - 4
    assert w.ids[:5] == [0, 11, 12, 13, 2] and w.ids[5] == 2 and w.ids[-1] == 2
    assert w.base == 6 and len(w.offsets) == room == len(w.ids) - 7
    assert w.first <= 250 and 259 < w.first + room  # the whole focus is in the window
    assert w.ids[w.base:w.base + room] == ids[w.first:w.first + room]
    near_end = window(q, ids, offsets, "x" * 300, (295, 299), max_tokens=64, shift=40)
    assert near_end.first == 300 - room  # never past the passage's end
    short = window(q, ids[:10], offsets[:10], "x" * 10, (3, 4), max_tokens=64)
    assert short.first == 0 and len(short.offsets) == 10


def test_best_span_is_the_highest_start_and_end_within_the_passage_and_length():
    context = "甲乙丙丁戊己"
    w = Window([0, 7, 2, 2, 5, 5, 5, 5, 5, 5, 2], 4, [(i, i + 1) for i in range(6)], context)
    start = np.full(11, -5.0)
    end = np.full(11, -5.0)
    start[1], end[1] = 9.0, 9.0  # the question's token: never an answer
    start[5], end[7] = 4.0, 4.0  # passage tokens 1..3: 乙丙丁
    start[8], end[4] = 6.0, 6.0  # an end before its start: not a span
    got = best_span(start, end, w, max_answer_tokens=5)
    assert (got.text, got.start, got.end) == ("乙丙丁", 1, 4)
    assert 0 < got.probability < 1 and got.margin > 0
    start[0] = end[0] = 12.0  # "no answer" far stronger
    assert best_span(start, end, w, max_answer_tokens=5).margin < 0
    assert best_span(start, end, w, max_answer_tokens=2).text != "乙丙丁"  # too long for the limit


@pytest.fixture(scope="module")
def shipped_reader():
    from qa.answer.model import SHIPPED
    from qa.index.bundled_model import bundled_model_path

    if not (SHIPPED / DELTA).is_file():
        pytest.fail("the shipped reader models lack the span reader's delta (qa train --span-reader)")
    return SpanReader(SHIPPED, bundled_model_path())


REPORT = ("本报讯 3月12日上午，青禾县政府召开第十四次常务会议，副县长梁启明主持会议。会议听取了全县春季农田水利建设"
          "情况的汇报，研究部署了下一阶段防汛备汛工作。会议指出，各乡镇要在4月15日前完成河道清障。")


@pytest.mark.parametrize("question, gold", [
    ("谁主持了青禾县政府第十四次常务会议？", "梁启明"),
    ("各乡镇要在什么时候前完成河道清障？", "4月15日"),
    ("青禾县政府第十四次常务会议是哪天召开的？", "3月12日"),
])
def test_the_shipped_reader_points_at_the_answer(shipped_reader, question, gold):
    sentence = REPORT.index("3月12日"), REPORT.index("。") + 1
    got = shipped_reader.read(question, REPORT, sentence)
    assert gold in got.text and len(got.text) <= len(gold) + 4, got
    assert REPORT[got.start:got.end] == got.text


def test_the_shipped_reader_says_less_where_the_window_does_not_answer(shipped_reader):
    sentence = 0, REPORT.index("。") + 1
    answered = shipped_reader.read("谁主持了青禾县政府第十四次常务会议？", REPORT, sentence)
    unanswered = shipped_reader.read("青禾县的森林覆盖率是多少？", REPORT, sentence)
    assert unanswered.margin < answered.margin and unanswered.probability < answered.probability


def test_the_onnx_model_reads_as_the_torch_model_it_was_built_from(shipped_reader):
    import torch

    from qa.answer.model import SHIPPED
    from qa.answer.span_model import load_trained
    from qa.index.bundled_model import bundled_model_path

    model = load_trained(bundled_model_path(), SHIPPED)
    for question in ("谁主持了青禾县政府第十四次常务会议？", "会议研究部署了什么工作？"):
        from qa.answer.span_reader import tokens

        q = tokens(shipped_reader.tokenizer, question)[0]
        ids, offsets = tokens(shipped_reader.tokenizer, REPORT)
        w = window(q, ids, offsets, REPORT, (0, 10), shipped_reader.max_tokens)
        with torch.no_grad():
            t = torch.tensor([w.ids])
            s, e = model(t, torch.ones_like(t))
        exact = best_span(s[0].numpy(), e[0].numpy(), w, shipped_reader.max_answer_tokens)
        fast = shipped_reader.read_window(w)
        assert fast.text == exact.text
        assert abs(fast.margin - exact.margin) < 1.5


def test_training_writes_a_delta_that_the_reader_loads(tmp_path):
    from qa.answer.span_model import load_trained
    from qa.index.bundled_model import bundled_model_path

    from .test_cli import qa

    paragraphs = []
    for i, (place, chair, day) in enumerate([("东川", "罗志平", "4月2日"), ("西岭", "韩晓东", "5月9日"),
                                             ("南浦", "邵可欣", "6月18日"), ("北塘", "钱卫国", "7月21日")]):
        context = f"{day}，{place}区政府召开常务会议，区长{chair}主持会议。会议研究了城区道路改造工作。"
        paragraphs.append({"context": context, "qas": [
            {"id": f"{i}a", "question": f"谁主持了{place}区政府常务会议？",
             "answers": [{"text": chair, "answer_start": context.index(chair)}]},
            {"id": f"{i}b", "question": f"{place}区政府常务会议在哪天召开？",
             "answers": [{"text": day, "answer_start": 0}]}]})
    data = tmp_path / "tiny.json"
    data.write_text(json.dumps({"data": [{"title": "t", "paragraphs": paragraphs}]}, ensure_ascii=False),
                    encoding="utf-8")
    out = tmp_path / "model"
    report = json.loads(qa("train", "--span-reader", str(data), "--out", str(out), "--epochs", "2",
                           "--score", str(data)).stdout)
    assert report["windows"] >= 8 and (out / DELTA).is_file()
    scored = report["scored_on"]
    assert scored["set"] == "tiny.json" and scored["n"] == 8  # every question's window, with its answer
    assert set(scored["em_at"]) == {"20%", "35%", "50%", "70%"}
    meta = json.loads((out / DELTA_CONFIG).read_text(encoding="utf-8"))
    assert meta["trained_on"] == ["tiny.json"] and meta["windows"] >= 8
    with np.load(out / DELTA) as arrays:
        adapters = [k for k in arrays.files if k.endswith(".b")]
        assert adapters and any(np.abs(arrays[k]).max() > 0 for k in adapters)  # B starts at zero: it learned
        assert (out / DELTA).stat().st_size < 10 * 2 ** 20
    model = load_trained(bundled_model_path(), out)
    assert any(p.abs().max() > 0 for n, p in model.named_parameters() if n.endswith(".b"))


def test_the_pipeline_reads_the_best_passage_once_and_proposes_its_span(tmp_path, embedder, monkeypatch):
    from qa import Bot, Config
    from qa.answer import pipeline
    from qa.answer.proposals import NEURAL
    from qa.index.indexer import update_index
    from qa.index.store import Store

    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "report.txt").write_text(REPORT + "\n\n会议还研究了城区停车设施建设规划，要求年内新增公共停车泊位2000个。\n",
                                       encoding="utf-8")
    read, proposed = [], []
    real_read, real_propose = pipeline.read_best, pipeline.propose
    monkeypatch.setattr(pipeline, "read_best", lambda *args: read.append(real_read(*args)) or read[-1])
    monkeypatch.setattr(pipeline, "propose", lambda *args: proposed.append(real_propose(*args)) or proposed[-1])
    for neural in (True, False):
        read.clear()
        config = Config.from_env(corpus=corpus, index=tmp_path / "ix", neural_reader=neural)
        update_index(config, embedder)
        bot = Bot(config, embedder, Store(config.index).load())
        answer = bot.ask("青禾县政府第十四次常务会议由谁主持？")
        assert answer.found and answer.answer == "梁启明"
        pointed = [p for p in proposed[-1] if NEURAL in p.origins]
        if neural:
            (got,) = read  # one window read
            assert got is not None and "梁启明" in got.reading.text  # "长梁启明": a token may cross a word's edge
            (p,) = pointed
            assert p.value == got.reading.text and p.neural_p == got.reading.probability > 0
        else:
            assert read == [None] and not pointed  # no reader, nothing read
