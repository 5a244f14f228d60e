"""Who did something in a meeting sentence: the subject before a verb, as (title, name) pairs.

Reports name people as title chains ("市委书记、市推进…领导小组组长黄钦") and lists
("市领导王明、李强，市政府秘书长赵丽"). The subject before a verb is cut at 、，, into items;
an item ending in a title word is a title that belongs to the next name; an item with a title
word followed by two to four characters is title + name; an item without a title is a name only
when jieba tags a person in it. All work is on folded text, returning spans into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .phrases import TITLES
from .tokens import tagged

_TITLE_WORD = re.compile(rf"(?:{TITLES}|领导|第一组长)")
_TRAILING = re.compile(r"(?:等|等人|等同志|同志|先生|女士|先后|随后|亲自|分别|专门|再次|也|还|又|均|一同|共同|应邀|受邀|特邀|"
                       r"及其他[\u4e00-\u9fff]{1,8}|及有关[\u4e00-\u9fff]{1,8}"
                       # "…覃某等8位企业家先后发言": how many there were, and what they are
                       r"|等[\d一二三四五六七八九十两几多余]+[位名人个][\u4e00-\u9fff]{0,6}?|等[\u4e00-\u9fff]{0,3}?领导(?:同志)?"
                       # "X受市委常委会委托作报告", "X代表市政府作报告": on whose behalf, not who
                       r"|受[\u4e00-\u9fff]{1,12}?委托|代表[\u4e00-\u9fff]{1,12}?(?=$))+$")
_PLACE = re.compile(r"在([^，,。；;、]{1,24}?)(?:$)")
_LIST_SPLIT = re.compile(r"以及|[、，,和及与]")
_NAME = re.compile(r"[\u4e00-\u9fff·]{2,4}")
_BODY_END = re.compile(r"(?:局|委|办|部|厅|署|站|所|队|委员会|中心|公司|集团|单位|政府|人大|政协|法院|检察院)$")
_GROUP_WORDS = ("同志", "负责", "部门", "单位", "板块", "代表", "干部", "群众", "人员")
_NOT_NAME_WORDS = ("同志", "负责", "部门", "单位", "板块", "代表", "干部", "群众", "人员", "领导", "会议")


@dataclass(frozen=True)
class Person:
    name: str
    #: The title chain and name as the text gives them ("市委书记、市长周斌"); the name alone if untitled.
    full: str
    #: (start, end) of ``full`` and of ``name`` in the text the subject was read from.
    full_span: tuple[int, int]
    name_span: tuple[int, int]


def subject(text: str, lo: int, verb: int, chain: bool = True) -> tuple[list[Person], str | None]:
    """People named right before ``verb`` (between ``lo`` and it), and a place "在X" if one is there.

    ``chain=False`` reads one person only (a chair); ``True`` reads a whole list (attendees).
    """
    end = verb
    place = None
    if m := re.search(r"在([^，,。；;、在]{1,24})$", text[lo:end]):
        place = m.group(1)
        end = lo + m.start()
    head = text[lo:end]
    if t := _TRAILING.search(head):
        end -= len(t.group(0))
    items = _items(text, lo, end)
    people: list[Person] = []
    group = False  # the list ends in a group of people ("…负责同志")
    sure = False  # a list of bare two-character items is names only beside a titled or tagged one
    for start, stop in reversed(items):
        item = text[start:stop]
        person = _person(text, start, stop)
        if person is None and chain and _NAME.fullmatch(item) and len(item) <= 3 \
                and not any(w in item for w in _NOT_NAME_WORDS) and not _TITLE_WORD.search(item):
            person = Person(item, item, (start, stop), (start, stop))  # "市领导王明、李强": a bare list item
        elif person is not None:
            sure = True
        if person is not None:
            if people and not chain:
                break
            people.append(person)
            continue
        if people and _ends_in_title(item):  # "市委副书记、市长周斌": a title of the name after it
            last, start = people[-1], _title_start(text, start, stop - start)  # "推进会由市委常委、…"
            people[-1] = Person(last.name, text[start:last.full_span[1]], (start, last.full_span[1]), last.name_span)
            continue
        if not people and chain and any(w in item for w in _GROUP_WORDS):  # "…，有关部门负责同志等参加"
            group = True
            continue
        if not people and chain and group and _BODY_END.search(item):
            continue  # "副县长X和县林业局、县应急管理局负责同志参加会议": the bodies of the group
        break
    if not sure:
        people = []
    return list(reversed(people)), place


def _items(text: str, lo: int, end: int) -> list[tuple[int, int]]:
    items, start = [], lo
    for m in _LIST_SPLIT.finditer(text, lo, end):
        items.append((start, m.start()))
        start = m.end()
    items.append((start, end))
    return [(s, e) for s, e in items if e > s]


def _ends_in_title(item: str) -> bool:
    return bool(re.search(rf"(?:{_TITLE_WORD.pattern})$", item))


def _person(text: str, start: int, stop: int) -> Person | None:
    item = text[start:stop]
    if re.search(r"[讯报]\s*$|\d", item) and not re.search(r"[\u4e00-\u9fff]{2,4}$", item):
        return None
    titles = list(_TITLE_WORD.finditer(item))
    if titles and titles[-1].end() < len(item):  # title + name
        name_start = start + titles[-1].end()
        name = text[name_start:stop]
        if _NAME.fullmatch(name) and not any(w in name for w in _NOT_NAME_WORDS) and not name.startswith("们"):  # 委员们
            return Person(name, text[_title_start(text, start, titles[0].start()):stop],
                          (_title_start(text, start, titles[0].start()), stop), (name_start, stop))
        return None
    if titles and titles[-1].end() == len(item):
        # "习近平总书记": a name, then its title
        lead = item[: titles[-1].start()]
        if _NAME.fullmatch(lead) and _tagged_person(lead):
            return Person(lead, item, (start, stop), (start, start + len(lead)))
        return None
    if _NAME.fullmatch(item) and _tagged_person(item) and not any(w in item for w in _NOT_NAME_WORDS):
        return Person(item, item, (start, stop), (start, stop))
    # jieba puts the name after an unknown prefix ("本报讯 周斌"): keep only a tagged tail
    tail = _tagged_tail(item)
    if tail:
        return Person(tail, tail, (stop - len(tail), stop), (stop - len(tail), stop))
    return None


def _title_start(text: str, start: int, first_title: int) -> int:
    """Where a title chain's own words begin: "本报讯 2月17日市委书记", "本次会议由董事长" → at the title."""
    head = text[start:start + first_title]
    cut = max((m.end() for m in re.finditer(r"[讯\s由]|\d+月\d+日|\d+日", head)), default=0)
    return start + cut


def _tagged_person(word: str) -> bool:
    return any(tag.startswith("nr") for _, tag in tagged(word))


def _tagged_tail(item: str) -> str | None:
    pairs = tagged(item)
    if not pairs:
        return None
    word, tag = pairs[-1]
    if tag.startswith("nr") and 2 <= len(word) <= 4:
        return word
    if len(pairs) >= 2 and pairs[-2][1].startswith("nr"):  # "陈 红红"
        joined = pairs[-2][0] + word
        if 2 <= len(joined) <= 4:
            return joined
    return None
