"""English questions over Chinese documents: the Chinese words they name.

The multilingual encoder retrieves an English question by meaning alone (``Question.dense_only``).
To choose the sentence to quote and the short answer, the reader needs the question's words
in Chinese: common words of official news come from a small glossary, and proper names
("Nantong", "Du Xiaogang") are found in the retrieved passages by their pinyin. The result is
a Chinese rendering of the question built only from words of the passages and the glossary
("南通代市长是谁"), shown to the user as what the question was understood as.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..ingest.passages import Passage
from ..ingest.script import fold
from ..ingest.tokens import words
from .question import Question, analyze

#: English word or phrase → Chinese words as the documents write them. Longer phrases first.
GLOSSARY: dict[str, str] = {
    "acting mayor": "代市长", "vice mayor": "副市长", "deputy mayor": "副市长", "mayor": "市长",
    "acting governor": "代省长", "vice governor": "副省长", "governor": "省长",
    "party secretary": "书记", "deputy secretary": "副书记", "secretary": "书记",
    "municipal party standing committee": "市委常委会", "provincial party standing committee": "省委常委会",
    "party standing committee": "常委会", "municipal party committee": "市委", "provincial party committee": "省委",
    "standing committee": "常委会", "leading group": "领导小组", "working group": "领导小组",
    "chairman": "主席", "chairwoman": "主席", "director": "主任", "head": "组长",
    "enlarged": "扩大", "expanded": "扩大", "chaired": "主持", "chair": "主持", "presided": "主持", "hosted": "主持",
    "attended": "参加", "attend": "参加", "took part": "参加", "participated": "参加",
    "meeting": "会议", "meetings": "会议", "conference": "会议", "session": "会议",
    "epidemic prevention": "疫情防控", "epidemic": "疫情", "pandemic": "疫情", "covid": "疫情",
    "prevention and control": "防控", "prevention": "防控",
    "resumption of work": "复工", "resumed work": "复工", "resume work": "复工", "resumption": "复工",
    "enterprises": "企业", "enterprise": "企业", "companies": "企业", "company": "企业", "firms": "企业",
    "industrial": "工业", "above designated size": "规模以上",
    "passes": "出入证", "pass": "出入证", "permits": "出入证",
    "investment promotion": "招商引资", "attracting investment": "招商引资", "investment": "招商引资",
    "plan": "方案", "program": "方案", "programme": "方案",
    "integration": "一体化", "yangtze river delta": "长三角", "delta": "长三角",
    "province": "省", "provincial": "省", "municipal": "市", "city": "市", "town": "镇", "county": "县",
    "border": "交界", "borders": "交界", "bordering": "交界", "adjacent": "交界",
    "proportion": "比例", "percentage": "比例", "rate": "比例",
    "first": "第一次", "plenary": "全体会议", "video": "视频", "branch venue": "分会场",
    "economic": "经济", "economy": "经济", "development": "发展", "work": "工作",
    "first day": "首日", "accumulated": "累计", "cumulative": "累计",
}
_GLOSS = re.compile(r"\b(" + "|".join(sorted(map(re.escape, GLOSSARY), key=len, reverse=True)) + r")\b", re.IGNORECASE)
#: Capitalised words (runs of them: "Du Xiaogang"): candidates for names read in pinyin.
_PROPER = re.compile(r"\b[A-Z][a-z]+(?:[\s-][A-Z][a-z]+)*\b")
#: One pinyin syllable; a capitalised word that is not a run of them ("Party", "France") is no name.
_SYLLABLE = (r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|uan|ian|iao|uai|ai|ei|ao|ou"
             r"|an|en|er|ia|ie|in|iu|ua|uo|ui|un|ve|a|o|e|i|u|v)")
_PINYIN_WORD = re.compile(rf"(?:{_SYLLABLE}){{2,4}}")
_SYLLABLES = re.compile(rf"(?:{_SYLLABLE}){{1,4}}")
#: "how many enterprises", "what proportion": the thing counted, put last ("…企业是多少").
_COUNTED = re.compile(r"\bhow (?:many|much)\s+(\w+)|\b(proportion|percentage|share|rate)\b", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                        "september", "october", "november", "december"], 1)}
_DATE = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{1,2})(?:st|nd|rd|th)?\b", re.IGNORECASE)
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b", re.IGNORECASE)
_ENGLISH_STOP = {"Who", "What", "When", "Where", "Which", "How", "Why", "Is", "Are", "Was", "Were", "Did",
                 "Does", "Do", "The", "In", "On", "At", "Of", "For", "By", "Can", "Name"}

#: The Chinese question form for each kind, around the words found: analysed like any question.
TEMPLATES = {
    "who-chaired": "谁主持了{}？", "who": "{}是谁？", "when": "{}是什么时候？", "where": "{}在哪里？",
    "number": "{}是多少？", "which-meeting": "{}参加了哪个会议？", "what": "{}是什么？",
    "why": "为什么{}？", "how": "如何{}？", "yes-no": "{}吗？", "duration": "{}多久？", "time-of-day": "{}几点？",
}


def gloss(q: Question, passages: list[Passage]) -> Question:
    """``q`` (English) with the Chinese words it names, as found in ``passages``; its kind stays.

    Names spelled in pinyin that no passage holds ("Beijing") are kept in ``unknown_names``:
    the reader answers "not found" for them rather than quoting a passage about someone else.
    """
    text = q.text
    names, unknown = _names(text, passages)
    dates = [f"{_MONTHS[m.group(1).lower()]}月{int(m.group(2))}日" for m in _DATE.finditer(text)]
    ordinals = [f"第{m.group(1)}次" for m in _ORDINAL.finditer(_DATE.sub(" ", text))]
    template = TEMPLATES.get(q.kind, "{}？")
    if q.kind == "which-meeting" and q.plural:
        template = "{}参加了哪些会议？"
    glossed = [GLOSSARY[m.group(1).lower()] for m in _GLOSS.finditer(text)]
    glossed = [w for w in glossed if w not in template]
    if q.kind == "number" and (m := _COUNTED.search(text)):
        counted = [GLOSSARY.get(m.group(1).lower() if m.group(1) else "proportion", "")]
        glossed = [w for w in glossed if w not in counted] + counted
    found = list(dict.fromkeys([*dates, *names, *glossed, *ordinals]))
    if not found:
        return replace(q, unknown_names=tuple(unknown))
    body = "".join(found)
    chinese = analyze(template.format(body))
    return Question(text=q.text, folded=chinese.folded, kind=q.kind, words=chinese.words or words(body),
                    plural=q.plural or chinese.plural, unit=q.unit or chinese.unit, head=chinese.head,
                    people=[n for n in names if n in chinese.people] or chinese.people, dense_only=True,
                    unknown_names=tuple(unknown))


def _names(text: str, passages: list[Passage]) -> tuple[list[str], list[str]]:
    """Chinese words of the passages whose pinyin spells a capitalised word of ``text``,
    and the pinyin-like words that none spells."""
    wanted: dict[str, list[str]] = {}  # pinyin → the English words it stands for
    for m in _PROPER.finditer(text):
        run = [w for w in re.split(r"[\s-]+", m.group()) if w not in _ENGLISH_STOP]
        run = [w for w in run if _SYLLABLES.fullmatch(w.lower()) and w.lower() not in GLOSSARY]
        if run and (len(run) > 1 or _PINYIN_WORD.fullmatch(run[0].lower())):
            wanted["".join(run).lower()] = run
        for w in run:  # "Du Xiaogang": also each word of two syllables or more alone
            if _PINYIN_WORD.fullmatch(w.lower()):
                wanted.setdefault(w.lower(), [w])
    if not wanted:
        return [], []
    found: dict[str, str] = {}  # Chinese word → pinyin
    for p in passages:
        chars = fold(p.text)
        syllables = [_pinyin(c) for c in chars]
        for size in (2, 3, 4):
            for i in range(len(chars) - size + 1):
                spelled = "".join(syllables[i:i + size])
                if all(syllables[i:i + size]) and spelled in wanted:
                    found.setdefault(chars[i:i + size], spelled)
    # The longest spelling of each English word wins ("杜小刚" for "Du Xiaogang" over "小刚").
    names = [w for w in found if not any(w != o and w in o for o in found)]
    covered = {part.lower() for w in names for part in wanted[found[w]]}
    unknown = [run[0] for key, run in wanted.items() if len(run) == 1 and key not in covered]
    return names, unknown


@lru_cache(maxsize=8192)
def _pinyin(char: str) -> str:
    if not re.match(r"[\u4e00-\u9fff]", char):
        return ""
    from pypinyin import lazy_pinyin  # ~0.3 s to import; only English questions need it

    return lazy_pinyin(char)[0]


def english_answerable(question: Question, dense: float, min_dense: float) -> bool:
    """"Not found" for a question with no Chinese words (neither reader has Chinese words to
    cover, nor training data for it): a name it spells that no passage holds, or a passage
    less similar than ``min_dense`` (cross-lingual cosines run lower)."""
    return not question.unknown_names and dense >= min_dense
