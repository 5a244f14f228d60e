"""From retrieved passages to an answer: pick the sentences, pull out the short answer, quote.

The reader never writes text of its own: the short answer is a span of a quoted sentence,
and when the best passage does not cover the question's rarer words the reply is "not found"
rather than a quote of something unrelated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..config import Config
from ..ingest.passages import Passage
from ..ingest.script import fold, fold_aligned
from .answer import NOT_FOUND, Answer, Quote, Source
from .english import english_answerable
from .extract import Extraction, extract
from .question import Question
from .reprints import merge_reprints
from .retrieve import Hit


@dataclass
class Candidate:
    hit: Hit
    passage: Passage
    folded: str
    coverage: float  # share of the question's IDF mass found in passage + headline
    sentence: int  # best sentence
    sentence_coverage: float
    extraction: Extraction | None
    score: float = 0.0
    sources: list[Source] | None = None


def read(question: Question, hits: list[Hit], passages: dict[int, Passage], idf: Callable[[str], float],
         config: Config, k: int) -> Answer:
    weights = {w: idf(w) for w in question.words}
    candidates = [_candidate(question, h, passages[h.id], weights) for h in hits if h.id in passages]
    candidates.sort(key=lambda c: -c.score)
    if not candidates or not _answerable(candidates[0], config, question):
        return Answer(question.text, None, False, [], question.kind, message=NOT_FOUND)
    candidates = merge_reprints(candidates, config.duplicate_similarity)[:k]
    answer, values = _short_answer(question, candidates)  # from the quotes only
    quotes = [_quote(c, values) for c in candidates]
    return Answer(question.text, answer, True, quotes, question.kind)


def _candidate(q: Question, hit: Hit, passage: Passage, weights: dict[str, float]) -> Candidate:
    folded = fold_aligned(passage.text)
    total = sum(weights.values()) or 1.0
    context = folded + "\n" + fold(passage.title)
    coverage = sum(v for w, v in weights.items() if w in context) / total
    sentence_scores = [
        sum(v for w, v in weights.items() if w in folded[s:e]) / total for s, e in passage.sentences
    ] or [0.0]
    order = sorted(range(len(sentence_scores)), key=lambda i: -sentence_scores[i])
    best, extraction = order[0], None
    for i in _reading_order(order, sentence_scores):
        extraction = extract(q, folded, passage.sentences, i) if passage.sentences else None
        if extraction:
            # "…召开(扩大)会议……。省委书记姜勤俭主持会议并讲话。": quote from the matching sentence on.
            extraction = Extraction(extraction.spans, min(extraction.first_sentence, order[0]))
            best = i
            break
    score = hit.score + 2.0 * sentence_scores[best] + 1.0 * coverage + (0.5 if extraction else 0.0)
    return Candidate(hit, passage, folded, coverage, best, sentence_scores[best], extraction, score)


def _reading_order(order: list[int], scores: list[float]) -> list[int]:
    """The best-matching sentences, then the one right after the best (it often names the actor)."""
    good = [i for i in order[:3] if scores[i] >= 0.5 * scores[order[0]]]
    follower = order[0] + 1
    return good + ([follower] if follower < len(scores) and follower not in good else [])


def _answerable(best: Candidate, config: Config, question: Question | None = None) -> bool:
    if question is not None and question.dense_only:
        return english_answerable(question, best.hit.dense, config.min_dense_english)
    return best.coverage >= config.min_coverage and best.hit.dense >= config.min_dense


def _short_answer(q: Question, candidates: list[Candidate]) -> tuple[str | None, set[str]]:
    """The short answer and the (folded) values it is made of."""
    with_answer = [c for c in candidates if c.extraction and c.extraction.spans]
    if not with_answer:
        return None, set()
    first = with_answer[0]
    if not q.plural or len(first.extraction.spans) > 1:
        spans = first.extraction.spans
        return "、".join(first.passage.text[s:e] for s, e in spans), {first.folded[s:e] for s, e in spans}
    best = first.sentence_coverage
    values: dict[str, str] = {}
    for c in with_answer:
        if c.sentence_coverage < 0.6 * best:
            continue
        for s, e in c.extraction.spans:
            values.setdefault(c.folded[s:e], c.passage.text[s:e])
    # One thing named in full in one quote and in part in another is listed once, in full.
    values = {k: v for k, v in values.items() if not any(k != other and k in other for other in values)}
    return "；".join(values.values()), set(values)


def _quote(c: Candidate, answer_values: set[str]) -> Quote:
    """A passage as a quote; only spans that make up the short answer are marked."""
    p = c.passage
    first = c.extraction.first_sentence if c.extraction else c.sentence
    start = p.sentences[min(first, c.sentence)][0] if p.sentences else 0
    end = p.sentences[max(first, c.sentence)][1] if p.sentences else len(p.text)
    spans = c.extraction.spans if c.extraction else []
    if spans:
        start = min(start, *(s for s, _ in spans))
        end = max(end, *(e for _, e in spans))
    return Quote(
        text=p.text,
        sentence=p.text[start:end],
        source=p.source,
        paragraph=p.paragraph,
        score=round(c.score, 4),
        sentence_span=(start, end),
        highlights=[(s, e) for s, e in spans if c.folded[s:e] in answer_values],
        sources=c.sources or [Source(p.source, p.paragraph, p.title, p.date)],
        title=p.title,
        date=p.date,
        passage_id=p.id,
    )
