"""What a question asks for: its kind (from the cue table in :mod:`.kinds`), unit, head noun, people.

Pure functions over text. A question without a single Chinese character ("Who is the acting
mayor of Nantong?") is marked ``dense_only``: it is retrieved by the multilingual encoder
alone and judged answerable on dense similarity, since no Chinese word of it can be
counted in a passage (see :mod:`.english`). Follow-up questions are resolved before analysis,
by :class:`.conversation.Conversation`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.script import fold
from ..ingest.phrases import people
from ..ingest.tokens import words
from .kinds import OTHER, kind_of, kind_of_english

PLURAL = re.compile(r"哪些|哪几|哪两|哪三|几个|都有|分别|的有谁")
#: "多少亿元" keeps 亿元, "几个" keeps 个: the unit the short answer should end with.
UNIT = re.compile(
    r"(?:多少|几)(万亿元|亿元|万元|亿美元|万美元|美元|万人次|人次|台次|门次|架次|万人|亿|万|平方公里|平方米|公顷|亩|公里|千米|米|吨|千克|公斤"
    r"|[个家人次天张项名位年月岁条件台辆种批所户元座倍艘部本场届支只期层处例起宗套篇份])"
)
#: Units a count may be written in for the unit a question asks: persons are counted in 名 and 位 too.
_PERSONS = ("人", "名", "位")
_SAME_COUNT = {"人": _PERSONS, "名": _PERSONS, "位": _PERSONS}


def units_asked(folded: str) -> set[str]:
    """Every unit a question asks in ("多少起…、死亡多少人": 起 and 人)."""
    return {u for m in UNIT.finditer(folded) if (u := _unit(folded, m))}


def _unit(folded: str, m: re.Match[str]) -> str | None:
    if m.group(1) == "个" and re.match(r"人?[？?]?$", folded[m.end():]):
        # "实到几个？" asks how many in whatever they are counted in ("实到41人"); "几个人" counts persons
        return "人" if folded[m.end():].startswith("人") else None
    if len(m.group(1)) == 1 and folded[m.start(1):m.end(1) + 1] in _NOUNS_NOT_UNITS:
        return None  # "多少项目" counts projects (in 个 or 项), "多少人口" people: the first character is no unit
    return m.group(1)


#: Nouns whose first character is also a measure word: asked after 多少, they are what is counted.
_NOUNS_NOT_UNITS = frozenset("项目 人口 人员 名单 名额 家庭 户籍 条例 场所 台账 种类 批次 所属 件数 次数 天数 元素".split())


def unit_forms(unit: str) -> tuple[str, ...]:
    """The units a figure may end with to answer a question asking in ``unit``."""
    return _SAME_COUNT.get(unit, (unit,))


#: Things counted in money: "总投资多少？" wants a sum in 元 (亿元, 万元).
MONEY = re.compile(r"多少钱|金额|资金|投资|投入|花费|补贴|补助|拨付|拨款|融资|营业额|产值|总值|收入|税收|利润|营收|预算|经费|费用|价格|造价|贷款|成交额|销售额")
HEAD_NOUN = re.compile(r"(?:哪个|哪些|哪项|哪件|哪份|哪篇|哪条|哪部|哪家|什么|哪一个|哪一家|何种)([\u4e00-\u9fff]{0,6}?)([\u4e00-\u9fff]{2})(?=[？?。，,]|$|是)"
                       r"|()([\u4e00-\u9fff]{2})(?:是|为)(?:哪家|哪一家|哪个)(?=[？?。，,]|$)")  # "…会计师事务所是哪家？"
#: Question words that jieba keeps as words but no passage holds: not searched, not counted.
QUESTION_WORDS = frozenset([
    "几点", "几时", "多久", "多长", "多长时间", "多少时间", "是不是", "有没有", "能不能", "会不会", "怎样", "怎么样", "怎么", "为啥", "何以", "缘何",
    "因何", "何地", "何处", "何人", "哪天", "哪年", "哪一年", "哪一天", "几月", "几号", "几日", "何种", "哪种", "哪里", "哪儿", "什么样", "吗",
    "么", "呢",
])
CHINESE = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Question:
    text: str  # as asked (after follow-up resolution)
    folded: str
    kind: str  # a name from qa.answer.kinds (stable strings), or "other"
    words: list[str]
    plural: bool
    unit: str | None  # "家" in 多少家, "亿元" in 多少亿元
    head: str | None  # "方案" in 哪个招商引资方案
    people: list[str]  # names in the question
    #: No Chinese word in the question: retrieve by the dense side alone and judge "not found"
    #: on dense similarity, not on Chinese word coverage (the reader honours this flag).
    dense_only: bool = False
    #: Names in an English question (in pinyin) that no retrieved passage holds ("Beijing").
    unknown_names: tuple[str, ...] = ()
    #: The Chinese words an English question's pinyin spells (苍岭县 for "Cangling County"): what it pins.
    spelled: tuple[str, ...] = ()


def analyze(text: str) -> Question:
    folded = fold(text)
    if len(LATIN.findall(folded)) > 2 * len(CHINESE.findall(folded)):  # "Who is 黄思宇?" is English
        return _english(text, folded)
    kind = kind_of(folded)
    if kind == OTHER and LATIN.search(folded):  # "Who is 南通的代市长?"
        kind = kind_of_english(folded)
    m = UNIT.search(folded)
    unit = _unit(folded, m) if m else None
    if m and unit in ("万", "亿") and (more := re.match(r"平方米|平方公里|千瓦|[亩吨户人元个台辆套件名座]", folded[m.end():])):
        unit += more.group()  # "多少万亩": 万亩, as the figure writes it ("360万亩")
    if unit is None and re.search(r"比例|比重|占比|百分|比率|增长率|率是|(增长|增幅|下降|降低|提高|上涨|涨幅|同比|环比)(了)?(多少|几)", folded):
        unit = "%"
    if unit is None and kind == "number" and MONEY.search(folded):
        unit = "元"
    head = None
    if kind in ("what", "which-meeting") and (m := HEAD_NOUN.search(folded)):
        head = m.group(2) or m.group(4)
    return Question(
        text=text,
        folded=folded,
        kind=kind,
        words=[w for w in words(text) if w not in QUESTION_WORDS],
        # "有几个？" asks for a count, "哪几个？" for a list
        plural=bool(PLURAL.search(folded)) and not (kind == "number" and not re.search(r"哪|分别|都有", folded))
        or kind == "number" and len(re.findall(r"多少|几", folded)) >= 2,  # "应到几名、实到几名？": two counts
        unit=unit,
        head=head,
        people=people_in(folded),
    )


def _english(text: str, folded: str) -> Question:
    kind = kind_of_english(folded)
    plural = bool(re.search(r"\b(meetings|(which|what) (two|three|four|several|ones|places|people|cities|towns))\b", folded.lower()))
    unit = "%" if re.search(r"\b(percent|percentage|proportion|share|rate)\b", folded.lower()) else None
    return Question(text=text, folded=folded, kind=kind, words=words(text), plural=plural, unit=unit,
                    head=None, people=[], dense_only=True)


def people_in(text: str) -> list[str]:
    """Person names in ``text`` (folded), in order, without repeats; not the head of a company's
    name ("华启|精工" reads as a person to jieba)."""
    return list(dict.fromkeys(name for _, end, name in people(text, 0, len(text)) if not _FIRM.match(text, end)))


#: Words a company's short name ends with, after its own name: "某某新材", "某某科技", "某某股份".
_FIRM = re.compile(r"新材|科技|集团|股份|公司|精密|精工|智能|智装|智造|银行|药业|实业|物流|建材|材料|电子|电气|机械|能源|控股"
                   r"|传媒|农业|食品|置业|地产|证券|保险")
