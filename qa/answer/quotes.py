"""Stage 6: the reply: quotes (reprints merged, the short answer marked, the whole paragraph)
and the message.

Quotes after the first are kept only while they cover the question about as well as the first
(half its share of the question's words): a passage that merely shares the topic is no second
source of the answer.
"""

from __future__ import annotations

from dataclasses import replace

from ..index.protocol import IndexView
from .analysis import Analysis
from .answer import NO_SHORT_ANSWER, NOT_FOUND, Answer, Paragraph, Quote, Source
from .decide import Decision
from .evidence import Candidate, Evidence
from .extract import FINDERS
from .kinds import label
from .meetings import answer_from_table
from .reprints import merge_reprints

#: A later quote must cover at least this share of what the first covers of the question.
RELATED = 0.5


def reply(a: Analysis, evidence: Evidence, decision: Decision, index: IndexView, k: int,
          duplicate_similarity: float) -> Answer:
    kind = a.question.kind
    if decision.listed:
        answer = answer_from_table(a.asked, a.meeting, evidence.listed, index.paragraph)
    elif not decision.found:
        answer = Answer(a.asked, None, False, [], kind, message=_not_found(evidence))
    else:
        cands = evidence.candidates
        first = cands[decision.first]
        others = [c for c in cands if c is not first and c.hit.score != 0.0
                  and c.coverage >= RELATED * first.coverage]
        ordered = merge_reprints([first, *others], duplicate_similarity, _quoted)[:k]
        marks: dict[int, list[tuple[int, int]]] = {}
        for p in decision.shown:
            marks.setdefault(p.candidate, []).append(p.span)
        quotes = [_quote(c, marks.get(cands.index(c), [])) for c in ordered]
        values = list(dict.fromkeys(cands[p.candidate].passage.text[p.span[0]:p.span[1]] for p in decision.shown))
        short = ("；" if a.question.plural else "、").join(values) or None
        message = NO_SHORT_ANSWER.format(label(kind)) if short is None and kind not in FINDERS else ""
        answer = Answer(a.asked, short, True, quotes, kind, message=message)
    quotes = [q if q.context else _with_context(q, index) for q in answer.quotes]
    return Answer(a.asked, answer.answer, answer.found, quotes, kind, resolved_question=a.rendered,
                  message=answer.message, confidence=round(decision.confidence, 4))


def _not_found(evidence: Evidence) -> str:
    """Says what the passages found lacked, when that is why nothing could answer."""
    lacking = list(dict.fromkeys(w for _, words in evidence.missed for w in words))[:4]
    if not lacking or evidence.candidates:
        return NOT_FOUND
    return f"{NOT_FOUND[:-len('(Not found in the documents.)')]}相关段落没有提到：{'、'.join(lacking)}。" \
           f"(Not found in the documents: the passages found do not mention {', '.join(lacking)}.)"


def _quoted(c: Candidate) -> str:
    """The folded text a reprint must hold too: the sentence(s) this candidate quotes."""
    s, e = _span(c)
    return c.folded[s:e]


def _span(c: Candidate) -> tuple[int, int]:
    p = c.passage
    if not p.sentences:
        return 0, len(p.text)
    first = min(c.sentence, c.second if c.second is not None else c.sentence)
    last = max(c.sentence, c.second if c.second is not None else c.sentence)
    return p.sentences[first][0], p.sentences[last][1]


def _quote(c: Candidate, spans: list[tuple[int, int]]) -> Quote:
    """A passage as a quote: its chosen sentence (and neighbour), the short answer marked."""
    p = c.passage
    start, end = _span(c)
    if spans:  # the answer marked inside the quote: it grows to hold it, to two sentences at most
        wide = min(start, *(s for s, _ in spans)), max(end, *(e for _, e in spans))
        if sum(1 for s, e in p.sentences if s < wide[1] and e > wide[0]) <= 2:
            start, end = wide
    return Quote(
        text=p.text, sentence=p.text[start:end], source=p.source, paragraph=p.paragraph,
        score=round(c.hit.score, 4), sentence_span=(start, end), highlights=sorted(spans),
        sources=c.sources or [Source(p.source, p.paragraph, p.title, p.date)], title=p.title, date=p.date,
        passage_id=p.id,
    )


def _with_context(quote: Quote, index: IndexView) -> Quote:
    """The whole paragraph around ``quote``, from the generation that answered (one snapshot)."""
    text, offset, found = "", 0, False
    for piece in index.paragraph(quote.source, quote.paragraph):
        if not found and (piece.id == quote.passage_id or piece.text == quote.text):
            offset, found = len(text), True
        text += piece.text
    return replace(quote, context=Paragraph(text, offset)) if found else quote
