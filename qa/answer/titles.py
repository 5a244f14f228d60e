"""People and their titles: "X是谁？ / X担任什么职务？" and "谁是…代市长？ / …县长叫什么名字？".

These questions share almost no words with their answers, so overlap features undervalue the
sentence that answers them; what does answer them is a structure: a title written right before
a name ("副市长周立群"). Both finders propose spans; whether the place or organisation the
question names is met is the pins' business (:mod:`.pins`), whether to show it the decision's.
"""

from __future__ import annotations

import re

from ..ingest.phrases import NOT_NAME, TITLES, name_shaped, people
from ..ingest.tokens import tagged
from .question import Question

#: "X是谁？", "X是什么人", "X担任什么职务？", "X的职务是什么？": the question names a person X.
_WHO_IS = re.compile(r"(?P<name>[\u4e00-\u9fff·]{2,4}?)(?:是|为)(?:谁|何人|什么人)"
                     r"|(?P<name2>[\u4e00-\u9fff·]{2,4}?)(?:现在|目前)?(?:在[\u4e00-\u9fff]{2,12}?)?的?(?:(?:担任|任)[\u4e00-\u9fff]{2,12}?的?|担任|任|是|现任)?"
                     r"(?:什么|何种?|哪个|哪些|啥)(?:职务|职位|官职|身份|职)"
                     r"|(?P<name3>[\u4e00-\u9fff·]{2,4}?)\s*的?\s*(?:职务|职位|身份)(?:是什么|是)?"
                     # "X是干什么的？", "X是做啥的", "X是某某公司的什么？"
                     r"|(?P<name5>[\u4e00-\u9fff·]{2,4}?)是(?:干|做)(?:什么|啥)(?:工作)?的"
                     r"|(?P<name6>[\u4e00-\u9fff·]{2,4}?)是[\u4e00-\u9fff]{2,12}?的(?:什么|啥)(?:人|职务)?"
                     # "X是哪个单位的？", "X是哪家公司的什么职务？", "X是哪里的官员？"
                     r"|(?P<name4>[\u4e00-\u9fff·]{2,4}?)是(?:哪个|什么|哪家|哪里|哪一个|哪一家)(?:单位|部门|公司|机构|地方)?的"
                     r"(?:领导|负责人|官员|干部|人)?[，,]?(?:(?:担任)?什么职务)?")
#: A title as a question asks for its holder: the longest form ("代市长", not "市长").
_TITLE = re.compile(rf"(?:常务副|代理|代|副)?(?:{TITLES})")
#: "岭东市委书记", "南通的代市长", "青溪县县长": what the title belongs to, its organisation, the title.
_OWNED = re.compile(rf"(?P<owner>[\u4e00-\u9fff]{{2,12}}?)的?(?P<org>市委|省委|县委|区委|党委|党工委|党组|市政府|县政府|区政府|市|省|县|区|镇)?"
                    rf"(?P<title>(?:常务副|代理|代|副)?(?:{TITLES}))$")
#: Word classes a title and its organisation are made of (nouns, names of places and bodies).
_NOUNISH = ("n", "b", "j", "f")


def asked_person(q: Question) -> str | None:
    """X in "X是谁？" and its kin, when X is a person the question asks the title of."""
    m = _WHO_IS.fullmatch(re.sub(r"[？?。\s]+$", "", q.folded.strip()))
    if not m:
        return None
    name = next(g for g in m.groups() if g)
    return None if _TITLE.search(name) else name


def asked_title(q: Question) -> tuple[str, str | None] | None:
    """The title whose holder a who-question asks for, with the organisation written before it
    ("市委书记" in "岭东市委书记是谁？"), and what it belongs to ("岭东"; None if unnamed)."""
    if q.kind != "who" or asked_person(q):
        return None
    # the title asked about (every title written in the question, overlapping ones included: "人大常委会主任"
    # holds 常委 and 主任), with what stands before it
    ends = [m.end() for m in _TITLE.finditer(q.folded) if _asks_holder(q.folded, m.end())]
    found = [m for end in ends if (m := _OWNED.search(q.folded[:end]))]
    if found:
        m = max(found, key=lambda m: len(m.group("title")))
        written = re.sub(r"^(?:请问|问)?(?:谁是|谁担任|谁任|是)?", "", m.group("owner"))
        written = re.sub(r"的?(?:[现新]任|现在的|目前的)$", "", written)  # "市统计局新任局长": 市统计局's
        owner = _noun_run(written)
        if not owner and m.start() == 0 and len(written) <= 6 and not re.search(r"[的在上会了和与]", written) \
                and _names_something(written):
            owner = written  # a company's short name jieba reads as verbs ("恒|明智|装"), opening the question
        # "防汛会议上讲话的市委书记": where the person spoke, not what the title belongs to
        owner = None if len(owner) < 2 or re.search(r"谁|哪|什么|何|全|本|该|各|[现新前时原]任|会议?[上中]", owner) else owner
        org = m.group("org") if m.group("org") and len(m.group("org")) > 1 else ""  # "市" of "云岭市市长" is the place's
        return org + m.group("title"), owner
    titles = [m.group() for m in _TITLE.finditer(q.folded) if _asks_holder(q.folded, m.end())]
    return (max(titles, key=len), None) if titles else None


def asks_appointee(q: Question) -> bool:
    """"聘任谁为总经理", "补选谁当副主任": who was appointed, which the actor rules answer too, not
    only a title's holder."""
    return _APPOINTEE.search(q.folded) is not None


_APPOINTEE = re.compile(r"(?:聘任|聘请|聘|任命|选举|推选|补选|递补|增补|选)了?谁(?:当|为|担任)")


def _asks_holder(folded: str, end: int) -> bool:
    """Is the title ending at ``end`` the one whose holder is asked ("…代市长是谁？", "谁是…县长？",
    "…县长叫什么名字？"), not a word of what someone did ("聘任谁为总经理", "在人大常委会上…")?"""
    rest = folded[end:]
    return bool(re.match(r"的?(?:是谁|是哪位|是哪一位|是何人|为何人|叫什么|叫甚么|姓什么|叫啥|名字|姓名)", rest)) or \
        bool(re.search(r"谁(?:是|担任|任|当|为|出任)|哪一?位", folded[:end]) and re.fullmatch(r"[？?。!！\s]*", rest))


def _names_something(text: str) -> bool:
    """A proper name's piece in it ("恒|明智|装": jieba's verbs are leftovers of the name), not what
    someone did ("作|报告")."""
    words = tagged(text)
    return any(tag.startswith(("nr", "ns", "nt", "nz")) for _, tag in words) and \
        not (words[-1][1].startswith("v") and len(words[-1][0]) > 1)  # "华启|新聘的副总经理": what was done


def _noun_run(text: str) -> str:
    """The run of nouns that ends ``text``: what a title belongs to is a name or a body
    ("栗川市第一人民医院" in "栗川市第一人民医院的党委书记"), never a clause ("…会上讲话的副市长")."""
    text = re.sub(r"的$", "", text)
    start = len(text)
    words = tagged(text)
    for i in range(len(words) - 1, -1, -1):
        word, tag = words[i]
        if tag == "t" and start < len(text) and i and words[i - 1][1].startswith(_NOUNISH):
            start -= len(word)  # a grade or a term inside a body's name: "栗川三中|初三|年级"
            continue
        # a name's characters jieba does not know, or reads as an adjective ("苇衡|精密", "琇|州") are part of it
        if not tag.startswith((*_NOUNISH, "m", "vn", "vg", "zg", "ng", "x", "a", "g", "yg")) or not re.fullmatch(r"[\u4e00-\u9fff]+", word):
            # a noun after a verb or a time is what someone did there ("作报告的副县长"): no owner
            return "" if tag in ("v", "p", "t", "d", "vd") else text[start:]
        start -= len(word)
    return text[start:]


def title_of(q: Question, folded: str, sentences: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The title the text writes right before the person asked about, with the organisation it
    belongs to: the run of nouns up to the name ("…，市轨道交通集团董事长聂思航" → 市轨道交通集团董事长;
    "邀请校长程思言" → 校长; minutes write it in brackets after the name), never another person's."""
    name = asked_person(q)
    if not name:
        return None
    places = [(s, x.start() + s) for s, e in sentences or [(0, len(folded))] for x in re.finditer(re.escape(name), folded[s:e])]
    for s, at in places:
        if found := _title_before(q, folded, s, at):
            return found
    for s, e in sentences or [(0, len(folded))]:  # "聘任某某先生为公司总经理": the post appointed to
        for m in APPOINTED.finditer(folded, s, e):
            if m.group("who") == name and (post := re.match(rf"[^，,。；;、]{{0,16}}?(?:{TITLES})", folded[m.end():e])):
                return m.end(), m.end() + post.end()
    for s, e in sentences or [(0, len(folded))]:  # minutes: "主持人：某某（市交通运输局副局长）"
        for x in re.finditer(rf"{re.escape(name)}[（(]([^（）()]{{2,30}}?(?:{TITLES})(?:（主持工作）)?)[）)]", folded[s:e]):
            return s + x.start(1), s + x.end(1)
    for s, at in places:  # the title a list the name stands in shares ("副区长甲某、乙某")
        if (head := _list_head(folded, s, at)) != at and (found := _title_before(q, folded, s, head)):
            return found
    return None


def _title_before(q: Question, folded: str, s: int, at: int) -> tuple[int, int] | None:
    """The title written right before the name at ``at`` in the sentence starting at ``s``, with
    the nouns of what it belongs to before it."""
    if (title := re.search(rf"(?:{TITLES})$", folded[max(s, at - 8):at])) is None:
        return None
    start = at - len(title.group())  # the title itself, however jieba tags it ("处|处长")
    bare, lo = start, max(s, start - _OWNER_REACH)
    words = list(reversed(tagged(folded[lo:start])))
    for k, (word, tag) in enumerate(words):
        joined = word in ("和", "与") and k + 1 < len(words) and words[k + 1][1].startswith((*_NOUNISH, "l")) \
            and not words[k + 1][1].startswith("nr")  # "市自然资源和规划局局长"
        if not joined and (not tag.startswith((*_NOUNISH, "vn", "ng", "a", "x", "zg", "l"))
                           or tag.startswith("nr") and len(word) > 1  # another person, not "岚|城市"
                           or not re.fullmatch(r"[\u4e00-\u9fff]+", word)):
            break
        start -= len(word)
    else:
        if lo > s:  # nouns all the way back to where it looked: an owner's name cut, not a whole one
            start = bare
    if bare - start >= 6 and re.match(r"[\u4e00-\u9fff]", folded[start - 1:start]) and \
            re.search(r"(?:公司|集团|银行|协会|商会|研究院|合作社)$", folded[start:bare]):
        # "栖川恒|拓新(a name or a verb, says jieba)|材料股份有限公司": a firm's whole name, back to where its
        # phrase opens
        opens = max(folded.rfind(c, s, start) for c in "，,、：:；;（( ")
        start = opens + 1 if opens >= 0 and start - opens <= 12 else bare
    if m := re.search(r"(?:常务副|代|副)$", folded[max(s, start - 3):start]):
        start -= len(m.group())  # "代|区长韩磊": the acting or deputy mark is part of the title
    if re.search(r"[、，,\s][县市区省镇乡村]$", folded[max(s, start - 2):start]):
        start -= 1  # "、县|安委会主任": the place's one character belongs to the body
    # "县委副书记、代县长葛思远", "副总经理兼财务总监": every post the text gives the person
    while (m := re.search(rf"[\u4e00-\u9fff]{{0,12}}?(?:{TITLES})(?:（[^）]{{1,6}}）)?[、兼]$", folded[max(s, start - 16):start])):
        if (cut := max(m.group().rfind("由"), m.group().rfind("在"))) >= 0:
            start -= len(m.group()) - cut - 1  # "会议由村党支部书记、村委会主任某某": not 会议由
            break
        start -= len(m.group())
    return _within(q, folded, start, at), at


#: How far back the nouns of what a title belongs to are read ("市轨道交通集团董事长").
_OWNER_REACH = 20


def _list_head(folded: str, s: int, at: int) -> int:
    """Where the first name of a list the name at ``at`` ends stands: "副区长甲某、乙某、丙某" gives all
    three the title before the first."""
    while at > s and folded[at - 1] == "、":
        item = re.search(r"[^、，,。；;：:\s]*$", folded[s:at - 1]).group()
        if not name_shaped(item):
            named = re.search(rf"(?:{TITLES})([\u4e00-\u9fff]{{2,4}})$", item)
            return at - 1 - len(item) + named.start(1) if named else at
        at -= 1 + len(item)
    return at


#: "X在市防汛抗旱指挥部担任什么职务？": the organisation the question asks about X's post in.
_IN_ORG = re.compile(r"在([\u4e00-\u9fff]{2,12}?)(?:担任|任|的职务|是什么|现任|是)"
                     r"|(?:担任|任)([\u4e00-\u9fff]{2,12}?)的?(?:什么|何种?|哪个|啥)")  # "担任星衡科技什么职务"


def _within(q: Question, folded: str, start: int, at: int) -> int:
    """Where the post asked about starts: after the organisation the question names ("在集团担任…":
    "集团副总经理" → 副总经理; "副市长、市防汛抗旱指挥部指挥长" → 指挥长), else ``start``."""
    if not (m := _IN_ORG.search(q.folded)):
        return start
    org = m.group(1) or m.group(2)
    lo = max(0, start - 12)  # the organisation may stand before the run of nouns jieba cut short
    found = folded.rfind(org, lo, at)
    if found < 0 and len(org) >= 4:
        found = folded.rfind(org[:2], lo, at)  # "在栗川智能装备…": the text names it in full
    if found < 0:
        return start
    first = _TITLE.search(folded, found + (len(org) if folded.startswith(org, found) else 2), at)
    if folded.startswith(org, found) and first and not re.search(r"(?:公司|集团|企业|银行)$", folded[found + len(org):first.start()]):
        return found + len(org) + folded.startswith("的", found + len(org))  # "醫院|黨委書記": the post after it
    return first.start() if first else start


def holder_of(q: Question, folded: str, sentences: list[tuple[int, int]]) -> tuple[int, int, int] | None:
    """(sentence, start, end) of the person written right after the title the question asks
    about: that very title, not a longer one ("副市长" does not hold "市长")."""
    asked = asked_title(q)
    if not asked or not sentences:
        return None
    title, owner = asked
    for i, (s, e) in enumerate(sentences):
        # "聘任田书远先生为公司总经理", "选举X为主任": appointed to the very title
        for m in APPOINTED.finditer(folded, s, e):
            clause = re.match(r"[^，,。；;]*", folded[m.end():e]).group()  # "为朔湄市人民政府副市长、代理市长"
            if any(_stands_alone(folded, m.end(), m.end() + x.start(), owner) and not clause.startswith("助理", x.end())
                   for x in re.finditer(re.escape(title), clause)):
                named = [p for p in people(folded, m.start("who"), m.end("who")) if p[0] == m.start("who")]
                if named and not (name_shaped(m.group("who")) and named[0][1] < m.end("who")):  # "柯知|行为": whole
                    return i, named[0][0], named[0][1]
                if name_shaped(m.group("who")):  # the appointment itself says a person stands there
                    return i, m.start("who"), m.end("who")
        after = {x.end() for x in re.finditer(re.escape(title), folded[s:e]) if _stands_alone(folded, s, s + x.start(), owner)}
        after = {s + a for a in after}
        # "县长、县安委会主任梁思昭": more titles of the same person may stand between
        after |= {m.end() for a in after if (m := _MORE_TITLES.match(folded, a, e))}
        for start, end, _ in people(folded, s, e) if after else []:
            if start in after:
                return i, start, end
            # jieba cuts some names short ("李|卫东"): one character between title and name joins it
            if start - 1 in after and re.match(r"[\u4e00-\u9fff]", folded[start - 1]) and \
                    folded[start - 1] not in NOT_NAME:
                return i, start - 1, end
        for a in sorted(after):  # a name jieba does not tag ("总经理包慕言、…"): shaped like one, up to a break
            if (m := _NAME_BEFORE_BREAK.match(folded, a, e)) and name_shaped(m.group(1)):
                return i, m.start(1), m.end(1)
    return None


#: A name right before a list's comma or a clause's end: "包慕言、", "包慕言先生，".
_NAME_BEFORE_BREAK = re.compile(r"([\u4e00-\u9fff·]{2,3})(?=[、，,。；;（(]|等|先生|女士|同志)")


def appointed_names(text: str, start: int, end: int) -> dict[int, int]:
    """Where each name an appointment writes ("任命柯知行为…", "同意聘任方岚为…") starts and ends: the
    appointment says where the name stops, where jieba reads 柯知|行为 or 方岚为."""
    return {m.start("who"): m.end("who") for m in APPOINTED.finditer(text, start, end) if name_shaped(m.group("who"))}


#: An appointment: "聘任X先生为公司…", "选举X为…" (the title follows).
APPOINTED = re.compile(r"(?:(?:同意|决定)?(?:聘任|聘请|任命|选举|推选|增补)|同意|决定由)(?P<who>[\u4e00-\u9fff·]{2,4}?)(?:先生|女士|同志)?"
                        r"(?:担任|为)(?:公司|本公司|本届|新一届)?")
#: Further titles of one person after the first: "、县安委会主任".
_MORE_TITLES = re.compile(rf"(?:、[\u4e00-\u9fff]{{0,10}}?(?:{TITLES})){{1,2}}")
#: Bodies a title may belong to, written right before it.
_ORG = re.compile(r"市委|省委|县委|区委|党委|党工委|党组|市政府|县政府|区政府")
#: Characters after which a title starts a phrase of its own ("，市长…", "由市长…", "、副市长…").
_OPEN_BEFORE = set("由及和与、，,。；;：:是为请邀任向对在 \n（(“")


def _stands_alone(text: str, start: int, at: int, owner: str | None) -> bool:
    """The title at ``at`` is the one asked about, not the end of a longer one: "副市长" and
    "团市委书记" do not hold "市长" and "市委书记"; "南通市代市长" holds "代市长" for 南通."""
    before = text[max(start, at - max(8, len(owner or "") + 2)):at]
    if not _ORG.match(text, at) and (org := re.search(rf"(?:{_ORG.pattern})$", before)):
        # A bare title asked ("书记"): "，市委书记X" holds it where the sentence names the place
        # asked about (a report may quote the province's 省委书记 too); "团市委书记X" never.
        if owner and owner not in text[start:at]:
            return False
        before = before[:org.start()]
    if not before or before[-1] in _OPEN_BEFORE or not re.match(r"[\u4e00-\u9fff]", before[-1]):
        return True
    if owner and re.search(rf"{re.escape(owner)}(?:市|省|县|区|镇)?的?$", before):
        return True
    # the text names the owner by its last words: "医院党委书记" for "霁川县人民医院", "市应急管理局局长"
    # for "苍岭市应急管理局" (the pins have checked that the passage is about that owner); two words that
    # follow another unit's name are that unit's: "高一年级组长" is not the 高三年级's
    n = max((n for n in range(2, len(owner or "")) if before.endswith(owner[-n:])), default=0)
    ahead = before[-n - 1:-n] if n < len(before) else ""
    return n >= 4 or n >= 2 and not (re.match(r"[\u4e00-\u9fff]", ahead) and ahead not in "省市县区镇乡村")
