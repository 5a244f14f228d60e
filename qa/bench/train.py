"""``qa train``: fit the reader's three models on SQuAD-style sets and write them as JSON.

For every question the same retrieval and feature code as answering runs (``reader.prepare``).
Labels: a sentence is right when it holds a gold answer; a span when it equals one (CMRC
normalisation); a quote is answerable when the question's own paragraph is in the index.
Unanswerable examples are made by removing that paragraph (and every passage holding a gold
answer) from the retrieved list, as ``qa eval --no-answer`` does with half an index. A copy of
each answerability example with the lexical features blanked teaches the model to judge a
question by dense similarity alone (a question in another language shares no words).
Thresholds are chosen on the training questions only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..answer.extract import extract
from ..answer.features import ANSWERABLE_FEATURES, SENTENCE_FEATURES, QuestionInfo
from ..answer.learned_reader import Reading, answerability, best_span, prepare, sentence_of
from ..answer.model import Linear, ReaderModel, Trees
from ..answer.question import analyze
from ..answer.retrieve import retrieve
from ..answer.spans import SPAN_FEATURES, candidates, span_rows
from ..config import Config
from ..index.indexer import Progress
from .metrics import contains_gold, exact_match, normalize
from .squad import context_bot, load_squad, sample

log = logging.getLogger(__name__)
#: Boosting rounds of the sentence and span rankers (each adds one small tree to the files).
TREES = 100

#: Lexical answerability features blanked in the dense-only copies.
LEXICAL = {"sentence_p", "cov", "sentence_cov", "bigram", "chars", "shared", "numbers_missing", "people_missing",
           "type", "span_p"}


@dataclass
class Example:
    info: QuestionInfo
    golds: list[str]
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
    items = [i for i in sample(items, limit) if i.answers]
    out = []
    with context_bot(contexts, config, progress) as bot:
        gen = bot.generation
        questions = [analyze(i.question) for i in items]
        vectors = bot.embedder.encode_queries([q.folded for q in questions])
        for n, (item, q, vector) in enumerate(zip(items, questions, vectors)):
            hits = retrieve(gen, vector, q.words, k=10, candidates=config.candidates, dense_weight=config.dense_weight)
            passages = gen.passages([h.id for h in hits])
            info = QuestionInfo.of(q, gen.idf)  # the IndexView method: either store
            keep = [h for h in hits if h.id in passages and passages[h.id].source != item.context
                    and not contains_gold(passages[h.id].text, item.answers)]
            out.append(Example(info, item.answers, prepare(info, hits, passages), prepare(info, keep, passages)))
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


def train(examples: list[Example], sources: list[str], precision: float = 0.66, refuse: float = 0.03,
          progress: Progress | None = None) -> tuple[ReaderModel, TrainReport]:
    """Fit the sentence ranker, then the span ranker, then answerability; choose the thresholds."""
    labelled = [(e, r) for e in examples for r in [e.answerable]]
    sx, sy = [], []
    for e, r in labelled:
        for row, (ci, si) in zip(r.rows, r.where):
            c = r.candidates[ci]
            s, t = sentence_of(c, si)
            sx.append(row)
            sy.append(int(contains_gold(c.passage.text[s:t], e.golds)))
    sentence = fit_trees(sx, sy, SENTENCE_FEATURES, trained_on=sources)

    px, py = [], []
    for n, (e, r) in enumerate(labelled):
        hit = next(((ci, si) for ci, si in r.where
                    if contains_gold(_text(r, ci, si), e.golds)), None)
        if hit is None:
            continue
        c = r.candidates[hit[0]]
        s, t = sentence_of(c, hit[1])
        rule = extract(e.info.q, c.folded, c.passage.sentences, hit[1]) if c.passage.sentences else None
        rule_spans = rule.spans if rule else []
        spans, rows = span_rows(e.info, c.folded, s, t, candidates(c.folded, s, t, rule_spans), rule_spans)
        golds = {normalize(g) for g in e.golds}
        px.extend(rows)
        py.extend(int(normalize(c.passage.text[a:b]) in golds) for a, b in spans)
        if progress:
            progress("spans", n + 1, len(labelled))
    partial = ReaderModel(sentence, fit_trees(px, py, SPAN_FEATURES, trained_on=sources), sentence)

    ax, ay, blind, shown = [], [], [], []
    for n, e in enumerate(examples):
        for reading, label in ((e.answerable, 1), (e.unanswerable, 0)):
            if not reading.rows:
                continue
            probs = partial.sentence.probability(reading.rows)
            best = int(np.argmax(probs))
            ci, si = reading.where[best]
            span, span_p, agrees = best_span(e.info, partial, reading.candidates[ci], si)
            row = answerability(e.info, reading, ci, si, float(probs[best]), span_p)
            ax.append(row)
            ay.append(label)
            blind.append(_blind(row))
            if label:
                c = reading.candidates[ci]
                shown.append((span_p, exact_match(c.passage.text[span[0]:span[1]] if span else None, e.golds), agrees))
        if progress:
            progress("answerability", n + 1, len(examples))
    answerable = fit(ax + blind, ay + ay, ANSWERABLE_FEATURES, trained_on=sources)
    positives = answerable.probability([r for r, y in zip(ax, ay) if y])
    a_threshold = float(np.quantile(positives, refuse)) if len(positives) else 0.5
    s_threshold, answered, answered_em = _span_threshold([(p, em) for p, em, _ in shown], precision)
    r_threshold, _, _ = _span_threshold([(p, em) for p, em, agrees in shown if agrees and p < s_threshold], precision)
    span = partial.span.with_threshold(s_threshold)
    span.info["rule_threshold"] = r_threshold
    model = ReaderModel(sentence, span, answerable.with_threshold(a_threshold))
    report = TrainReport(len(examples), len(sx), len(px), len(ax) * 2, a_threshold, s_threshold, answered, answered_em)
    return model, report


def _text(r: Reading, ci: int, si: int) -> str:
    c = r.candidates[ci]
    s, t = sentence_of(c, si)
    return c.passage.text[s:t]


def _blind(row: list[float]) -> list[float]:
    out = [0.0 if name in LEXICAL else v for name, v in zip(ANSWERABLE_FEATURES, row)]
    at = {name: i for i, name in enumerate(ANSWERABLE_FEATURES)}
    out[at["no_cjk"]] = 1.0
    out[at["dense_no_cjk"]] = out[at["dense"]]
    out[at["dense_gap_no_cjk"]] = out[at["dense_gap"]]
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
