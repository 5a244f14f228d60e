"""Conversations as people hold them, on documents written for this test (tests/data/conversation/).

30 turns in four conversations with follow-ups of every kind: 他/她/他们, 该会议/这次会议, 当地,
那天, "那陈志强呢？", "那3月呢？", questions of every kind (who, who-chaired, when, time of day,
duration, where, number with unit, which meeting, yes/no, why, how, what). A turn passes when
its question is resolved as expected and answered: the short answer holds the expected text or,
for kinds without an extractor, the first quote does. All 30 must pass; the failures are printed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from qa import Bot, Config
from qa.answer.conversation import Conversation, Turn, resolve_follow_up
from qa.index.indexer import update_index
from qa.index.store import Store

DOCS = Path(__file__).resolve().parent / "data" / "conversation"

#: (question, text the resolved question must hold or None, expected kind, text the answer must hold)
CONVERSATIONS: list[list[tuple[str, str | None, str, str]]] = [
    [
        ("谁主持召开了市委常委会第42次会议？", None, "who-chaired", "王建国"),
        ("该会议是什么时候召开的？", "市委常委会第42次会议", "when", "3月5日"),
        ("这次会议在哪里举行？", "市委常委会第42次会议", "where", "扬州市行政中心"),
        ("那天扬州召开了什么会议？", "3月5日", "which-meeting", "市委常委会第42次会议"),
        ("谁出席会议并讲话？", None, "who", "李明华"),
        ("他是否出席了会议？", "李明华", "yes-no", "李明华"),
        ("会议要求粮食播种面积稳定在多少万亩以上？", None, "number", "360万"),
        ("该会议强调了什么？", "市委常委会第42次会议", "what", "农田水利"),
        ("会议开了多久？", None, "duration", "两个半小时"),
        ("会议几点召开？", None, "time-of-day", "上午9时"),
    ],
    [
        ("泰州市长陈志强主持召开了什么会议？", None, "which-meeting", "全市安全生产工作推进会"),
        ("还有谁参加了这次会议？", "全市安全生产工作推进会", "who", "刘芳"),
        ("她参加了哪个会议？", "刘芳", "which-meeting", "全市安全生产工作推进会"),
        ("那陈志强呢？", "陈志强参加了哪个会议", "which-meeting", "全市安全生产工作推进会"),
        ("那王建国呢？", "王建国参加了哪个会议", "which-meeting", "市委常委会第42次会议"),
        ("一季度泰州全市共排查企业多少家？", None, "number", "1860家"),
        ("泰州整改隐患多少处？", None, "number", "4300"),
        ("为什么泰州事故隐患仍然较多？", None, "why", "主体责任落实不到位"),
        ("如何加大执法检查力度？", None, "how", "明察暗访"),
    ],
    [
        ("一季度宿迁地区生产总值达到多少亿元？", None, "number", "925亿元"),
        ("宿迁地区生产总值同比增长多少？", None, "number", "6.1%"),
        ("宿迁工业增加值是多少亿元？", None, "number", "310亿元"),
        ("宿迁的市长是谁？", None, "who", "张伟明"),
        ("他表示全年计划实施多少个重大项目？", "张伟明", "number", "120个"),
        ("当地统计局什么时候发布数据？", "宿迁", "when", "5月8日"),
    ],
    [
        ("镇江市2月新增多少个就业岗位？", None, "number", "3200个"),
        ("那3月呢？", "镇江市3月新增多少个就业岗位", "number", "4100个"),
        ("孙海涛和周晓燕共同出席了什么会议？", None, "which-meeting", "全市文化旅游发展座谈会"),
        ("他们是什么时候出席座谈会的？", "孙海涛、周晓燕", "when", "6月18日"),
        ("其他与会人员还有哪些？", None, "what", "市文旅局"),
    ],
]
#: Kinds the reader has a short-answer extractor for: their answer must be in the short answer.
EXTRACTED = {"who", "who-chaired", "when", "where", "number", "which-meeting"}


@pytest.fixture(scope="module")
def conversation_bot(tmp_path_factory, embedder) -> Bot:
    base = tmp_path_factory.mktemp("conversation")
    shutil.copytree(DOCS, base / "corpus")
    config = Config.from_env(corpus=base / "corpus", index=base / "index")
    update_index(config, embedder)
    return Bot(config, embedder, Store(config.index).load())


def test_thirty_turns_resolved_and_answered(conversation_bot):
    """Every turn resolved as written and answered; the kinds with a short answer must give it."""
    assert sum(len(c) for c in CONVERSATIONS) == 30
    bot = conversation_bot
    failures = []
    for turns in CONVERSATIONS:
        conv = bot.conversation()
        for question, resolved, kind, expected in turns:
            answer = conv.ask(question)
            understood = answer.resolved_question or question
            short = answer.answer or ""
            quoted = answer.quotes[0].sentence if answer.quotes else ""
            got = short if kind in EXTRACTED else short + quoted
            problems = []
            if resolved and resolved not in understood:
                problems.append(f"understood as {understood!r}, wanted {resolved!r} in it")
            if answer.kind != kind:
                problems.append(f"kind {answer.kind}, wanted {kind}")
            if not answer.found or expected not in got:
                problems.append(f"answer {short!r} / quote {quoted[:40]!r}, wanted {expected!r}")
            if problems:
                failures.append(f"{question} → " + "; ".join(problems))
    print("\n".join(["conversation failures:", *failures] if failures else ["all 30 turns passed"]))
    assert not failures, "\n".join(failures)


def test_bot_ask_with_history_resolves_like_a_conversation(conversation_bot):
    history = [("谁主持召开了市委常委会第42次会议？", "王建国")]
    answer = conversation_bot.ask("该会议是什么时候召开的？", history=history)
    assert answer.resolved_question == "市委常委会第42次会议是什么时候召开的？"
    assert "3月5日" in (answer.answer or answer.quotes[0].sentence)  # the learned reader may quote alone
    conv = conversation_bot.conversation(history=history)
    assert conv.ask("他在哪里主持会议？").resolved_question.startswith("王建国")


def test_kind_without_extractor_says_so_and_quotes(conversation_bot):
    answer = conversation_bot.ask("为什么泰州事故隐患仍然较多？")
    assert answer.found and answer.answer is None and answer.quotes
    assert "没有提取短答案" in answer.message and "why" in answer.message


@pytest.mark.parametrize(
    ("history", "question", "resolved"),
    [
        ([("谁主持了会议？", "黄海")], "还有其他会议吗？", "还有其他会议吗？"),  # 其他 is a word
        ([("企业有多少家？", "26")], "他做了什么？", "他做了什么？"),  # a number is never a person
        ([("26家企业由谁负责？", None)], "他做了什么？", "他做了什么？"),
        ([("谁出席了会议？", "王建国、李明华")], "他们还出席了哪些会议？", "王建国、李明华出席了哪些会议？"),
        ([("会议在哪里召开？", "扬州")], "那里有多少家企业？", "扬州有多少家企业？"),
        ([("会议在什么时候召开？", "3月5日")], "那天还发生了什么？", "3月5日还发生了什么？"),
        ([("镇江市2月新增多少个就业岗位？", "3200个")], "那3月呢？", "镇江市3月新增多少个就业岗位？"),
        ([("王建国主持了什么会议？", "市委常委会第42次会议")], "那陈志强呢？", "陈志强主持了什么会议？"),
        ([("王建国主持了什么会议？", "市委常委会第42次会议")], "那次会在哪里开？", "市委常委会第42次会议在哪里开？"),
        ([], "那陈志强呢？", "那陈志强呢？"),
        ([("王建国主持了什么会议？", "市委常委会第42次会议")], "会议开了多久？", "市委常委会第42次会议开了多久？"),
        ([("王建国主持了什么会议？", "市委常委会第42次会议")], "会议室在几楼？", "会议室在几楼？"),  # a room
        ([("王建国主持了什么会议？", "市委常委会第42次会议")], "他参加了哪些会议？", "王建国参加了哪些会议？"),
        ([], "会议开了多久？", "会议开了多久？"),  # no meeting named yet
    ],
)
def test_references_are_typed(history, question, resolved):
    assert resolve_follow_up(question, history) == resolved


def test_a_quote_without_short_answer_still_names_the_day_for_that_day():
    one = Turn.of("市委常委会第42次会议是什么时候召开的？", None, "when",
                  quote="3月5日上午9时，扬州市委书记王建国主持召开市委常委会第42次会议。")
    day = one.entities["date"][0]
    assert day.startswith("3月5日")
    two = Turn.of("会议是什么时候召开的？", None, "when", quote="3月5日筹备，3月8日召开。")
    assert "3月5日" not in two.entities["date"] and "3月8日" not in two.entities["date"]  # which? no guess
    conv = Conversation()
    conv.turns.append(one)
    assert conv.resolve("那天扬州召开了什么会议？") == f"{day}扬州召开了什么会议？"


def test_conversation_keeps_turns_without_a_bot():
    conv = Conversation()
    conv.record("谁主持了市委常委会第42次会议？", "王建国", kind="who-chaired")
    assert conv.resolve("他还参加了哪些会议？") == "王建国参加了哪些会议？"
    assert conv.history == [("谁主持了市委常委会第42次会议？", "王建国")]
    conv.clear()
    assert conv.resolve("他还参加了哪些会议？") == "他还参加了哪些会议？"
    with pytest.raises(RuntimeError):
        conv.ask("问题？")


def test_example_questions_come_from_these_documents(conversation_bot):
    examples = conversation_bot.examples(6)
    assert len(examples) == 6 and len(set(examples)) == 6
    text = "".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.txt"))
    assert "谁主持了市委常委会第42次会议？" in examples or "谁主持了全市安全生产工作推进会？" in examples
    assert any(re.search("(参加|出席|主持)了哪些会议？$", q) for q in examples)
    assert any(q.endswith("是什么时候召开的？") for q in examples)
    for q in examples:  # every name in an example is in the documents, and the bot answers it
        core = re.split("(参加|出席|主持)了哪些|是什么时候", q.removeprefix("谁主持了"))[0].rstrip("？")
        assert core in text, q
        assert conversation_bot.ask(q).found, q
