"""Stage 5: one decision: answer or "not found"; a short answer, or the quote alone.

"Not found" unless the learned answerability model (calibrated out of fold on the dev sets)
says the best sentence answers, or a structural match does: the title a text gives the person
asked about, the person written after the title asked about, the meeting-table field the
question asks for. Evidence missing what the question pins down never got this far.

A short answer is shown only when its source earned it: the span ranker above its learned
threshold (or a lower per-kind one where the kind's extractor agrees, chosen out of fold), the
neural reader at better than even odds, a structural match, or, for kinds the training sets
hardly ask (who chaired, which meeting), the kind's extractor rather than either learned reader. Wrong short answers cost more
trust than none: below these bars the quote stands alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ingest.phrases import MEETING_END, people
from ..ingest.script import fold
from ..ingest.tokens import tagged
from .analysis import Analysis
from .cues import DEADLINE, UNIT_LABEL
from .evidence import Candidate, Evidence
from .features import QuestionInfo, answerable_row
from .fits import fits, relative_day
from .model import ReaderModel
from .proposals import CREDIT, EXTRACTOR, HELD, HOLDER, NEURAL, PATTERN, RANKER, TABLE, TITLE, Proposal
from .question import unit_forms
from .sentences import Reading, sentence_of
from .titles import asked_title, asks_appointee

#: Questions of a kind seen fewer times than this in training take their kind's extractor's answer.
MIN_KIND_SUPPORT = 50
#: Which shown proposal wins, strongest first (a lower number is stronger).
_STRENGTH = [({TABLE, EXTRACTOR}, 0), ({TITLE}, 1), ({HOLDER}, 1), ({CREDIT}, 1), ({TABLE}, 2), ({NEURAL, RANKER}, 2.5),
             ({RANKER}, 3), ({PATTERN}, 3.5), ({NEURAL, EXTRACTOR}, 3.6), ({NEURAL}, 3.75), ({EXTRACTOR}, 4)]
#: The neural reader's span is shown from this probability on (span against every other span and
#: "no answer" in its window): better than even odds, set a priori, not fitted to any test.
NEURAL_SHOW = 0.5


@dataclass
class Decision:
    found: bool
    confidence: float
    #: The candidate quoted first (None when not found).
    first: int | None = None
    #: The proposals the short answer is made of (empty: the quote stands alone).
    shown: list[Proposal] = field(default_factory=list)
    #: Answered from the meeting table: one quote per listed meeting.
    listed: bool = False


def decide(a: Analysis, evidence: Evidence, reading: Reading, proposals: list[Proposal],
           model: ReaderModel) -> Decision:
    cands = evidence.candidates
    if evidence.listed:  # "X主持了哪些会议？" with rows in the table: the rows are the answer
        return Decision(True, 1.0, listed=True)
    if a.meeting is not None and a.meeting.person and (a.question.plural or re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", a.meeting.person)):
        return Decision(False, 0.0)  # the table lists no meeting where X took that part: not a quote's guess
    proposals = [p for p in proposals if fits(a, evidence, p)]
    confidence = _answerability(a, evidence, reading, proposals, model)
    shown = [p for p in proposals if _earned(a, p, model)]
    # What a pattern says ("X主持", "在X召开", "联系人：X"), in evidence that met every pin of the question
    # (its meeting, place, ordinal and day), answers it; a figure only about a meeting the question names
    # (measured on the development sets: sure figures elsewhere were wrong as often as right).
    listed = [p for p in shown if PATTERN in p.origins and a.question.plural]
    structural = [p for p in shown if p.origins & {TITLE, HOLDER, TABLE, CREDIT} or PATTERN in p.origins
                  and (a.pins.meeting or a.question.kind != "number")
                  and (a.question.kind != "when" or HELD.search(a.question.folded)
                       or DEADLINE.search(a.question.folded) and p.value.endswith("前"))]  # "回执什么时候前报？"
    # a list question answered by a pattern that lists several items in one sentence ("A镇、B镇和C镇
    # 三镇交界" for "哪两个地方交界") of evidence meeting every pin
    structural += [p for p in listed if sum(o.candidate == p.candidate and o.sentence == p.sentence for o in listed) >= 2]
    best = reading.best
    if confidence < model.answerable.threshold and not structural:
        return Decision(False, confidence)
    if _needs_value(a) and not shown:
        return Decision(False, confidence)  # "哪天开的会？" over sentences that give no day
    if a.question.kind == "number" and not proposals:
        return Decision(False, confidence)  # "支出是多少？" where every figure is of something else
    if best is not None and _unit_missing(a, evidence.candidates[best[0]].folded) and \
            all(_unit_missing(a, p.value) for p in shown):
        return Decision(False, confidence)  # "多少户？" over a passage that counts nothing in 户
    if best is not None and _measure_missing(a, evidence.candidates[best[0]]):
        return Decision(False, confidence)  # "营业成本是多少？" over a passage that gives only 营业收入
    if asked_title(a.question) and not any(HOLDER in p.origins for p in proposals) and not asks_appointee(a.question):
        return Decision(False, confidence)  # "X市市长是谁？" where no text names one after that title
    if a.question.plural:
        shown = [p for p in shown if p.origins & {EXTRACTOR, PATTERN, TABLE, TITLE, HOLDER}
                 and (a.question.kind != "which-meeting" or MEETING_END.search(p.value))]  # meetings, not topics
        first = shown[0].candidate if shown else (best[0] if best else 0)
        return Decision(True, confidence, first, _distinct(shown))
    if not shown:
        first = best[0] if best else 0
        quoted = {cands[first].sentence, cands[first].second} if cands else set()
        if a.question.kind == "number" and not any(p.candidate == first and p.sentence in quoted for p in proposals):
            sure = [p for p in proposals if p.candidate == first and PATTERN in p.origins]
            if not sure:
                return Decision(False, confidence)  # "多少？" over a sentence with no figure that fits
            _quote_sentence(evidence, sure[0])  # the figure, written against what is asked, is in the next one
        if a.question.kind in ("who", "who-chaired") and cands and not _names_anyone(a, cands[first], quoted):
            return Decision(False, confidence)  # "院感科负责人叫什么名字？" over a sentence that names nobody
        return Decision(True, confidence, first)
    top = best[0] if best else 0
    chosen = min(shown, key=lambda p: (_rank(p), p.candidate != top, cands[p.candidate].passage.source != cands[top].passage.source,
                                       abs(p.sentence - cands[p.candidate].sentence), -p.span_p))
    _quote_sentence(evidence, chosen)
    return Decision(True, confidence, chosen.candidate, [chosen])


def _answerability(a: Analysis, evidence: Evidence, reading: Reading, proposals: list[Proposal],
                   model: ReaderModel) -> float:
    best = reading.best
    if best is None:
        return 0.0
    ci, si, sentence_p = best
    span_p = max((p.span_p for p in proposals if p.candidate == ci and p.sentence == si and RANKER in p.origins),
                 default=0.0)
    return float(model.answerable.probability([answerable_features(a.info, evidence.candidates, ci, si,
                                                                   sentence_p, span_p)])[0])


def answerable_features(info: QuestionInfo, cands: list[Candidate], ci: int, si: int, sentence_p: float,
                        span_p: float) -> list[float]:
    """The answerability row of sentence ``si`` of candidate ``ci`` (answering and ``qa train`` alike)."""
    c = cands[ci]
    ranked = [o for o in cands if o is not c and (o.hit.score or o.hit.dense)]
    s, e = sentence_of(c, si)
    return answerable_row(
        info, sentence_p, c.folded + "\n" + fold(c.passage.title), c.folded[s:e], c.hit.dense,
        c.hit.dense - max((o.hit.dense for o in ranked), default=c.hit.dense - 0.1),
        c.hit.score - max((o.hit.score for o in ranked), default=c.hit.score - 1.0), c.hit.lexical, span_p)


def _names_anyone(a: Analysis, c: Candidate, quoted: set[int | None]) -> bool:
    """Does the quote name a person (any jieba tags as one, foreign names too) other than those the
    question names? A figure has a regular written form and must fit the question (:mod:`.fits`);
    names do not, so for "who" only a quote that names nobody is no answer."""
    for si in quoted - {None}:
        s, e = sentence_of(c, si)
        if any(name not in a.question.folded for *_, name in people(c.folded, s, e)):
            return True
    return False


def _needs_value(a: Analysis) -> bool:
    """Questions that a quote without a value of the asked type cannot answer: who chaired, at
    what time, on which day, where or for how long a meeting was held, how many at a meeting or on a day."""
    kind = a.question.kind
    named = bool(MEETING_END.search(a.question.folded))
    return kind in ("who-chaired", "time-of-day") or kind in ("when", "where", "duration") and named or \
        kind == "number" and (named or a.pins.one_day or bool(a.pins.days))


def _unit_missing(a: Analysis, text: str) -> bool:
    """A "how many" question asking in a unit ("多少户", "多少名") over a passage that gives no
    number in that unit."""
    unit = a.question.unit
    if a.question.kind != "number" or not unit or unit == "%":
        return False
    units = "|".join(map(re.escape, unit_forms(unit)))
    return not re.search(rf"[\d一二三四五六七八九十百千万两]\s*(?:万|亿|千|百)?(?:余|多)?\s*(?:{units})"
                         rf"|(?:{units}){UNIT_LABEL}\d", text)  # a form's "人数：57"


#: Nouns a how-many question may write before 多少 that name no particular measure.
_NO_MEASURE = re.compile(r"^(?:人数|数量|总数|规模|金额|数字|数额|数目|个数|次数|多少|目前|现在|时间)$")


def _measure_missing(a: Analysis, c: Candidate) -> bool:
    """A how-many question names what it measures right before 多少 ("营业成本是多少", "薪酬是多少"):
    a passage that never writes it (its characters in order, a figure may stand between: 赞成票 in
    "赞成79票") gives figures of something else."""
    if a.question.kind != "number" or a.english:  # an English question's rendered noun is a dictionary's guess
        return False
    words = tagged(a.question.folded)
    at = next((i for i, (w, _) in enumerate(words) if w.startswith(("多少", "几"))), None)
    if not at:
        return False
    before = at - 1 if words[at - 1][0] in ("是", "为", "有", "达", "约") and at >= 2 else at
    word, tag = words[before - 1]
    if tag not in ("n", "vn", "nz") or len(word) < 2 or _NO_MEASURE.match(word):
        return False
    return re.search(r"[^，,。；;]{0,6}?".join(map(re.escape, word)), c.folded + "\n" + fold(c.passage.title)) is None


def _earned(a: Analysis, p: Proposal, model: ReaderModel) -> bool:
    kind = a.question.kind
    if kind in _CLAUSE_KINDS:
        return False  # a reason or a manner is a clause: the quote says it, a cut-out span would not
    if p.origins & {TITLE, HOLDER, TABLE, PATTERN, CREDIT}:
        return True
    if a.pins.meeting and kind in ("where", "when", "time-of-day", "who-chaired"):
        return False  # about a named meeting, a place or date is what its report's pattern says, not a guess
    if RANKER in p.origins and p.span_p >= model.span.threshold:
        return True
    kinds = model.span.info.get("kinds")
    rare = kinds is not None and kinds.get(kind, 0) < MIN_KIND_SUPPORT  # the training sets hardly ask it
    if NEURAL in p.origins and p.neural_p >= NEURAL_SHOW and not rare:  # the reader learned from those sets too
        return True
    if EXTRACTOR in p.origins:
        threshold = model.span.info.get("rule_thresholds", {}).get(kind)
        if RANKER in p.origins and threshold is not None and p.span_p >= threshold:
            return True
        return rare
    return False


#: Kinds whose answer is a clause, never shown as a short answer (yes/no, why, how).
_CLAUSE_KINDS = {"yes-no", "why", "how"}


def _rank(p: Proposal) -> float:
    """Strength of a proposal's sources; a relative date ("昨天") yields to a written-out one."""
    rank = min((rank for origins, rank in _STRENGTH if origins <= p.origins), default=9)
    return rank + (0.5 if relative_day(p.value) else 0.0)




def _distinct(shown: list[Proposal]) -> list[Proposal]:
    """A list's items once each; one named in full in one quote and in part in another, in full."""
    seen: dict[str, Proposal] = {}
    for p in shown:
        seen.setdefault(p.value, p)
    return [p for v, p in seen.items() if not any(v != o and v in o for o in seen)]


def _quote_sentence(evidence: Evidence, p: Proposal) -> None:
    """The chosen candidate quotes the sentence holding the short answer (and its quoted neighbour
    when they touch)."""
    c = evidence.candidates[p.candidate]
    if p.sentence in (c.sentence, c.second):
        return
    c.second = c.sentence if abs(c.sentence - p.sentence) == 1 else None
    c.sentence = p.sentence
