"""Who did what a question asks about: the subject of its verb in a sentence of the evidence.

"谁在教代会上作学校工作报告？" is answered by "校长顾明远代表学校作题为《…》的工作报告", where the
name stands far from the verb: the question's verb and object are found in the sentence, and the
people of that clause before the verb are its subject (those listed with one another all of them).
A negated question ("哪位董事没有出席…") is answered only by a negated report ("…未能出席").
"""

from __future__ import annotations

import re

from ..ingest.phrases import MEETING_END, TITLES, named_phrases
from ..ingest.tokens import tagged
from .question import Question


#: "谁在…上作工作报告", "在…上通报…的是谁", "哪位董事没有出席…": who, then what they did (or the reverse).
_WHO = r"(?:谁|哪位|哪几位|哪些人|哪两位|哪三位|何人)"
_DID_FIRST = re.compile(rf"^(?:.{{0,30}}?[上中]，?)?(.{{2,30}}?)的(?:人)?(?:是|有|为){_WHO}")
#: "提案工作报告是谁作的？": the object first, the verb after who.
_OBJECT_FIRST = re.compile(rf"^(?:.{{0,30}}?[上中]，?)?(.{{2,30}}?)是{_WHO}(作|做|写|提出|宣读|发布|致|通报)的")
_WHO_FIRST = re.compile(rf"{_WHO}(?:[\u4e00-\u9fff]{{0,6}}?(?:领导|董事|代表|干部|专家|研究员|负责人))?(?:在[^，,？?]{{1,24}}?[上中])?(.{{2,30}}?)[？?]?$")
_NEGATION = re.compile(r"没有|未能|未|没")
#: Words of a question's predicate that say how, not what: adverbs, particles, negation.
_NOT_PREDICATE = {"了", "的", "是", "都", "也", "亲自", "分别", "主要", "一起", "共同", "还"}


def _predicate(q: Question) -> tuple[str, tuple[str, ...], bool, bool] | None:
    """What the person asked about did or underwent: (verb, the words of its object, negated,
    passive) from "谁作了工作报告？", "通报…的是谁？", "哪位董事没有出席…？", "被免去…职务的是谁？";
    None for other questions ("X是谁？")."""
    if m := _OBJECT_FIRST.search(q.folded):
        phrase = m.group(2) + m.group(1)  # "提案工作报告是谁作的" → 作提案工作报告
    elif m := _DID_FIRST.search(q.folded) or _WHO_FIRST.search(q.folded):
        phrase = m.group(1)
    else:
        return None
    negated = bool(_NEGATION.match(phrase))
    phrase = _NEGATION.sub("", phrase, count=1) if negated else phrase
    passive = phrase.startswith("被")  # "被免去…职务的是谁": the one the verb is done to, written after it
    phrase = phrase[1:] if passive else phrase
    meetings = "".join(phrase[a:b] for a, b in named_phrases(phrase, 0, len(phrase), MEETING_END))
    tokens = [(w, flag) for w, flag in tagged(phrase) if w not in _NOT_PREDICATE and not flag.startswith(("u", "d", "x", "w"))
              and w not in meetings]  # "到…村民代表会议指导": a report says "到会指导"
    if not tokens or tokens[0][0] in ("是", "为", "叫"):
        return None
    # the object's words, but not a place or a person (a report need not repeat them next to the verb)
    rest = [w for w, flag in tokens[1:] if len(w) >= 2 and not flag.startswith(("ns", "nr"))] or \
        [w for w, _ in tokens[1:2]]
    return tokens[0][0], tuple(rest), negated, passive


def actors(q: Question, text: str, s: int, e: int, people_here: list[tuple[int, int, str]]
            ) -> tuple[list[tuple[int, int, str]], bool] | None:
    """The people who did what the question asks about: those written as the subject of its verb
    in one clause (with its object after it), "市委书记陈立安受市委常委会委托作工作报告"; sure when
    they are the only ones (or the question asks for several)."""
    if (asked := _predicate(q)) is None:
        return None
    verb, obj, negated, passive = asked
    if len(verb) == 1 and not obj:
        return None  # "作" alone says too little to find in a sentence
    for wanted in [obj] if len(verb) == 1 or not obj else [obj, ()]:
        for m in re.finditer(re.escape(verb), text[s:e]):
            at = s + m.start()
            if not all(w in text[at:min(e, at + len(verb) + 40)] for w in wanted):
                continue
            if bool(_NEGATION.search(text, max(s, at - 4), at)) != negated:
                continue  # "未能出席" does not answer who attended, nor "出席" who did not
            start = max([s, *(i + 1 for i in range(s, at) if text[i] in "，,。；;：:")])
            if passive:  # "免去X的…职务": the first person after the verb, in its clause
                after = at + len(verb)
                stop = next((i for i in range(after, e) if text[i] in "，,。；;"), e)
                done_to = [p for p in people_here if after <= p[0] and p[1] <= stop]
                if done_to:
                    return done_to[:1], len(done_to) == 1
                continue
            subjects = [p for p in people_here if start <= p[0] and p[1] <= at]
            if subjects:
                return (subjects if q.plural else _coordinated(text, subjects)), len(subjects) == 1 or q.plural
    return None


def _coordinated(text: str, subjects: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The last subject with those listed with it ("镇党委书记X、区副区长Y作了交流发言": both)."""
    out = [subjects[-1]]
    for p in reversed(subjects[:-1]):
        between = text[p[1]:out[0][0]]
        if len(between) > 14 or not re.search(r"[、和与及]", between):
            break
        out.insert(0, p)
    return out


def anchors(q: Question) -> list[str]:
    """Words next to the question word: "谁出席…" → 出席, "代市长是谁" → 代市长."""
    out = []
    if m := re.search(r"(?:谁|哪位|何人)([\u4e00-\u9fff]{2})", q.folded):
        out.append(m.group(1))
    if m := re.search(r"([\u4e00-\u9fff]{2})(?:谁|哪位|何人)", q.folded):  # "聘任谁为…"
        if m.group(1) not in ("是由", "由于") and not m.group(1).endswith("是"):
            out.append(m.group(1))
    if m := re.search(r"(?:^|上|中|里)([\u4e00-\u9fff]{2})[\u4e00-\u9fff]{0,10}的(?:是|人是)(?:谁|哪位)", q.folded):
        out.append(m.group(1))  # "在…会议上通报雨情水情的是谁" → 通报
    if m := re.search(r"([\u4e00-\u9fff]{2,4}?)(?:是|为)(?:谁|哪位|何人)", q.folded):
        word = m.group(1)
        out.append(word[-3:] if len(word) > 3 else word)
        titles = re.findall(TITLES, word)
        out.extend(titles)
    return out
