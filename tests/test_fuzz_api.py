"""Property-based tests of the asking side: question analysis, conversations, Bot.ask and /ask.

Generated questions (random text of every Unicode category, lone surrogates included; seed
sentences cut up and turned into questions; follow-ups; English; blanks; questions just under
and over the length limit) with random histories and k. Nothing may raise; every answer keeps
Bot.ask's contract (a refusal or "not found" always carries its reason in ``message``; quotes
and their spans are whole); ``/ask``'s handler takes any JSON for the question and history.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from hypothesis import strategies as st

from qa import Answer
from qa.answer.question import Question, analyze
from tests.helpers.fuzz import report, run_property, seed_sentences


@pytest.fixture(scope="module", autouse=True)
def report_examples():
    yield
    print("\n" + report())


sentence = st.sampled_from(seed_sentences())
cut = st.builds(lambda s, a, b: s[min(a, b):max(a, b)], sentence, st.integers(0, 80), st.integers(0, 80))
ending = st.sampled_from(["是谁？", "是什么时候？", "在哪里？", "有多少？", "吗？", "为什么？", "怎么样？", "哪些会议？",
                          "由谁主持？", "几点开始？", "?", "", "呢", "召开了哪次会议"])
follow_up = st.sampled_from(["他还参加了哪些会议？", "她们呢？", "那里呢？", "那天开了什么会？", "那3月呢？",
                             "该会议由谁主持？", "那杜小刚呢？", "此人是谁？", "他", "那"])
english = st.sampled_from(["Who chaired the meeting?", "When?", "Where is Nantong", "How many companies",
                           "Who is the acting mayor of Beijing?", "meeting", "a" * 40])
any_text = st.text(st.characters(codec=None, exclude_categories=[]), max_size=120)
surrogates = st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3)
blanks = st.text(st.sampled_from(" \t\n\r\u3000\u200b\x00\f"), max_size=8)
questions = st.one_of(
    st.builds(lambda c, e: c + e, cut, ending), st.builds(lambda c, e: c + e, cut, ending), follow_up, english,
    any_text, any_text, blanks, st.builds(lambda a, s, b: a + s + b, cut, surrogates, ending),
    st.builds(lambda s, n: (s * 40)[:n], sentence, st.integers(290, 310)),  # around the length limit
    st.builds(lambda a, b: a + b, english, cut),
)
histories = st.lists(st.tuples(questions, st.one_of(st.none(), cut, any_text)), max_size=4)
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                                      max_size=3), max_leaves=12)


def check_question(text: str) -> None:
    q = analyze(text)
    assert isinstance(q, Question) and isinstance(q.kind, str) and q.kind
    assert all(isinstance(w, str) and w for w in q.words)


def check_answer(answer: Answer, question: str) -> None:
    """Bot.ask's contract, whatever was asked."""
    assert isinstance(answer, Answer) and isinstance(answer.found, bool)
    data = answer.to_dict()
    json.dumps(data, ensure_ascii=True)  # what the CLI and /ask send out
    if not answer.found:
        assert answer.message and answer.message.strip(), f"a refusal without its reason: {question!r}"
        assert not answer.quotes and answer.answer is None
        return
    assert answer.kind != "invalid" and answer.quotes
    for quote in answer.quotes:
        s, e = quote.sentence_span
        assert 0 <= s < e <= len(quote.text) and quote.text[s:e] == quote.sentence
        assert all(0 <= a < b <= len(quote.text) for a, b in quote.highlights)
        assert quote.sources and all(src.source for src in quote.sources)


def test_question_analysis_takes_anything():
    run_property("analyze", questions, check_question, 600)


def test_bot_ask_keeps_its_contract(seed_bot):
    def check(case):
        question, history, k = case
        check_answer(seed_bot.ask(question, history=history, k=k), question)

    run_property("Bot.ask", st.tuples(questions, histories, st.one_of(st.none(), st.integers(1, 10))), check, 300)


def test_conversation_turn_after_turn(seed_bot):
    def check(turns):
        conversation = seed_bot.conversation()
        for question in turns:
            check_answer(conversation.ask(question), question)
        assert all(isinstance(q, str) for q, _ in conversation.history)

    run_property("conversation", st.lists(questions, min_size=1, max_size=4), check, 100)


def test_ask_endpoint_takes_any_json(seed_bot):
    from qa.app.handlers import Handlers

    h = Handlers(seed_bot)
    h.limiter.rate = 0  # every call is one client here; the limit has its own test

    def check(case):
        question, history = case
        got = h.ask_api(question, history, SimpleNamespace(username=None, client=SimpleNamespace(host="fuzz")))
        json.dumps(got, ensure_ascii=True)
        assert isinstance(got["found"], bool) and isinstance(got["history"], list)
        if not got["found"]:
            assert got["message"], f"a refusal without its reason: {case!r}"

    cases = st.tuples(st.one_of(questions, json_values), st.one_of(histories.map(lambda h: [list(t) for t in h]),
                                                                   json_values))
    run_property("/ask handler", cases, check, 150)


def test_a_lone_surrogate_in_an_english_question_reaches_no_encoder(seed_bot):
    """Found by the property above: "B\\ud800" is read as English, and its text was encoded as asked."""
    check_answer(seed_bot.ask("B\ud800"), "B\ud800")
