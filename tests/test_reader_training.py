"""The reader's training parts: span candidates, the "not found" features, cross-fitting and the
thresholds chosen on out-of-fold predictions. Sentences are written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from qa.answer.features import ANSWERABLE_FEATURES, UNSEEN, QuestionInfo, answerable_row
from qa.answer.question import analyze
from qa.answer.spans import candidates

pytest.importorskip("sklearn")

from qa.bench.train import _balanced_threshold, _cross_fit, _fold_ids, _rule_thresholds  # noqa: E402


def _texts(sentence: str) -> set[str]:
    return {sentence[a:b] for (a, b), _ in candidates(sentence, 0, len(sentence))}


def test_a_list_is_one_candidate_with_and_without_its_closing_deng():
    sentence = "青鳞鱼主要分布在白沙湾、黑石港、南岭及东湖等水域。"
    got = _texts(sentence)
    assert "白沙湾、黑石港、南岭及东湖等" in got and "白沙湾、黑石港、南岭及东湖" in got
    assert "白沙湾、黑石港" in got  # shorter lists stay candidates too
    assert "张三、李四和王五" in _texts("会议由张三、李四和王五共同主持。")


@pytest.mark.parametrize("sentence, value", [
    ("翠湖的水面面积约1280平方公里，是全省最大的湖泊。", "1280平方公里"),
    ("翠湖的水面面积约1280平方公里，是全省最大的湖泊。", "约1280平方公里"),
    ("山洞里最早的壁画可以追溯到4000年前。", "4000年前"),
    ("全市共有公交线路86条。", "86条"),
])
def test_numbers_keep_their_units_and_approximations(sentence, value):
    assert value in _texts(sentence)


def test_rarity_marks_words_the_index_never_saw():
    idf = {"翠湖": 3.0, "面积": 1.0, UNSEEN: 6.0}
    info = QuestionInfo.of(analyze("翠湖的面积是多少？"), lambda w: idf.get(w, 6.0))
    assert info.rarity["翠湖"] == pytest.approx(0.5) and info.rarity["面积"] == pytest.approx(1 / 6)
    row = dict(zip(ANSWERABLE_FEATURES, answerable_row(info, 0.5, "翠湖很美", "翠湖很美", 0.8, 0.1, 0.1, 5.0, 0.3)))
    assert row["missing_rare"] == pytest.approx(1 / 6)  # 面积 is missing

    never = QuestionInfo.of(analyze("碧落湖的面积是多少？"), lambda w: idf.get(w, 6.0))
    row = dict(zip(ANSWERABLE_FEATURES, answerable_row(never, 0.5, "翠湖很美", "翠湖很美", 0.8, 0.1, 0.1, 5.0, 0.3)))
    assert row["missing_rare"] == 1.0  # a word no passage holds


def test_folds_are_whole_articles_dealt_the_same_way_each_time():
    articles = [f"a{i // 4}" for i in range(120)]  # 30 articles of 4 questions each
    ids = _fold_ids(articles, 3)
    assert sorted(np.bincount(ids).tolist()) == [40, 40, 40]  # 10 articles a fold
    for article in set(articles):  # no article on both sides of a fold
        assert len({int(f) for a, f in zip(articles, ids) if a == article}) == 1
    assert (ids == _fold_ids(articles, 3)).all()
    assert not (ids == _fold_ids(articles, 3, seed=1)).all()


def test_cross_fitted_models_never_see_their_own_fold():
    x = np.arange(12, dtype=float)[:, None]
    y = np.array([0, 1] * 6)
    groups = np.array([0, 1, 2] * 4)
    seen = _cross_fit(lambda a, b: set(a[:, 0].tolist()), x, y, groups, 3)
    for f, rows in enumerate(seen):
        assert rows == {float(i) for i in range(12) if i % 3 != f}
    # a fold whose other rows hold one class only gets no model (the caller falls back to the full one)
    assert _cross_fit(lambda a, b: 1, x, np.array([1] * 11 + [0]), groups, 3)[2] is None


def test_balanced_threshold_refuses_as_often_as_it_answers_wrongly():
    rng = np.random.default_rng(0)
    positives, negatives = rng.normal(0.7, 0.1, 2000), rng.normal(0.4, 0.1, 2000)
    t = _balanced_threshold(positives, negatives)
    refused, false = (positives < t).mean(), (negatives >= t).mean()
    assert abs(refused - false) < 0.01 and 0.5 < t < 0.6
    assert _balanced_threshold(np.array([]), negatives) == 0.5


def test_agreement_with_the_extractor_earns_a_lower_threshold_only_where_it_was_right():
    rng = np.random.default_rng(0)
    shown = []
    for p in rng.uniform(0.05, 0.4, 200):  # below the main threshold (0.5), extractor agreeing
        shown.append((float(p), 1.0 if rng.random() < 0.9 else 0.0, True, "when"))  # dates: mostly right
        shown.append((float(p), 1.0 if rng.random() < 0.3 else 0.0, True, "who"))  # names: mostly not
        shown.append((float(p), 1.0, False, "where"))  # right, but the extractor did not agree
    shown += [(0.8, 1.0, True, "when")] * 50  # above the main threshold: shown anyway, not counted here
    got = _rule_thresholds(shown, above=0.5, precision=0.66)
    assert set(got) == {"when"} and got["when"] < 0.1
