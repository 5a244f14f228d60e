"""The learned reader (the default; ``QA_READER=rules`` for the other): the right sentence, a short
answer only when sure.

Three small learned models (see ``model``) do the judging: a sentence ranker picks the
sentence of the top passages that answers, an answerability model says whether that quote
answers at all (else the reply is "not found"), and a span ranker proposes a short answer
inside the sentence, shown only above a threshold chosen on the training data; below it
the quote stands alone. The reader never writes text of its own: every answer is a span.
English questions, which the models never saw, go to the rules reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..config import Config
from ..ingest.passages import Passage
from ..ingest.script import fold, fold_aligned
from . import reader as rules
from .answer import NOT_FOUND, Answer, Quote, Source
from .extract import extract
from .features import (
    RELATIVE,
    SENTENCE_FEATURES,
    QuestionInfo,
    answerable_row,
    coverage,
    missing_ordinals,
    relative,
    sentence_rows,
)
from .model import ReaderModel, load_model
from .question import Question
from .reprints import merge_reprints
from .retrieve import Hit
from .spans import candidates, span_rows
from .titles import holder_of, title_of

#: Sentences are ranked in this many of the best passages.
TOP_PASSAGES = 3
#: Questions of a kind seen fewer times than this in training get their short answer from the
#: kind's extractor (see :func:`calibrated`).
MIN_KIND_SUPPORT = 50


@dataclass
class Candidate:
    hit: Hit
    passage: Passage
    folded: str
    coverage: float  # share of the question's IDF mass in passage + headline
    sentence: int = 0  # the sentence quoted
    second: int | None = None  # a neighbouring sentence quoted with it
    sources: list[Source] | None = None


@dataclass
class Reading:
    """What the models made of one question's passages (shared with ``qa train``)."""

    candidates: list[Candidate]
    rows: list[list[float]]  # sentence features
    where: list[tuple[int, int]]  # (candidate, sentence) of each row


def prepare(info: QuestionInfo, hits: list[Hit], passages: dict[int, Passage]) -> Reading:
    """Candidates in retrieval order (minus passages lacking the question's ordinals) and sentence rows."""
    cands = []
    for h in hits:
        p = passages.get(h.id)
        if p is None:
            continue
        folded = fold_aligned(p.text)
        context = folded + "\n" + fold(p.title)
        if info.ordinals and missing_ordinals(info, context):
            continue  # the question is about the 200th meeting; this passage is about another
        cands.append(Candidate(h, p, folded, coverage(info, context)))
    rows, where = [], []
    if cands:
        top = cands[0].hit.score
        for ci, c in enumerate(cands[:TOP_PASSAGES]):
            sentences = c.passage.sentences or [(0, len(c.folded))]
            got = sentence_rows(info, c.folded, sentences, ci, c.hit.score - top, c.hit.dense, c.coverage)
            rows.extend(got)
            where.extend((ci, si) for si in range(len(got)))
    width = len(SENTENCE_FEATURES) - len(RELATIVE)
    return Reading(cands, relative(rows, SENTENCE_FEATURES[:width], RELATIVE), where)


def sentence_of(c: Candidate, i: int) -> tuple[int, int]:
    return c.passage.sentences[i] if c.passage.sentences else (0, len(c.folded))


def sentence_spans(info: QuestionInfo, c: Candidate, i: int
                   ) -> tuple[list[tuple[int, int]], list[list[float]], list[tuple[int, int]]]:
    """The candidate short answers of sentence ``i`` of ``c``, their span-ranker rows, and what the
    hand-written extractor for the question's kind picks there (answering and ``qa train`` alike)."""
    s, e = sentence_of(c, i)
    rule = extract(info.q, c.folded, c.passage.sentences, i) if c.passage.sentences else None
    rule_spans = rule.spans if rule else []
    spans, rows = span_rows(info, c.folded, s, e, candidates(c.folded, s, e, rule_spans), rule_spans)
    return spans, rows, rule_spans


def best_span(info: QuestionInfo, model: ReaderModel, c: Candidate, i: int
              ) -> tuple[tuple[int, int] | None, float, bool]:
    """The span ranker's best candidate in sentence ``i`` of ``c``, its probability, and whether
    the hand-written extractor for the question's kind picked the same span."""
    spans, rows, rule_spans = sentence_spans(info, c, i)
    if not spans:
        return None, 0.0, False
    probs = model.span.probability(rows)
    j = int(np.argmax(probs))
    return spans[j], float(probs[j]), spans[j] in rule_spans


def answerability(info: QuestionInfo, reading: Reading, ci: int, si: int, sentence_p: float, span_p: float) -> list[float]:
    cands = reading.candidates
    c = cands[ci]
    s, e = sentence_of(c, si)
    dense_gap = c.hit.dense - max((o.hit.dense for o in cands if o is not c), default=c.hit.dense - 0.1)
    fused_gap = c.hit.score - max((o.hit.score for o in cands if o is not c), default=c.hit.score - 1.0)
    if not info.has_cjk:  # the lexical side says nothing about a question in another language
        sentence_p = span_p = 0.0
    return answerable_row(info, sentence_p, c.folded + "\n" + fold(c.passage.title), c.folded[s:e], c.hit.dense,
                          dense_gap, fused_gap, c.hit.lexical, span_p)


def read(question: Question, hits: list[Hit], passages: dict[int, Passage], idf: Callable[[str], float],
         config: Config, k: int) -> Answer:
    if question.dense_only:  # the models learned Chinese questions only; an English one is read by the rules
        return rules.read(question, hits, passages, idf, config, k)
    model = load_model(config.reader_model)
    info = QuestionInfo.of(question, idf)
    reading = prepare(info, hits, passages)
    if not reading.rows:
        return Answer(question.text, None, False, [], question.kind, message=NOT_FOUND, confidence=0.0)
    probs = model.sentence.probability(reading.rows)
    best = int(np.argmax(probs))
    ci, si = reading.where[best]
    chosen = reading.candidates[ci]
    span, span_p, agrees = best_span(info, model, chosen, si)
    confidence = float(model.answerable.probability([answerability(info, reading, ci, si, float(probs[best]),
                                                                    span_p)])[0])
    # "X是谁？" and "南通的代市长是谁？" share almost no words with their answers; a passage that
    # names X with a title ("副市长周立群"), or the place and the title with a name after it, answers
    # them whatever the answerability model makes of the overlap.
    named = title_of(info.q, chosen.folded, chosen.passage.sentences)
    holder = None
    if named is None:
        for c in reading.candidates[:TOP_PASSAGES]:
            if holder := holder_of(info.q, c.folded, c.passage.sentences, c.passage.title):
                chosen = c
                break
    if named is None and holder is None and confidence < model.answerable.threshold:
        return Answer(question.text, None, False, [], question.kind, message=NOT_FOUND,
                      confidence=round(confidence, 4))
    _choose_sentences(info, reading, probs, config.second_sentence)
    _follow(info.q, chosen)
    if holder:  # quote the sentence that names the holder
        chosen.sentence, chosen.second, named = holder[0], None, holder[1:]
    ordered = [chosen] + [c for c in reading.candidates if c is not chosen]
    ordered = merge_reprints(ordered, config.duplicate_similarity)[:k]
    answer, spans = _short_answer(info, model, ordered, named, span, span_p, agrees)
    quotes = [_quote(c, spans.get(id(c), [])) for c in ordered]
    return Answer(question.text, answer, True, quotes, question.kind, confidence=round(confidence, 4))


def _choose_sentences(info: QuestionInfo, reading: Reading, probs: np.ndarray, second: float) -> None:
    """Each candidate's best sentence; a neighbour joins it when the ranker rates it nearly as high."""
    by_candidate: dict[int, dict[int, float]] = {}
    for (ci, si), p in zip(reading.where, probs):
        by_candidate.setdefault(ci, {})[si] = float(p)
    for ci, c in enumerate(reading.candidates):
        scores = by_candidate.get(ci)
        if not scores:
            n = len(c.passage.sentences)
            c.sentence = max(range(n), key=lambda i: coverage(info, c.folded.__getitem__(slice(*sentence_of(c, i)))))\
                if n else 0
            continue
        c.sentence = max(scores, key=scores.get)
        near = [i for i in (c.sentence - 1, c.sentence + 1) if i in scores]
        if near:
            other = max(near, key=scores.get)
            if scores[other] >= second * scores[c.sentence]:
                c.second = other


def _follow(q: Question, c: Candidate) -> None:
    """"…召开(扩大)会议……。省委书记某某主持会议并讲话。": when the kind's extractor finds nothing in
    the quoted sentence but does in the next one, the quote takes that sentence as its second
    (and the sentence before, when the thing asked for is named there)."""
    nxt = c.sentence + 1
    if not c.passage.sentences:
        return
    here = extract(q, c.folded, c.passage.sentences, c.sentence)
    if here is not None and here.first_sentence == c.sentence - 1:
        c.second = c.sentence - 1  # "…第12次会议。某某出席会议并讲话。": the meeting is named just before
    elif here is None and nxt < len(c.passage.sentences) and \
            extract(q, c.folded, c.passage.sentences, nxt) is not None:
        c.second = nxt


def show_span(model: ReaderModel, kind: str, span_p: float, agrees: bool) -> bool:
    """Above the ranker's threshold, or above the lower one the question's kind earned on the
    training data for spans its extractor picked too (both chosen for the same precision)."""
    if span_p >= model.span.threshold:
        return True
    threshold = model.span.info.get("rule_thresholds", {}).get(kind)
    return agrees and threshold is not None and span_p >= threshold


def calibrated(model: ReaderModel, kind: str) -> bool:
    """Whether the training sets held enough questions of this kind to judge its short answers.

    Encyclopaedia questions hardly ask who chaired a meeting, which meeting, at what time of day:
    for such kinds the span thresholds say nothing, and the kind's hand-written extractor, built
    and tested on meeting reports, gives the short answer as the rules reader does."""
    kinds = model.span.info.get("kinds")
    return kinds is None or kinds.get(kind, 0) >= MIN_KIND_SUPPORT


def _short_answer(info: QuestionInfo, model: ReaderModel, ordered: list[Candidate], named: tuple[int, int] | None,
                  span: tuple[int, int] | None, span_p: float, agrees: bool
                  ) -> tuple[str | None, dict[int, list[tuple[int, int]]]]:
    """The short answer and, per quoted candidate, the spans marked as it (``ordered[0]`` is the
    chosen passage; ``named`` is what it names outright: X's title for "X是谁？", the holder for
    "南通的代市长是谁？")."""
    first = ordered[0]
    if named:
        return first.passage.text[named[0]:named[1]], {id(first): [named]}
    if info.q.plural:
        return _listed(info.q, ordered)
    if span and show_span(model, info.q.kind, span_p, agrees):
        return first.passage.text[span[0]:span[1]], {id(first): [span]}
    if not calibrated(model, info.q.kind) and first.passage.sentences:
        got = extract(info.q, first.folded, first.passage.sentences, first.sentence)
        if got and got.spans:
            s, e = got.spans[0]
            return first.passage.text[s:e], {id(first): [(s, e)]}
    return None, {}


def _listed(q: Question, ordered: list[Candidate]) -> tuple[str | None, dict[int, list[tuple[int, int]]]]:
    """A question asking for several things: what the rule extractors find in each quote."""
    values: dict[str, str] = {}
    marks: dict[int, list[tuple[int, int]]] = {}
    for c in ordered:
        got = extract(q, c.folded, c.passage.sentences, c.sentence) if c.passage.sentences else None
        if not got or not got.spans:
            continue
        for s, e in got.spans:
            values.setdefault(c.folded[s:e], c.passage.text[s:e])
            marks.setdefault(id(c), []).append((s, e))
        if len(got.spans) > 1:
            break
    # One thing named in full in one quote and in part in another is listed once, in full.
    values = {k: v for k, v in values.items() if not any(k != o and k in o for o in values)}
    marks = {i: [sp for sp in spans if ordered_text(ordered, i, sp) in values] for i, spans in marks.items()}
    return ("；".join(values.values()) or None), marks


def ordered_text(ordered: list[Candidate], key: int, span: tuple[int, int]) -> str:
    c = next(c for c in ordered if id(c) == key)
    return c.folded[span[0]:span[1]]


def _quote(c: Candidate, spans: list[tuple[int, int]]) -> Quote:
    """A passage as a quote: its chosen sentence (and neighbour), the short answer marked."""
    p = c.passage
    first = min(c.sentence, c.second if c.second is not None else c.sentence)
    last = max(c.sentence, c.second if c.second is not None else c.sentence)
    start, end = (p.sentences[first][0], p.sentences[last][1]) if p.sentences else (0, len(p.text))
    if spans:
        start, end = min(start, *(s for s, _ in spans)), max(end, *(e for _, e in spans))
    return Quote(
        text=p.text,
        sentence=p.text[start:end],
        source=p.source,
        paragraph=p.paragraph,
        score=round(c.hit.score, 4),
        sentence_span=(start, end),
        highlights=list(spans),
        sources=c.sources or [Source(p.source, p.paragraph, p.title, p.date)],
        title=p.title,
        date=p.date,
        passage_id=p.id,
    )
