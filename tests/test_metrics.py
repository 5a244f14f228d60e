"""CMRC 2018 scoring, the fixed random sample and the half-index split of the benchmarks."""

from __future__ import annotations

from qa.bench.metrics import contains_gold, exact_match, f1, normalize
from qa.bench.noanswer import no_answer_sets, split_half
from qa.bench.squad import Context, Item, sample


def test_exact_match_ignores_punctuation_space_and_script_but_not_missing_digits():
    assert exact_match("3,000人", ["3000人"]) == 1.0
    assert exact_match("「台北」", ["台北"]) == 1.0
    assert exact_match("會議", ["会议"]) == 1.0
    assert exact_match("000人", ["3,000人"]) == 0.0  # a substring is not a match
    assert exact_match(None, ["x"]) == 0.0
    assert exact_match("甲", ["乙", "甲 "]) == 1.0  # best over the gold answers


def test_f1_is_longest_common_substring_over_characters():
    assert f1("北京市", ["北京"]) == 2 * (2 / 3 * 1.0) / (2 / 3 + 1.0)
    assert f1("京北", ["北京"]) == 2 * (0.5 * 0.5) / (0.5 + 0.5)  # only one character in a row
    assert f1("", ["北京"]) == 0.0
    assert f1("上海", ["北京", "上海"]) == 1.0
    assert normalize(" 第1次，会议。") == "第1次会议"


def test_contains_gold_needs_the_whole_answer():
    assert contains_gold("会议由 黄某 主持。", ["黄某"])
    assert not contains_gold("3,000人", ["13,000人"])


def test_limit_is_a_fixed_random_sample_in_file_order():
    items = list(range(100))
    a, b = sample(items, 10, seed=0), sample(items, 10, seed=0)
    assert a == b and a == sorted(a) and a != items[:10]
    assert sample(items, 10, seed=1) != a
    assert sample(items, None) == items and sample(items, 500) == items


def test_no_answer_split_keeps_even_paragraphs_and_alternates_lone_ones():
    contexts = [Context("a0", "甲乙丙", 0, 0), Context("a1", "丁戊己", 0, 1), Context("a2", "庚辛", 0, 2),
                Context("b0", "子丑", 1, 0), Context("c0", "寅卯", 2, 0), Context("d0", "辰巳", 3, 0)]
    indexed, held = split_half(contexts)
    assert [c.id for c in indexed] == ["a0", "a2", "b0", "d0"]
    assert [c.id for c in held] == ["a1", "c0"]
    items = [Item("问一", "a0", ["乙"]), Item("问二", "a1", ["戊"]), Item("问三", "a1", ["甲"]), Item("问四", "c0", ["寅"])]
    _, answerable, unanswerable = no_answer_sets(contexts, items)
    assert [i.question for i in answerable] == ["问一"]
    # "甲" stands in an indexed paragraph, so that question is not counted as unanswerable.
    assert [i.question for i in unanswerable] == ["问二", "问四"]
