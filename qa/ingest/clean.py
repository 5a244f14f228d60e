"""Cleaning text copied from web and newspaper pages, keeping a map back to the original.

The rules are about kinds of noise, not about any particular document: page chrome
(navigation, widgets, counters, copyright/ICP/contact footers), jump markers ("下转第4版>>>"),
paragraphs broken by a newspaper layout, and pinyin printed after every character.
Every character of the result remembers its index in the original text, so a quote can be
traced back exactly and highlighted in the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# --- character classes --------------------------------------------------------------------
CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
SENTENCE_END = "。！？!?…；;"
CLOSERS = "”’」』）)】》\"'"
BODY_PUNCT = re.compile(r"[，,。、；;：:！？!?]")
TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"

# --- noise patterns -------------------------------------------------------------------------
#: Whole lines that are page chrome wherever they appear (checked on lines of <= 80 chars).
CHROME_LINE = re.compile(
    r"返回顶部|返回頂部|回到顶部|当前位置|當前位置|您的位置|你的位置|首页\s*[/>›»]|首頁\s*[/>›»]"
    r"|字号|字號|【\s*[大中小]\s*】|打印本页|关闭窗口|關閉窗口|分享到|加入收藏|设为首页|網站地圖|网站地图"
    r"|浏览次数|瀏覽次數|阅读次数|閱讀次數|点击数|點擊數|浏览量|阅读量|访问量"
    r"|版权所有|版權所有|copyright|©|ICP备|ICP備|网备|網備|公网安备|许可证\d|許可證\d"
    r"|举报电话|舉報電話|不良信息|联系地址|聯系地址|聯繫地址|联系电话|聯系電話|邮箱|郵箱|e-?mail"
    r"|网站标识码|網站標識碼|技术支持[:：]|技術支持[:：]"
    r"|热线|熱線|未经.{0,20}授权|未經.{0,20}授權|欢迎访问|歡迎訪問|本站支持|上一篇|下一篇"
    r"|(?:^|\s|【|\[)(来源|來源|编辑|編輯|责任编辑|責任編輯|作者|发布时间|發布時間|发布日期|發佈日期)\s*[:：]",
    re.IGNORECASE,
)
#: Short navigation words that make up a whole line (after list numbering is stripped).
NAV_WORDS = {
    "繁体", "繁體", "简体", "簡體", "首页", "首頁", "无障碍", "無障礙", "english", "登录", "登錄",
    "注册", "註冊", "搜索", "打印", "关闭", "關閉", "收藏", "分享", "更多", "top", "返回",
}
#: "下转第4版>>>", "<<<上接第1版", "上接第1版<<": the arrows go with the marker, on either side
#: (an HTML page writes them as &lt;&lt;&lt;; left behind they ended a short answer: "责任<").
JUMP_MARKER = re.compile(
    r"(?:[<《←]+\s*)?(?:[（(]\s*)?(?:下转|下轉|上接|接上|转第|轉第|接第|转至|轉至)\s*第?\s*[0-9一二三四五六七八九十]+\s*"
    r"[版页頁]\s*[）)]?(?:\s*[<>《》←→]+)?"
)
LIST_NUMBER = re.compile(r"^\s*(?:\d+[.、)）]|[•·\-*])\s*")
BYLINE = re.compile(r"^(?:本报|本報)?(?:记者|記者|通讯员|通訊員|实习生|實習生|评论员|評論員)\s*\S{1,12}$")
#: Who wrote, reported or edited a page ("记者 程一苇", "责任编辑：冯晓楠", "作者：记者 刘思远"): a role, then names.
ROLE = r"(?:特约|特約|本报|本報)?(?:记者|記者|通讯员|通訊員|实习生|實習生|评论员|評論員|责任编辑|責任編輯|编辑|編輯|作者|审核|審核|摄影|攝影|撰稿|校对|校對)"
#: An office a credit may name before the person: "作者：宣传部 某某".
OFFICE = r"[\u4e00-\u9fff]{1,8}?(?:部|办|室|中心|处|科)"
_PERSON = rf"[{CJK}·]{{2,4}}(?<![部办室局委处科心])(?![{CJK}])"
CREDIT = re.compile(rf"(?:(?:来源|來源)\s*[:：]\s*[^\s<:：|｜]{{2,20}}\s*)?{ROLE}\s*[:：]?\s*(?:{ROLE}\s*)?(?:{OFFICE}\s+)?"
                    rf"{_PERSON}(?:[、\s]+{_PERSON}(?![:：]))*")
PAREN_BYLINE = re.compile(r"^\s*[(（][^()（）]{1,12}[)）]\s*$")
DATE = re.compile(r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})")
#: A newspaper page's head: the date with its weekday ("2026年3月12日 星期四").
MASTHEAD = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期|周)[一二三四五六日天]")


@dataclass
class Mapped:
    """A string whose every character knows its index in the original text."""

    text: str
    offsets: list[int]

    def __getitem__(self, s: slice) -> "Mapped":
        return Mapped(self.text[s], self.offsets[s])

    def __add__(self, other: "Mapped") -> "Mapped":
        return Mapped(self.text + other.text, self.offsets + other.offsets)

    def strip(self) -> "Mapped":
        left = len(self.text) - len(self.text.lstrip())
        right = len(self.text.rstrip())
        return self[left:max(left, right)]

    def delete(self, spans: list[tuple[int, int]]) -> "Mapped":
        if not spans:
            return self
        keep = [True] * len(self.text)
        for start, end in spans:
            for i in range(start, end):
                keep[i] = False
        return Mapped(
            "".join(c for c, k in zip(self.text, keep) if k),
            [o for o, k in zip(self.offsets, keep) if k],
        )

    @property
    def start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else 0


def is_credit(text: str) -> bool:
    """Is ``text`` only a page's credits ("记者 某某", "（责任编辑：某某）")?"""
    return bool(CREDIT.search(text)) and not re.search(rf"[{CJK}A-Za-z0-9]", CREDIT.sub("", text))


@dataclass
class Block:
    """A cleaned paragraph or heading with its place in the original text."""

    text: Mapped
    heading: bool
    date: str | None = None
    #: Who wrote or edited the page ("记者 程一苇", "责任编辑：冯晓楠"), taken from its chrome and bylines:
    #: paragraphs after the article's, so "这篇报道的记者是谁？" has a quote and the body keeps its numbers.
    credit: bool = False


@dataclass
class CleanDocument:
    blocks: list[Block] = field(default_factory=list)
    #: The date found in the page's metadata lines (publication date), if any.
    date: str | None = None


def clean(original: str) -> CleanDocument:
    """Split a document into cleaned blocks (headings and body paragraphs)."""
    lines = _lines(original)
    pinyin_everywhere = _count_tone_pinyin(original) >= 3
    doc = CleanDocument()
    kept: list[tuple[Mapped, bool]] = []  # (line, ended by a jump marker)
    credits: list[Mapped] = []
    previous_short: dict[str, int] = {}
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        chrome, credit_only = _is_chrome(text), is_credit(text)  # "（记者 某某）", "审核：某某"
        if chrome or credit_only or _is_heading(text) and len(text) <= 40:  # a page's or a heading's byline
            credits += [line[m.start():m.end()] for m in CREDIT.finditer(line.text)]
        if credit_only:
            continue
        if chrome:
            doc.date = doc.date or find_date(text)
            if kept:  # what stood before page chrome does not run on into what follows it
                kept[-1] = (kept[-1][0], True)
            if (issuer := _issuer(line)) is not None:
                kept.append((issuer, True))  # "栗川市第一人民医院 … 发布时间：…": who issued it, a heading
            continue
        jump = bool(JUMP_MARKER.search(line.text))
        line = _remove_noise(line, pinyin_everywhere).strip()
        if not line.text or not re.search(rf"[{CJK}A-Za-z0-9]", line.text):
            continue
        if _is_widget_label(line.text):
            # A label printed twice in a row ("智能问答 / 智能问答") is a page widget.
            if line.text in previous_short and previous_short[line.text] == len(kept) - 1:
                kept.pop()
                del previous_short[line.text]
                continue
            previous_short[line.text] = len(kept)
        kept.append((line, jump))
    for block in _join_broken(kept):
        for piece in _split_inline_paragraphs(block):
            if BYLINE.match(piece.text) or is_credit(piece.text):
                credits.append(piece)  # "……收听收看。 记者 周樛": the byline after the last sentence
            else:
                doc.blocks.append(Block(piece, heading=_is_heading(piece.text)))
    seen = {b.text.text for b in doc.blocks}
    for credit in sorted(credits, key=lambda c: c.start):
        if credit.text not in seen and not any(credit.text in b.text.text for b in doc.blocks if not b.heading):
            seen.add(credit.text)
            doc.blocks.append(Block(credit, heading=False, credit=True))
    return doc


#: A metadata line's issuer: the source named after 来源/來源, or what stands before the first label.
SOURCE = re.compile(r"(?:来源|來源)\s*[:：]\s*([^\s<:：|｜]{2,20})")
_LABEL = re.compile(r"(?:发布时间|發布時間|发布日期|發佈日期|来源|來源|作者|编辑|編輯|责任编辑|責任編輯)\s*[:：]")


def _issuer(line: Mapped) -> Mapped | None:
    """The organisation a metadata line names ("来源：栗川日报", "栗川市第一人民医院 党委办公室 发布时间：…"):
    kept as a heading, so a report's place and issuer stay known after its chrome is dropped."""
    text = line.text
    if m := SOURCE.search(text):
        return line[m.start(1):m.end(1)]
    label = _LABEL.search(text) or MASTHEAD.search(text)  # "栗川日报 2026年3月12日 星期四": the paper
    if label is None:
        return None
    head = DATE.sub(" ", text[:label.start()])
    m = re.search(rf"[{CJK}][{CJK}\s（）()]{{2,40}}[{CJK}]", head)
    if not m or re.fullmatch(r"[\d\s年月日]+", m.group()):
        return None
    start = text.index(m.group())
    return line[start:start + len(m.group())].strip()


def _lines(original: str) -> list[Mapped]:
    out = []
    for m in re.finditer(r"[^\r\n]*", original):
        if m.start() == m.end() and out and out[-1].end == m.start():
            continue
        out.append(Mapped(m.group(), list(range(m.start(), m.end()))))
    return out


def _is_chrome(text: str) -> bool:
    if len(text) <= 80 and CHROME_LINE.search(text):
        return True
    if len(text) <= 60 and MASTHEAD.search(text) and not BODY_PUNCT.search(re.sub(r"第\s*\d+\s*版\s*[:：]", "", text)):
        # "某某日报 2026年3月12日 星期四 第1版" ("第01版：要闻"): a newspaper's masthead, its date the page's
        return True
    bare = LIST_NUMBER.sub("", text).strip().strip("|｜/").strip().lower()
    if bare in NAV_WORDS:
        return True
    parts = [x.strip() for x in re.split(r"[|｜]", text)]
    if len(parts) >= 4 and all(0 < len(x) <= 8 for x in parts):
        return True  # a navigation bar: "网站首页 | 走进蔚岭 | 政务公开 | …"
    # A row of bracketed buttons: "【打印】【关闭】【收藏】", "[打印] [关闭]"
    buttons = re.findall(r"[【\[]\s*([^】\]]{1,6}?)\s*[】\]]", bare)
    return bool(buttons) and not re.sub(r"[【\[][^】\]]{1,6}[】\]]|\s", "", bare) and \
        all(b.lower() in NAV_WORDS for b in buttons)


def _is_widget_label(text: str) -> bool:
    return len(text) <= 12 and not BODY_PUNCT.search(text)


#: A form's label spaced out to the width of the others: "时　　间：", "主 持 人：".
SPACED_LABEL = re.compile(rf"^\s*[{CJK}](?:[ \t\u3000]+[{CJK}]){{1,4}}[ \t\u3000]*(?=[:：])")


def _remove_noise(line: Mapped, pinyin_everywhere: bool) -> Mapped:
    spans = [m.span() for m in JUMP_MARKER.finditer(line.text)]
    if label := SPACED_LABEL.match(line.text):  # "时　　间：" is the field 时间
        spans += [(label.start() + m.start(), label.start() + m.end())
                  for m in re.finditer(r"(?<=\S)[ \t\u3000]+", label.group())]
    spans += _pinyin_spans(line.text, pinyin_everywhere)
    return line.delete(spans)


PINYIN = re.compile(rf"(?<=[{CJK}])[(（]\s*([a-zü{TONE_VOWELS}]{{1,7}})\s*[)）]")


def _pinyin_spans(text: str, pinyin_everywhere: bool) -> list[tuple[int, int]]:
    """Annotations like 學(xué): a toned syllable always, a toneless one only in pinyin-heavy text."""
    spans = []
    for m in PINYIN.finditer(text):
        syllable = m.group(1)
        if pinyin_everywhere or any(v in syllable for v in TONE_VOWELS):
            spans.append(m.span())
    return spans


def _count_tone_pinyin(text: str) -> int:
    return sum(1 for m in PINYIN.finditer(text) if any(v in m.group(1) for v in TONE_VOWELS))


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(CLOSERS + " ")
    return not stripped or stripped[-1] in SENTENCE_END


def _is_heading(text: str) -> bool:
    """Short, unended and unpunctuated but for 、 (a subtitle: "研究部署A、B和C等工作")."""
    return len(text) <= 60 and not _ends_sentence(text) and not BODY_PUNCT.search(text.rstrip().replace("、", ""))


def _breaks_mid_sentence(line: str) -> bool:
    """A body line cut by the page layout: punctuated like prose, and not ended."""
    if _ends_sentence(line) or not BODY_PUNCT.search(line):
        return False
    tail = re.split(rf"[{SENTENCE_END}]", line)[-1]
    # "……收听收看。 记者 周樛" or "……前列。(王怡菘)": a byline after the last sentence.
    return not ((tail[:1].isspace() and len(tail.strip()) <= 12) or PAREN_BYLINE.match(tail))


#: "时间：…", "主持人：…", "地點：…": a field of a form or of minutes, a line of its own.
FIELD = re.compile(rf"^[{CJK}]{{2,6}}\s*[:：]")


#: A motion's outcome on a line of its own: "表决结果：同意9票，反对0票，弃权0票。"
OUTCOME = re.compile(r"\s*(?:表决结果|審議結果|审议结果|表決結果)\s*[:：]")
_ALNUM_END = re.compile(r"[0-9A-Za-z%]$")
_ALNUM_START = re.compile(r"[0-9A-Za-z]")


def _join_broken(lines: list[tuple[Mapped, bool]]) -> list[Mapped]:
    blocks: list[Mapped] = []
    joinable = False
    for line, jump in lines:
        if blocks and OUTCOME.match(line.text) and not _is_heading(blocks[-1].text):
            # "表决结果：同意8票，…": the outcome of the motion in the paragraph above, read with it
            blocks[-1] = blocks[-1] + line
        elif joinable and blocks and not FIELD.match(line.text):
            if _ALNUM_END.search(blocks[-1].text) and _ALNUM_START.match(line.text):
                # "…人数　126" + "2、出席…": the line break kept, so that figures do not run together
                blocks[-1] = blocks[-1] + Mapped("\n", [line.start - 1])
            blocks[-1] = blocks[-1] + line
        else:
            blocks.append(line)
        # Text before a jump marker continues on another page, never on the next line; a field
        # ("地点：…") is whole on its line.
        joinable = not jump and not FIELD.match(blocks[-1].text) and _breaks_mid_sentence(blocks[-1].text)
    return blocks


#: A sentence's end (with its closing quote or bracket) and spaces: "……收听收看。” 下一段"; a
#: bracket that closes no sentence ("股份总数（股）　　251,337,480") breaks nothing.
INLINE_BREAK = re.compile(rf"(?:(?<=[{SENTENCE_END}])|(?<=[{SENTENCE_END}][{CLOSERS}]))[ \t\u3000]+(?=\S)")


def _split_inline_paragraphs(block: Mapped) -> list[Mapped]:
    """Pages flattened to one line keep paragraphs as whitespace after a sentence end."""
    pieces, start = [], 0
    for m in INLINE_BREAK.finditer(block.text):
        pieces.append(block[start:m.start()])
        start = m.end()
    pieces.append(block[start:])
    pieces = [p.strip() for p in pieces]
    return [p for p in pieces if re.search(rf"[{CJK}A-Za-z0-9]", p.text)]


def find_date(text: str) -> str | None:
    m = DATE.search(text)
    if not m:
        return None
    year, month, day = m.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"
