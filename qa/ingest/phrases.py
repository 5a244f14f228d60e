"""Phrases in Chinese news text: people, titles, meeting names, numbers, dates.

Shared by the reader's short answers (qa.answer) and the meeting table built at index time;
every function works on folded (simplified) text and returns spans into it.
"""

from __future__ import annotations

import re

from .tokens import tagged

Span = tuple[int, int]

TITLES = (
    "总书记|书记|副书记|省长|副省长|代省长|市长|副市长|代市长|县长|区长|镇长|主任|副主任|主席|副主席|组长|副组长"
    "|部长|厅长|局长|总理|秘书长|委员|常委|总经理|副总经理|经理|董事长|主管|院长|校长|教授|研究员|处长|科长|所长|站长|行长|会长"
    "|社长|总会计师|总工程师|检察长|支书(?!记)|总监|董事会秘书|独立董事|董事|监事|总裁|副总裁|指挥长|政委|支队长|大队长|队长|馆长"
    "|庭长|团长|主任医师|秘书|调研员|巡视员|专员|理事长|会计师|工程师"
)
BOUNDARY = set("，,。、；;：:！？!?“”\"‘’'《》「」【】\n\t 　")
#: Characters that may stand between a name and 主持 without being part of the name.
NOT_NAME = set("在于等也还亲并正曾又再将已来去同和与及、，, ")
#: The kinds of meeting and event that reports name by a word before 会 ("推进会", "现场会", "交易会"),
#: and the usual short forms ("茶博会" for a 博览会, "教代会" for a 教职工代表大会).
EVENT_WORDS = ("调度|座谈|推进|专题|联席|常委|常务|视频|见面|报告|现场|观摩|动员|部署|推介|发布|研讨|培训|交流|协调"
               "|汇报|论证|评审|洽谈|听证|恳谈|表彰|总结|分析|对接|签约|誓师|学习|务虚|碰头|通报|茶话|团拜|博览"
               "|交易|展览|展销|运动|招聘|讲评|点评|述职|评议|征求意见|办公|议事|[\u4e00-\u9fff]博|[教职人党团]代")
#: How a meeting's name ends; "视频会议" is one ending, not "视频会" and a stray "议".
MEETING_END = re.compile(rf"会议|例会|(?:(?<=[次中委届])|(?<![\u4e00-\u9fff]))全会|(?:{EVENT_WORDS})会(?:会议|议)?|大会(?!堂|议(?!程))|续会")
VERBS = re.compile(r"(主持召开|召开了|召开|主持|出席|参加了|参加|举行了|举行|列席|传达学习了|传达学习|传达了|学习了|审议|听取|宣布|在|于|暨)")
NUMBER = re.compile(
    r"(?:\d+(?:[.,]\d+)*|[一二三四五六七八九十百千万两]+(?:点[零一二三四五六七八九]+)?)\s*(?:%|％|‰|万亿|亿元|万元|亿|万|千|百)?"
    r"(?:余|多)?(?:万人|人次|台次|门次|架次|毫米|厘米|千米|平方米|平方公里|公顷|千瓦|万股|[个家人次天张项名位岁条件台辆种批所户元座倍米吨处例起宗套篇份亩艘支门株棵头只间栋幢层场票股架枚节])?"
)
DATE = re.compile(
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:(?:至|到|—|－|-)(?:\d{1,2}月)?\d{1,2}日|上午|下午|晚上|晚)?"
    r"|\d{4}年\d{1,2}月|\d{4}年|\d{4}-\d{1,2}-\d{1,2}"
    r"|(?:昨天|昨日|今天|今日|前天)(?:上午|下午|晚上|晚)?|日前|近日"
)
#: What answers "when": a date as :data:`DATE` reads it, a day of the month alone ("9日下午", in a
#: report of that month), or a part of a month ("6月底", "今年8月底"), with its part of the day.
WHEN_DATE = re.compile(rf"(?:{DATE.pattern})(?:中午)?"
                       r"|(?:今年|明年)?\d{1,2}月(?:底|初|末|中旬|上旬|下旬)"
                       r"|(?<![\d月年日至到—－第-])\d{1,2}日(?:上午|中午|下午|晚上|晚)?(?![至到—－-]\d)")
CLAUSE = re.compile(r"[^，,；;。！？!?]+")
#: Bodies that chair a meeting as a body: "全会由市委常委会主持".
CHAIRING_BODY = r"常委会|主席团|委员会|领导小组"
BODY_CHAIR = re.compile(rf"由([\u4e00-\u9fff]{{2,14}}?(?:{CHAIRING_BODY}))主持")
#: How an event is said to go, between its place and its verb: "在市人民会堂隆重开幕".
MANNER = r"隆重|胜利|顺利|正式|圆满|如期|盛大|集中"
#: A bracketed aside after a venue, its address: "在公司总部三楼会议室（望川新区星禾路88号）以现场方式召开".
ASIDE = r"(?:[（(][^（()）]{1,30}[）)])"


def tokens_with(text: str, start: int, end: int, flag: str) -> list[tuple[int, int, str]]:
    out, pos = [], start
    for word, tag in tagged(text[start:end]):
        if tag == flag and len(word) >= 2:
            out.append((pos, pos + len(word), word))
        pos += len(word)
    return out


#: Common single-character surnames (simplified): jieba often cuts a name after its surname
#: ("柯|美玲", "程|立言"), and a lone surname before a one- or two-character word makes the name.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦"
    "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘"
    "池查麻苑迟邝洪鄢尉傅阎"
    # rarer surnames of the Hundred Family Surnames that are no common word on their own
    "郗糜冼郦郁萧宓濮鄂阚鄔昌凤酆廉元湛禹狄贝伏茅钮嵇滑荀芮羿储汲邴隗蓬班仰伊钭厉戎祖束韶郜蓟薄邰索赖蔺屠"
    "胥莘贡逄扶堵雍璩扈燕冀郏浦茹宦庾暨衡弘匡殳沃蔚夔厍晁訾鞠巢蒯荆竺逯桓谯笪缑帅亓仉裘杭宣阙")
_TITLE_END = re.compile(rf"(?:{TITLES})$")
#: A numbered item of a list: "（五）", "(3)".
LIST_ITEM = r"[（(][一二三四五六七八九十\d]{1,2}[）)]"


def name_shaped(value: str) -> bool:
    """Two to four Chinese characters led by a surname (or a compound one): how a name is written."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", value)) and (value[0] in SURNAMES or value[:2] in COMPOUND_SURNAMES)

def person_like(word: str) -> bool:
    """A name by its shape, or one jieba tags as a person's (rarer surnames: "綦晓雯", "容嘉禾")."""
    return name_shaped(word) or any(tag.startswith("nr") for _, tag in tagged(word))


#: What follows a place's name, never a person's ("江澜|省", "宿迁|市").
_PLACE_AFTER = re.compile(r"[省市县区镇乡村州]")
#: Two or three characters after a title that end where a name ends: at punctuation or a verb.
_NAME_AFTER_TITLE = re.compile(r"[\u4e00-\u9fff]{2,3}?(?=[，,、。；;：:（(\s]|主持|出席|参加|讲话|作|在|等|同志|表示|指出|强调|"
                               r"介绍|通报|带队|说|担任|是|任|为|的|提|与|和|及|$)")
#: A question opening with a name: two or three characters, then what the person did.
_NAME_BEFORE_VERB = re.compile(r"[\u4e00-\u9fff]{2,3}?(?=在|是|担任|任|参加|出席|主持|作了|讲话|发言|表示|提出|介绍|通报)")
#: What follows a name, never a second name: a verb of a report.
_AFTER_NAME = re.compile(r"作|在|主持|出席|表示|强调|指出|说|讲话|参加|同志|等|介绍|通报|提出|要求|致辞")
COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "夏侯", "尉迟", "公孙",
                               "长孙", "宇文", "司徒", "端木", "南宫"})


def people(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, name) of every person between start and end: what jieba tags as a name,
    and a lone surname joined with the one- or two-character word after it where jieba tagged
    either as a name or a title stands right before ("市长韩|立新")."""
    words, pos = [], start
    for word, tag in tagged(text[start:end]):
        words.append((pos, word, tag))
        pos += len(word)
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        at, word, tag = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else None
        if len(word) == 1 and word in SURNAMES and nxt and 1 <= len(nxt[1]) <= 2 and \
                re.fullmatch(r"[\u4e00-\u9fff]+", nxt[1]) and not set(nxt[1]) & NOT_NAME and \
                (tag.startswith("nr") or nxt[2].startswith("nr") or _TITLE_END.search(text[max(start, at - 6):at])) and \
                not _PLACE_AFTER.match(nxt[1][-1]) and not _PLACE_AFTER.match(text, nxt[0] + len(nxt[1])):
            out.append((at, at + 1 + len(nxt[1]), word + nxt[1]))
            i += 2
            continue
        # After a title ("区长吴国|平"), or opening a question before its verb ("罗|振华在…"): a surname
        # and a name.
        titled = _TITLE_END.search(text[max(start, at - 6):at])
        after_title = word[0] in SURNAMES and not tag.startswith("nr") and (titled or at == start)
        name_end = _NAME_AFTER_TITLE if titled else _NAME_BEFORE_VERB
        if after_title and (run := name_end.match(text, at, end)) and not _PLACE_AFTER.match(text, run.end()):
            out.append((at, run.end(), run.group()))  # "区长吴国|平，": a title, then a surname and a name
            while i < len(words) and words[i][0] < run.end():
                i += 1
            continue
        if word in COMPOUND_SURNAMES and nxt and 1 <= len(nxt[1]) <= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", nxt[1]) \
                and not set(nxt[1]) & NOT_NAME and not nxt[2].startswith(("v", "p", "c", "u")):
            out.append((at, at + 2 + len(nxt[1]), word + nxt[1]))  # "夏侯|明": a compound surname and a name
            i += 2
            continue
        if tag.startswith("nr") and 2 <= len(word) <= 4 and not _PLACE_AFTER.match(text, at + len(word)) and \
                not (len(word) >= 3 and _PLACE_AFTER.fullmatch(word[-1])):  # "梅溪镇" is a town
            if len(word) == 3 and word[:2] in COMPOUND_SURNAMES and nxt and len(nxt[1]) == 1 and \
                    re.fullmatch(r"[\u4e00-\u9fff]", nxt[1]) and nxt[1] not in NOT_NAME and not nxt[2].startswith(("v", "p", "c", "u")):
                out.append((at, at + 4, word + nxt[1]))  # "欧阳明|远": a compound surname's name cut short
                i += 2
                continue
            if len(word) == 2 and word[0] in SURNAMES and nxt and len(nxt[1]) == 1 and nxt[2] == "nr" and \
                    re.fullmatch(r"[\u4e00-\u9fff]", nxt[1]) and nxt[1] not in NOT_NAME and \
                    not _PLACE_AFTER.match(nxt[1]):
                out.append((at, at + 3, word + nxt[1]))  # "范文|杰": both halves tagged as a name
                i += 2
                continue
            if len(word) == 2 and nxt and len(nxt[1]) == 1 and re.fullmatch(r"[\u4e00-\u9fff]", nxt[1]) and \
                    nxt[1] not in NOT_NAME and _TITLE_END.search(text[max(start, at - 6):at]) and \
                    re.match(r"[，,、。；;]", text[at + 3:at + 4]):
                out.append((at, at + 3, word + nxt[1]))  # "市委书记林鹤|年，": a title, then a name of three
                i += 2
                continue
            if len(word) == 2 and text.startswith("和", at + 2) and (_AFTER_NAME.match(text, at + 3)
                                                                  or text.startswith(("、", "，", ","), at + 3)):
                out.append((at, at + 3, word + "和"))  # "萧思和作了讲话", "邱文和、…": 和 ends the name, not "and"
                i += 2 if nxt and nxt[1] == "和" else 1
                continue
            out.append((at, at + len(word), word))
        i += 1
    return out


def named_phrases(text: str, start: int, end: int, suffix: re.Pattern[str]) -> list[Span]:
    """Noun phrases ending in ``suffix``: from the last boundary or verb before it."""
    spans: list[Span] = []
    for m in suffix.finditer(text, start, end):
        if _PLACE_OR_MANNER.match(text, m.end()):
            continue  # "会议室", "会议中心", "以视频会议形式": a room or a manner, not a meeting
        left = m.start()
        while left > start and text[left - 1] not in BOUNDARY:
            left -= 1
        verbs = list(VERBS.finditer(text, left, m.start()))
        while verbs and verbs[-1].group(0) == "暨" and verbs[-1].start() > left:
            verbs.pop()  # "…集中开工暨推进会": what stands before 暨 is named with it, one event
        if verbs:
            left = verbs[-1].end()
        # "…公司（以下简称“公司”）第三届董事会": a closing bracket whose opening lies before
        # the phrase ends a parenthesis, not part of the name.
        unopened = [i for i in range(left, m.start()) if text[i] in "）)"
                    and text.count("（", left, i) + text.count("(", left, i) <= text.count("）", left, i) + text.count(")", left, i)]
        if unopened:
            left = unopened[-1] + 1
        if lead := _HOW_LONG.match(text, left, m.start()):  # "为期三天的…博览会": how long, not the name
            left = lead.end()
        if lead := _HOW_MANY.match(text, left, m.start()):  # "召开一次企业家座谈会", "多场会议": how many
            left = lead.end()
        if spans and spans[-1][1] == m.end():
            continue
        if spans and left <= spans[-1][0]:  # "市委常委会第167次会议" holds "市委常委会": one meeting
            spans.pop()
        spans.append((left, m.end()))
    return _join_ji(text, spans)


_HOW_LONG = re.compile(r"(?:为期|历时)[^的，,。]{1,8}的")
_HOW_MANY = re.compile(r"(?:[一二两三四五六七八九十]{1,3}|\d{1,3})(?:次|场|个|轮)(?![会全])")
_PLACE_OR_MANNER = re.compile(r"议?(?:室|中心|厅|廳|楼|樓|形式|方式|系统|系統|桌)")


def _join_ji(text: str, spans: list[Span]) -> list[Span]:
    """"A会议暨B会议" names one meeting."""
    out: list[Span] = []
    for span in spans:
        if out and text[out[-1][1]:span[0]] == "暨":
            out[-1] = (out[-1][0], span[1])
        else:
            out.append(span)
    return out


def is_named(text: str, span: Span) -> bool:
    name = text[span[0]:span[1]]
    return len(name) >= 4 and not re.fullmatch(r"(该|此|本次|这次|上述)?(会议|会|续会)", name)
