"""``qa train``: fit the reader's three models on SQuAD-style sets and write them as JSON.

For every question the answering pipeline's own stages run (analysis, retrieval, evidence,
sentence rows, span rows), so training and answering cannot drift apart. Labels: a sentence is
right when it holds a gold answer; a span when it equals one (CMRC normalisation); a quote is
answerable when the question's own paragraph is in the index. Unanswerable examples are made by
removing that paragraph (and every passage holding a gold answer) from the retrieved list, as
``qa eval --no-answer`` does with half an index.

Thresholds are chosen on out-of-fold predictions (cross-fitting), and answerability learns from
out-of-fold sentence and span scores, as it sees them on new text. Folds are whole articles:
questions on one article share its wording, so a fold that split an article would judge
questions by models that had read their neighbours, and its thresholds would be optimistic.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..answer.analysis import analyse
from ..answer.decide import answerable_features
from ..answer.evidence import gather
from ..answer.features import ANSWERABLE_FEATURES, SENTENCE_FEATURES, QuestionInfo
from ..answer.model import Linear, ReaderModel, Trees
from ..answer.proposals import best_span, sentence_spans
from ..answer.retrieve import retrieve
from ..answer.sentences import Reading, read_sentences, sentence_of
from ..answer.spans import SPAN_FEATURES
from ..config import Config
from ..index.indexer import Progress
from .metrics import contains_gold, exact_match, normalize
from .squad import context_bot, load_squad, sample

log = logging.getLogger(__name__)
#: Boosting rounds of the sentence and span rankers (each adds one small tree to the files).
TREES = 100
#: Folds of the cross-fitting that gives every training question predictions from models that never saw it.
FOLDS = 3



@dataclass
class Example:
    info: QuestionInfo
    golds: list[str]
    #: The article the question is about: folds never split one.
    article: str
    answerable: Reading
    unanswerable: Reading


@dataclass
class TrainReport:
    questions: int
    sentence_rows: int
    span_rows: int
    answerable_rows: int
    answerable_threshold: float
    span_threshold: float
    train_answered: float
    train_answered_em: float


def collect(path: Path, config: Config, limit: int | None = None, progress: Progress | None = None) -> list[Example]:
    """Retrieve for every question of ``path`` and keep what the models are trained on."""
    contexts, items = load_squad(path)
    article = {c.id: f"{Path(path).name}#{c.article}" for c in contexts}
    items = [i for i in sample(items, limit) if i.answers]
    out = []
    with context_bot(contexts, config, progress) as bot:
        gen = bot.generation
        analyses = [analyse(i.question, gen.idf, lambda query: []) for i in items]
        vectors = bot.embedder.encode_queries([a.question.folded for a in analyses])
        for n, (item, a, vector) in enumerate(zip(items, analyses, vectors)):
            hits = retrieve(gen, vector, a.question.words, k=10, candidates=config.candidates,
                            dense_weight=config.dense_weight)
            passages = gen.passages([h.id for h in hits])
            keep = [h for h in hits if h.id in passages and passages[h.id].source != item.context
                    and not contains_gold(passages[h.id].text, item.answers)]
            out.append(Example(a.info, item.answers, article[item.context],
                               read_sentences(a.info, gather(a, gen, hits, [], keep=len(hits)).candidates),
                               read_sentences(a.info, gather(a, gen, keep, [], keep=len(keep)).candidates)))
            if progress:
                progress("features", n + 1, len(items))
    return out


def fit(x: list[list[float]], y: list[int], names: list[str], c: float = 1.0, **info) -> Linear:
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    model = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, y)
    return Linear(names, mean, scale, model.coef_[0], float(model.intercept_[0]), 0.5,
                  {"rows": len(y), "positives": int(y.sum()), **info})


def fit_trees(x: list[list[float]], y: list[int], names: list[str], **info) -> Trees:
    """Boosted trees, exported to plain arrays (checked against scikit-learn's own predictions)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    model = HistGradientBoostingClassifier(max_iter=TREES, max_depth=6, learning_rate=0.1, random_state=0).fit(x, y)
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append((nodes["feature_idx"].astype(np.int64), nodes["num_threshold"].astype(np.float64),
                      np.where(leaf, -1, nodes["left"].astype(np.int64)),
                      np.where(leaf, -1, nodes["right"].astype(np.int64)), nodes["value"].astype(np.float64)))
    out = Trees(names, float(np.ravel(model._baseline_prediction)[0]), trees, 0.5,
                {"rows": len(y), "positives": int(y.sum()), **info})
    sample = x[:2000]
    assert np.allclose(out.probability(sample), model.predict_proba(sample)[:, 1], atol=1e-6), "tree export differs"
    return out


def _fold_ids(groups: list[str], folds: int, seed: int = 0) -> np.ndarray:
    """Each example's fold: whole groups (articles) dealt round a fixed shuffle, so out-of-fold
    predictions never come from a model that saw their example or its article."""
    names = sorted(set(groups))
    order = np.random.default_rng(seed).permutation(len(names))
    fold_of = {names[j]: i % max(folds, 1) for i, j in enumerate(order)}
    return np.asarray([fold_of[g] for g in groups], dtype=np.int64)


def _cross_fit(fit_one, x: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int) -> list:
    """One model per fold, fitted on the other folds' rows; None where those rows hold one class only
    (a tiny training set), and the caller falls back to the model fitted on everything."""
    models = []
    for f in range(folds):
        keep = groups != f
        models.append(fit_one(x[keep], y[keep]) if len(set(y[keep].tolist())) == 2 else None)
    return models


def _sentence_data(examples: list[Example]) -> tuple[list[list[float]], list[int], list[int]]:
    sx, sy, sg = [], [], []
    for n, e in enumerate(examples):
        r = e.answerable
        for row, (ci, si) in zip(r.rows, r.where):
            sx.append(row)
            sy.append(int(contains_gold(_text(r, ci, si), e.golds)))
            sg.append(n)
    return sx, sy, sg


def _span_data(examples: list[Example], progress: Progress | None) -> tuple[list[list[float]], list[int], list[int]]:
    """Candidates of the first sentence holding a gold answer, labelled by exact match."""
    px, py, pg = [], [], []
    for n, e in enumerate(examples):
        r = e.answerable
        hit = next(((ci, si) for ci, si in r.where if contains_gold(_text(r, ci, si), e.golds)), None)
        if hit is not None:
            c = r.candidates[hit[0]]
            spans, rows, _ = sentence_spans(e.info, c, hit[1])
            golds = {normalize(g) for g in e.golds}
            px.extend(rows)
            py.extend(int(normalize(c.passage.text[a:b]) in golds) for a, b in spans)
            pg.extend([n] * len(rows))
        if progress:
            progress("spans", n + 1, len(examples))
    return px, py, pg


def fit_answerable(x: np.ndarray, y: np.ndarray, **info) -> Linear:
    """Answerability is a logistic regression: boosted trees separated no better across sets and
    give a stepped probability, which makes its threshold jumpy."""
    return fit(x, y, ANSWERABLE_FEATURES, **info)


def train(examples: list[Example], sources: list[str], precision: float = 0.66,
          folds: int = FOLDS, progress: Progress | None = None) -> tuple[ReaderModel, TrainReport]:
    """Fit the sentence ranker, the span ranker and answerability on all examples; choose the thresholds
    on out-of-fold predictions (each example judged by models that never saw it), since scores on the
    training rows themselves are over-confident and a threshold set on them does not hold on new text."""
    fold_of = _fold_ids([e.article for e in examples], folds)
    sx, sy, sg = _sentence_data(examples)
    sentence = fit_trees(sx, sy, SENTENCE_FEATURES, trained_on=sources)
    sentence_folds = _cross_fit(lambda x, y: fit_trees(x, y, SENTENCE_FEATURES), np.asarray(sx), np.asarray(sy),
                                fold_of[np.asarray(sg, dtype=np.int64)], folds)
    px, py, pg = _span_data(examples, progress)
    span = fit_trees(px, py, SPAN_FEATURES, trained_on=sources)
    span_folds = _cross_fit(lambda x, y: fit_trees(x, y, SPAN_FEATURES), np.asarray(px), np.asarray(py),
                            fold_of[np.asarray(pg, dtype=np.int64)], folds)

    ax, ay, ag, shown = [], [], [], []
    for n, e in enumerate(examples):
        f = fold_of[n]
        held_out = ReaderModel(sentence_folds[f] or sentence, span_folds[f] or span, sentence)
        for reading, label in ((e.answerable, 1), (e.unanswerable, 0)):
            if not reading.rows:
                continue
            probs = held_out.sentence.probability(reading.rows)
            best = int(np.argmax(probs))
            ci, si = reading.where[best]
            got, span_p, agrees = best_span(e.info, held_out.span, reading.candidates[ci], si)
            ax.append(answerable_features(e.info, reading.candidates, ci, si, float(probs[best]), span_p))
            ay.append(label)
            ag.append(f)
            if label:
                c = reading.candidates[ci]
                text = c.passage.text[got[0]:got[1]] if got else None
                shown.append((span_p, exact_match(text, e.golds), agrees, e.info.q.kind))
        if progress:
            progress("answerability", n + 1, len(examples))
    x, y = np.asarray(ax), np.asarray(ay)
    groups = np.asarray(ag, dtype=np.int64)
    answerable = fit_answerable(x, y, trained_on=sources)
    answerable_folds = _cross_fit(fit_answerable, x, y, groups, folds)
    real, labels, where = np.asarray(ax), np.asarray(ay), np.asarray(ag, dtype=np.int64)
    held_out_p = np.zeros(len(real))
    for f, m in enumerate(answerable_folds):
        held_out_p[where == f] = (m or answerable).probability(real[where == f])
    a_threshold = _balanced_threshold(held_out_p[labels == 1], held_out_p[labels == 0])
    s_threshold, answered, answered_em = _span_threshold([(p, em) for p, em, _, _ in shown], precision)
    span = span.with_threshold(s_threshold)
    span.info["rule_thresholds"] = _rule_thresholds(shown, s_threshold, precision)
    span.info["kinds"] = dict(sorted(Counter(kind for *_, kind in shown).items()))
    model = ReaderModel(sentence, span, answerable.with_threshold(a_threshold))
    report = TrainReport(len(examples), len(sx), len(px), len(x), a_threshold, s_threshold, answered, answered_em)
    return model, report


def _text(r: Reading, ci: int, si: int) -> str:
    c = r.candidates[ci]
    s, t = sentence_of(c, si)
    return c.passage.text[s:t]


def _balanced_threshold(positives: np.ndarray, negatives: np.ndarray) -> float:
    """The probability at which as many answerable questions are refused as unanswerable ones answered.

    A fixed refusal rate (say 3 % of the training positives) does not carry over to other text:
    the scores of another set's answerable questions sit higher or lower. Balancing the two errors
    put "not found" where it also held on the other dev set (see the README's reader figures)."""
    if not len(positives) or not len(negatives):
        return 0.5
    grid = np.unique(np.concatenate([positives, negatives]))
    refused = np.searchsorted(np.sort(positives), grid, side="left") / len(positives)
    answered = 1.0 - np.searchsorted(np.sort(negatives), grid, side="left") / len(negatives)
    return float(grid[int(np.argmin(np.abs(refused - answered)))])


def _rule_thresholds(shown: list[tuple[float, float, bool, str]], above: float, precision: float) -> dict[str, float]:
    """Per question kind, a lower threshold for spans the kind's extractor picked too, where that
    agreement earned ``precision`` out of fold. Kinds differ in how far their extractor can be
    trusted (dates more than names or places, whose boundaries vary by set), so one threshold for
    all kinds would be set by the least trustworthy; a kind that earns none gets none."""
    out = {}
    for kind in sorted({k for *_, k in shown}):
        agreed = [(p, em) for p, em, agrees, k in shown if k == kind and agrees and p < above]
        threshold, _, _ = _span_threshold(agreed, precision)
        if threshold < 1.0:
            out[kind] = round(threshold, 6)
    return out


def _span_threshold(shown: list[tuple[float, float]], precision: float) -> tuple[float, float, float]:
    """The lowest probability above which the best spans are exactly right at least ``precision`` of the time."""
    if not shown:
        return 1.0, 0.0, 0.0
    order = sorted(shown, key=lambda x: -x[0])
    right = np.cumsum([em for _, em in order])
    prec = right / np.arange(1, len(order) + 1)
    ok = [i for i in range(len(order)) if prec[i] >= precision and i >= 20]
    if not ok:
        return 1.0, 0.0, 0.0
    k = ok[-1]
    return float(order[k][0]), (k + 1) / len(order), float(prec[k])


def train_command(datasets: list[Path], out: Path, config: Config, limit: int | None = None,
                  progress: Progress | None = None) -> TrainReport:
    examples = []
    for path in datasets:
        examples.extend(collect(path, config, limit, progress))
    model, report = train(examples, [Path(p).name for p in datasets], progress=progress)
    model.save(out)
    return report
