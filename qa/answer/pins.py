"""What a question pins down, and whether a piece of evidence meets it.

"南通代市长是谁？" is not answered by a sentence about another city's acting mayor, "3月12日当天
新增多少例？" not by another day's figure nor by a two-day total, "第13次会议" not by the 12th.
Overlap features weigh such words like any other; here they are hard conditions: a quote
answers only if the places, people, dates, ordinals and owners the question names stand in the
quote's passage, its headline, its document's lead or its report date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.meeting_dates import EVENT_DATE
from ..ingest.phrases import COMPOUND_SURNAMES, DATE, EVENT_WORDS, MEETING_END, SURNAMES, is_named, named_phrases
from ..ingest.tokens import tagged
from .features import ORDINAL
from .question import Question
from .titles import asked_title

#: Administrative suffixes a place may be written with or without ("南通市" / "南通").
_ADMIN = re.compile(r"(?:市|省|县|区|镇|乡|村|州|盟|旗|自治区|自治州|街道)$")
#: Words jieba may tag as places that name no particular place.
_VAGUE = re.compile(r"^(?:全|本|该|我|各|外|此|当|市区|城区|省内|国内|境内|全国|各地|当地|基层|地方|城市|地区|国家|省份|城镇"
                    r"|乡村|农村|东西|南北|世界|海外)")
#: The question asks for one day's figure (not a total over several).
ONE_DAY = re.compile(r"当天|当日|单日|首日|那天|这一天|同一天|第[一二三四五六七八九十\d]+天")
#: A clause giving a total over a period.
TOTAL = re.compile(r"累计|合计|共计|总计|总共|一共|两天|三天|连续|期间|以来|本届|全程|共(?:吸引|接待|有|达|签约|完成|实现|举办|迎来)")
ASKS_TOTAL = re.compile(r"累计|合计|共计|总计|总共|一共|总数|共有|共计")
#: A day counted within an event: "首日", "开幕当天", "第二天".
DAY_ORDINAL = re.compile(r"首日|开幕(?:当天|当日|日)|第[一二三四五六七八九十\d]+天")


@dataclass(frozen=True)
class Pins:
    places: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    #: What a title in the question belongs to ("南通" in "南通代市长是谁？").
    owners: tuple[str, ...] = ()
    #: (month, day) of every date the question names.
    days: tuple[tuple[int, int], ...] = ()
    ordinals: tuple[str, ...] = ()
    one_day: bool = False
    #: Days named without a month ("7日"): a number asked for them stands in a sentence naming them.
    day_words: tuple[str, ...] = ()
    wants_total: bool = False
    #: Years named ("2021年"): a figure of another year does not answer.
    years: tuple[str, ...] = ()
    #: The meeting the question names ("青河市防汛工作会议"), as character pairs: evidence about
    #: another meeting shares few of them.
    meeting: frozenset[str] = frozenset()
    meeting_name: str = ""
    #: Words of an English question that no passage or glossary entry renders: nothing can check them.
    unrendered: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.places or self.people or self.owners or self.days or self.ordinals or self.years
                    or self.meeting or self.unrendered)


def pins_of(q: Question, unrendered: tuple[str, ...] = ()) -> Pins:
    text = q.folded
    asked = asked_title(q)
    owners = [_stem(asked[1])] if asked and asked[1] else []
    meeting = meeting_named(text)
    places = [_stem(w) for w in _places(text) if not _VAGUE.match(w)
              and not re.match(r"[日月年号市省县区镇]", w)]  # "2月17日|市…" is no place called 日市
    places += [_stem(w) for w in q.spelled if w not in q.people]  # "Cangling County" → 苍岭(县)
    return Pins(
        places=tuple(dict.fromkeys(p for p in places if len(p) >= 2 and p not in owners)),
        # Only names written as Chinese names: jieba tags many things as people (温网, 多伦多).
        people=tuple(p for p in q.people if p[0] in SURNAMES or p[:2] in COMPOUND_SURNAMES),
        owners=tuple(dict.fromkeys(owners)),
        days=tuple(dict.fromkeys(_days(text))),
        ordinals=tuple(re.sub(r"\s+", "", m.group()) for m in ORDINAL.finditer(text))
        + tuple(f"第{m.group()}" for m in _BARE_ORDINAL.finditer(meeting)),  # "十五届八次全会"
        # A figure asked for a named day is that day's, not a total over several.
        one_day=bool(ONE_DAY.search(text)) or q.kind == "number" and bool(_days(text) or re.search(r"(?<![月\d])\d{1,2}日", text)),
        meeting=frozenset(pairs(meeting)),
        meeting_name=meeting,
        day_words=tuple(dict.fromkeys(m.group() for m in re.finditer(
            r"(?<![月\d])\d{1,2}日|第[一二三四五六七八九十\d]+天|首日", text))),
        years=tuple(dict.fromkeys(re.findall(r"(?:19|20)\d{2}年", text))),
        wants_total=bool(ASKS_TOTAL.search(text)),
        unrendered=unrendered,
    )


def unmet(pins: Pins, context: str, days: set[tuple[int, int]], passage: str = "") -> list[str]:
    """What the question pins down that ``context`` (folded passage, headline, lead) does not
    hold; ``days`` are the (month, day) pairs the evidence is dated by or names. About a meeting
    the question names, people must stand in the ``passage`` itself (with its headline): what X
    said at it is not in a paragraph about others."""
    squeezed = re.sub(r"\s+", "", context)
    own = re.sub(r"\s+", "", passage) if passage and pins.meeting else squeezed
    missing = [w for w in pins.places if not _held(w, squeezed) and not _named_short(w, squeezed)]
    missing += [w for w in pins.owners if not _held(w, squeezed) and not _owner_parts_held(w, squeezed)]
    missing += [w for w in pins.years if w not in squeezed]
    missing += [w for w in pins.people if not _held(w, own)]
    if pins.ordinals:  # "第4次" is met by "第四次"
        have = ordinals_in(squeezed)
        missing += [o for o in pins.ordinals if not ordinals_in(o) <= have]
    missing += [f"{m}月{d}日" for m, d in pins.days if (m, d) not in days]
    if pins.meeting and not _meeting_met(pins.meeting_name, pins.meeting, _MENTIONED.sub("", squeezed)):
        missing.append(pins.meeting_name)
    return missing + list(pins.unrendered)


#: A meeting named only as what another passes on ("传达学习全省…会议精神"): not the one reported.
_MENTIONED = re.compile(r"(?:传达|学习|贯彻|落实)[^，,。；;]{0,40}?精神")


def _meeting_met(name: str, asked: frozenset[str], text: str) -> bool:
    """The evidence names the meeting asked about: most of its character pairs, and its kind (a
    "…大会" is not met by a "…座谈会" on the same topic); or a short form of it (教代会)."""
    if abbreviates(name, text):
        return True
    kind = MEETING_END.search(name[-6:])
    return len(asked & pairs(text)) >= MEETING_SHARE * len(asked) and \
        (not kind or kind.group() in text or abbreviates(kind.group(), text, shortest=2))


def abbreviates(short: str, text: str, shortest: int = 3) -> bool:
    """A meeting's short form stands for a name of ``text`` holding its characters in order within
    one phrase: 教代会 = 教职工代表大会, 茶博会 = 茶产业博览会, 人代会 = 人民代表大会."""
    if not shortest <= len(short) <= 8:
        return False
    gap = r"[^，,。；;、：:！？!?\s]{0,6}?"
    # one phrase, not a clause: "人大常委会主任某某主持会议" holds 人大…主任…会议 but names no 主任会议
    return any(not _CLAUSE_VERB.search(m.group()) for m in re.finditer(gap.join(map(re.escape, short)), text))


_CLAUSE_VERB = re.compile(r"主持|出席|参加|讲话|强调|指出")  # "某村召开村民代表大会" does name it


def _held(word: str, text: str) -> bool:
    """``word`` stands in ``text``, or does once a character jieba glued on is dropped: "潘淑|是谁",
    "青海|地区", "侯景|封了" come out of questions as 潘淑是, 青海地, 侯景封."""
    return word in text or len(word) >= 3 and word[-1] in _GLUED and word[:-1] in text


def _owner_parts_held(owner: str, text: str) -> bool:
    """"苍岭市应急管理局": the text says "市应急管理局" and names 苍岭 in its headline or lead;
    "栗川七中高三年级", "栗川县人民医院护理部": a body and its unit, each written somewhere in the text
    (the body as a place's short form too: "栗川市第七中学"). Pieces are cut where jieba cuts words and
    are three characters or more: "第一人民医院" is not met by "第二人民医院" and a "第一" elsewhere."""
    m = re.match(r"(.{2,4}?)[省市县区镇](.{2,})$", owner)
    if m is not None and m.group(1) in text and m.group(2) in text:
        return True
    cuts = [0]
    for word, _ in tagged(owner):
        cuts.append(cuts[-1] + len(word))
    return any((owner[:k] in text or not re.search(r"[省市县区]", owner[:k]) and _named_short(owner[:k], text))
               and _parts_held(owner, k, cuts, text, 1)
               for k in cuts[1:-1] if k >= 2)


def _parts_held(owner: str, start: int, cuts: list[int], text: str, splits: int) -> bool:
    """``owner[start:]`` stands in ``text`` whole, or (``splits`` more times at most) as pieces."""
    rest = owner[start:]
    if rest in text and len(rest) >= 3:
        return True
    return splits > 0 and any(k - start >= 3 and owner[start:k] in text and _parts_held(owner, k, cuts, text, splits - 1)
                              for k in cuts if start < k < len(owner))


def _named_short(place: str, text: str) -> bool:
    """"栗川七中" (jieba: 栗川七|中) is the text's "栗川市第七中学": a place asked in a short form is met
    where its first two characters stand as a place ("栗川市", "栗川县")."""
    return len(place) >= 3 and re.search(rf"{re.escape(place[:2])}(?:市|县|区|省|镇|乡|村|州)", text) is not None


#: Characters jieba glues onto the end of a name in a question: verbs, prepositions, particles.
_GLUED = set("是在于的为被将把对和与及向给让曾已也都又封说地名")


_ORDINAL = re.compile(r"第\s*([0-9]+|[一二三四五六七八九十百千零两]+)\s*(次|届|个|期|批|轮|号|版|条|季)")


#: An ordinal of a meeting's short name, written without 第: "十五届八次全会".
_BARE_ORDINAL = re.compile(r"(?<![第\d零一二三四五六七八九十百])([零一二三四五六七八九十百\d]{1,3})(届|次)(?=[\u4e00-\u9fff])")


def ordinals_in(text: str) -> set[tuple[int, str]]:
    """(number, unit) of every ordinal in ``text``, Chinese numerals read by cn2an: 第四次 = 第4次,
    and "十五届八次" = 第十五届第八次."""
    found = set()
    for m in [*_ORDINAL.finditer(text), *_BARE_ORDINAL.finditer(text)]:
        if (number := _number(m.group(1))) is not None:
            found.add((number, m.group(2)))
    return found


def _number(written: str) -> int | None:
    if written.isdigit():
        return int(written)
    import cn2an  # 0.4 s to import; only questions naming an ordinal need it

    try:
        return int(cn2an.cn2an(written, "smart"))
    except ValueError:
        return None


def _arabic_ordinals(text: str) -> str:
    """Ordinals' numbers in digits, so that "第13次常务会" and "第十三次常务会议" share their pairs."""
    def digits(m: re.Match) -> str:
        number = _number(m.group(1))
        return m.group() if number is None else m.group().replace(m.group(1), str(number), 1)
    return _BARE_ORDINAL.sub(digits, _ORDINAL.sub(digits, text))


#: Share of the character pairs of the meeting a question names that its evidence must hold.
MEETING_SHARE = 0.6


def meeting_named(text: str) -> str:
    """The meeting a question names ("谁主持了青河市防汛工作会议？" → 青河市防汛工作会议), without
    dates and punctuation; "" when it names none."""
    names = [text[s:e] for s, e in named_phrases(text, 0, len(text), MEETING_END)
             if (is_named(text, (s, e)) or _KIND_OF_MEETING.fullmatch(text[s:e]))
             and not re.search(r"什么|哪|何|几|谁", text[s:e])]
    if not names:
        return ""
    name = re.sub(r"[\W_]+", "", DATE.sub("", max(names, key=len)))
    # "某某网转载的这篇常务会议报道": the meeting is what follows the words that point at the report
    named = re.split(r"这篇|那篇|该篇|这条|那条|这次|那次|本次|这个|那个|这场|那场", name)[-1]
    name = named if len(named) >= 3 else name  # "批评的那个会议": no meeting named after the pointer
    return name.lstrip("了的在于")


#: A kind of meeting named by its word alone ("推进会", "茶博会", "全会"): the evidence must be about one.
_KIND_OF_MEETING = re.compile(rf"(?:{EVENT_WORDS}|全)会")


def pairs(text: str) -> set[str]:
    """The character pairs of ``text``: how meeting names are compared, in one short form, since a
    report names "中国共产党苍岭县第十五届委员会第八次全体会议" what a question calls "苍岭县委十五届八次全会"."""
    if re.search(r"[零一二三四五六七八九十百][届次]", text):
        text = _arabic_ordinals(text)
    for long, short in _SHORT_FORMS:
        text = text.replace(long, short)
    text = _TERM_BEFORE_BODY.sub(r"\1委\2", text)  # "沅岭市第十三届委员会" is the 市委 of its 十三届
    return {text[i:i + 2] for i in range(len(text) - 1)}


#: A party committee written out with its term between place and body: "市13届委" (市第十三届委员会).
_TERM_BEFORE_BODY = re.compile(r"([市县省区])(\d+届)委")
#: How names of meetings are shortened: (written out, short).
_SHORT_FORMS = (("中国共产党", ""), ("中共", ""), ("委员会", "委"), ("全体会议", "全会"), ("代表大会", "代会"),
                ("第", ""), ("县委委", "县委"), ("市委委", "市委"), ("省委委", "省委"))


def _places(text: str) -> list[str]:
    """Places jieba tags, with a lone character it cut off before them ("江|澜省" → 江澜省)."""
    words = tagged(text)
    out = []
    for i, (w, flag) in enumerate(words):
        if re.fullmatch(r"[省市县区镇乡村]里", w):
            continue  # "镇里谁到会指导": the town, whichever it is
        if flag == "ns" and len(w) >= 2 or flag.startswith("nr") and len(w) >= 3 and _ADMIN.search(w):
            lead, lead_flag = words[i - 1] if i else ("", "")
            if len(lead) == 1 and re.match(r"[\u4e00-\u9fff]", lead) and lead not in _FUNCTION and \
                    not lead_flag.startswith(("v", "p", "c", "u", "d", "m", "q", "r")):  # "朔|湄市", "江|澜省"
                w = lead + w
            out.append(w)
        elif 2 <= len(w) <= 3 and flag.startswith(("nr", "nz", "n")) and i + 1 < len(words) \
                and words[i + 1][0] in _ADMIN_UNITS and re.fullmatch(r"[\u4e00-\u9fff]+", w):
            out.append(w + words[i + 1][0])  # "蓝桥|市": a name jieba takes for a person's, then its unit
    return out


#: A unit of administration written as a word of its own after a place's name.
_ADMIN_UNITS = {"市", "县", "省", "区", "镇", "乡", "村", "州"}
#: Single characters that stand before a place without being part of it.
_FUNCTION = set("在是的了和与及从到对向于由为将把被给让请问谁哪")


def days_in(*texts: str | None) -> set[tuple[int, int]]:
    """(month, day) of every absolute date in ``texts`` (ISO dates included)."""
    out: set[tuple[int, int]] = set()
    for text in texts:
        if text:
            out.update(_days(text))
    return out


def is_total(clause: str) -> bool:
    return bool(TOTAL.search(clause))


def _days(text: str) -> list[tuple[int, int]]:
    found = [(int(m.group(2)), int(m.group(3))) for m in EVENT_DATE.finditer(text) if m.group(2)]
    found += [(int(m.group(2)), int(m.group(3))) for m in re.finditer(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)]
    return found


def _stem(place: str) -> str:
    """"南通市" → "南通": a place is met by either form."""
    stem = _ADMIN.sub("", place)
    return stem if len(stem) >= 2 else place
