"""English questions over Chinese documents: the Chinese words they name.

The multilingual encoder finds passages for an English question by meaning. To rank sentences,
propose short answers and decide, the pipeline needs the question in Chinese, built only from
words the documents write:

- names ("Nantong", "Du Xiaogang") are the words of the passages found whose pinyin spells them;
- a small glossary holds general vocabulary of reports: titles, meeting words, administrative
  units, government bodies ("acting mayor" 代市长, "standing committee" 常委会);
- every other content word is looked up in CC-CEDICT (:mod:`.dictionary`) and rendered by the
  one of its Chinese words that the passages found actually write.

A word none of these renders ("hospitals" over reports that never mention one) stays
``unknown``: the question pins it down and nothing can meet it, so the reply is "not found"
rather than a guess built from the words that were rendered.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..ingest.passages import Passage
from ..ingest.phrases import MEETING_END, TITLES, is_named, named_phrases
from ..ingest.script import fold
from ..ingest.tokens import words
from .dictionary import chinese_for, forms
from .glossary import GLOSSARY
from .pins import ordinals_in, pairs
from .question import Question, analyze

_GLOSS = re.compile(r"\b(" + "|".join(sorted(map(re.escape, GLOSSARY), key=len, reverse=True)) + r")\b", re.IGNORECASE)
#: Capitalised words (runs of them: "Du Xiaogang"): candidates for names read in pinyin.
_PROPER = re.compile(r"\b[A-Z][a-z]+(?:[\s-][A-Z][a-z]+)*\b")
#: One pinyin syllable; a capitalised word that is not a run of them ("Party", "France") is no name.
_SYLLABLE = (r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|uan|ian|iao|uai|ai|ei|ao|ou"
             r"|an|en|er|ia|ie|in|iu|ua|uo|ui|un|ve|a|o|e|i|u|v)")
_PINYIN_WORD = re.compile(rf"(?:{_SYLLABLE}){{2,4}}")
_SYLLABLES = re.compile(rf"(?:{_SYLLABLE}){{1,4}}")
#: Nouns counting persons: "how many deputies" asks for a number of people (人, 名, 位).
_PEOPLE = {"people", "persons", "participants", "attendees", "deputies", "representatives", "delegates", "members",
           "directors", "shareholders", "officials", "experts", "entrepreneurs", "workers", "students", "teachers"}
_HOW_MANY_PEOPLE = re.compile(rf"\bhow many(?:\s+\S+){{0,2}}?\s+(?:{'|'.join(sorted(_PEOPLE))})\b", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                        "september", "october", "november", "december"], 1)}
_DATE = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{1,2})(?:st|nd|rd|th)?\b", re.IGNORECASE)
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b", re.IGNORECASE)
_ENGLISH_STOP = {"Who", "What", "When", "Where", "Which", "How", "Why", "Is", "Are", "Was", "Were", "Did",
                 "Does", "Do", "The", "In", "On", "At", "Of", "For", "By", "Can", "Name"}

#: English words glossed by the asker in brackets: up to three words, then "(中文)".
_GLOSSED_BY_ASKER = re.compile(r"(?:\b(?!(?:[Ww]ho|[Ww]hat|[Ww]hen|[Ww]here|[Hh]ow|is|was|did|the|of|in|at)\b)[A-Za-z'-]+\s+){0,2}"
                               r"\b[A-Za-z'-]+\s*[（(]\s*([\u3400-\u9fff]+)\s*[)）]")
#: A word ending in a title ("市委书记", "代县长").
_TITLE_END = re.compile(rf"(?:{TITLES})$")
#: "What post / position / title does X hold?", "What is X's job?"
_ASKS_POST = re.compile(r"\b(?:post|position|title|job|office|role)s?\b(?:\s+(?:does|did|do)\b)?(?:[^?]*\b(?:hold|have|has|held|serve as)\b)?",
                        re.IGNORECASE)
#: English ordinal words: "the third plenary meeting" → 第3次.
_ORDINAL_WORDS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(), 1)}
_ORDINAL_WORD = re.compile(r"\b(?:" + "|".join(_ORDINAL_WORDS) + r")\b(?=(?:\s+[A-Za-z-]+)?\s+(?:plenary\s+)?"
                           r"(?:meeting|session|conference|plenary)s?\b)", re.IGNORECASE)
#: Adverbs made from adjectives ("actually", "recently"): they name nothing to look for.
_ADVERB = re.compile(r"(?:al|ent|ant|ate|ive|ous|ful|ic|ed|ing|ar)ly$")
#: The Chinese question form for each kind, around the words found: analysed like any question.
TEMPLATES = {
    "who-chaired": "谁主持了{}？", "who": "{}是谁？", "when": "{}是什么时候？", "where": "{}在哪里？",
    "number": "{}是多少？", "which-meeting": "{}参加了哪个会议？", "what": "{}是什么？",
    "why": "为什么{}？", "how": "如何{}？", "yes-no": "{}吗？", "duration": "{}多久？", "time-of-day": "{}几点？",
}


def gloss(q: Question, passages: list[Passage], known: tuple[str, ...] = ()) -> Question:
    """``q`` (English) rendered in Chinese from ``passages`` (what the encoder found for it), the
    glossary and the dictionary; its kind stays. Names are spelled by the passages' words or by
    ``known`` names (the meeting table's people: those asked about most, wherever the encoder
    looked). Names nothing spells and words nothing renders are kept in ``unknown_names``: the
    question pins them down and nothing can meet them."""
    # "the Party secretary (市委书记)", "Zhehu (柘湖市)": the asker's own Chinese stands for the words before it
    text = _GLOSSED_BY_ASKER.sub(r" \1 ", q.text)
    texts = [fold(p.text + "\n" + p.title) for p in passages]  # a place may stand only in the headline
    seen = "\n".join(texts)
    names, unknown, covered = _names(text, texts + list(known))
    dates = [f"{_MONTHS[m.group(1).lower()]}月{int(m.group(2))}日" for m in _DATE.finditer(text)]
    dates = [f"{y}年" for y in re.findall(r"\b((?:19|20)\d{2})\b", text)] + dates  # "in 2025": 2025年
    ordinals = [f"第{m.group(1)}{_ordinal_unit(text, m.end())}" for m in _ORDINAL.finditer(_DATE.sub(" ", text))]
    ordinals += [f"第{_ORDINAL_WORDS[m.group().lower()]}{_ordinal_unit(text, m.end())}" for m in _ORDINAL_WORD.finditer(text)]
    covered.update(m.group().lower() for m in _ORDINAL_WORD.finditer(text))
    written = re.findall(r"[\u3400-\u9fff]+", fold(text))  # Chinese the question writes itself
    glossed: list[str] = []
    names, units = _with_units(text, names)
    for m in _GLOSS.finditer(text):
        covered.update(w.lower() for w in re.findall(r"[A-Za-z]+", m.group(1)))
        if m.start() not in units:  # "Cangling County": the unit went with its name (苍岭县)
            glossed.append(GLOSSARY[m.group(1).lower()])
    if asks_post := _ASKS_POST.search(text):  # "What post does X hold?": the title a text gives X
        covered.update(w.lower() for w in re.findall(r"[A-Za-z]+", asks_post.group()))
    rendered, unrendered = _rendered(text, covered, seen)
    template = "{}担任什么职务？" if asks_post else TEMPLATES.get(q.kind, "{}？")
    if q.kind == "number" and _HOW_MANY_PEOPLE.search(text):
        template = "{}有多少人？"  # "how many people/deputies…": a count of persons
    if q.kind == "which-meeting":  # "Which meetings did X chair?" keeps its verb
        verb = "主持" if re.search(r"\b(chair|chaired|chairs|preside|presided|hosted)\b", text, re.IGNORECASE) else "参加"
        template = "{}" + verb + ("了哪些会议？" if q.plural else "了哪个会议？")
    glossed = [w for w in glossed if w not in template]
    # English names the meeting first and its body after ("the 12th executive meeting of the municipal
    # government"); Chinese the other way round (市政府第12次常务会议): bodies, modifiers, ordinal, meeting.
    meetings = [w for w in glossed if MEETING_END.search(w[-4:]) and not w.endswith("常委会")]  # a standing committee is a body
    modifiers = [w for w in glossed if w in _MODIFIERS]
    bodies = [w for w in glossed if w not in meetings and w not in modifiers]
    found = list(dict.fromkeys([*dates, *written, *names, *rendered, *bodies, *modifiers, *ordinals, *meetings]))
    if meetings and (named := _meeting_written(texts, found, meetings, ordinals, [*names, *written], rendered)):
        # the meeting as a passage writes it ("第九届栗川国际茶业博览会"), first (after its place), as
        # Chinese puts its topic
        numbers = {n for n, _ in ordinals_in(named)}
        rest = [w for w in found if not _in_order(w, named) and not (len(w) == 1 and w in named)
                and not (w in ordinals and {n for n, _ in ordinals_in(w)} <= numbers)]
        lead = {*names, *written, *bodies} - _QUALIFIERS  # its place and body stand before it: 栗川市委理论学习中心组…学习会
        found = [w for w in rest if w in lead] + [named] + [w for w in rest if w not in lead]
    # "the mayor of Zhehu": the title is what it belongs to's, and Chinese writes it last (柘湖市市长)
    found = [w for w in found if not _TITLE_END.search(w)] + [w for w in found if _TITLE_END.search(w)]
    # "the Party secretary of Cangling County": a county's secretary is its 县委书记, a town's its 党委书记
    if "书记" in found and (owner := found.index("书记")) and (unit := re.search(r"[省市县区]$|[镇乡]$|街道$", found[owner - 1])):
        found[owner] = ("委" if unit.group() in "省市县区" else "党委") + "书记"
    missing = tuple(unknown + unrendered)
    if not found:
        return replace(q, unknown_names=missing)
    body = "".join(found)
    chinese = analyze(template.format(body))
    return Question(text=q.text, folded=chinese.folded, kind=chinese.kind if q.kind == "other" else q.kind,
                    words=chinese.words or words(body), plural=q.plural or chinese.plural,
                    unit=q.unit or chinese.unit, head=chinese.head,
                    people=[n for n in names if n in chinese.people] or chinese.people, dense_only=True,
                    unknown_names=missing, spelled=tuple(names))


#: Glossary words that say which count is asked: they follow what is counted ("…会议实到多少人").
_QUALIFIERS = {"实到", "应到", "一共", "累计"}
#: Glossary words that qualify a meeting: they stand right before its name.
_MODIFIERS = {"扩大", "视频", "电视电话"}
#: Words that carry no content of their own in a question (the kind of answer is the question's kind).
_STOP = set("""a an the of in on at to for by with from into about during after before between and or but not no
is are was were be been being am do does did done has have had will would can could should may might shall
who whom whose what when where which why how many much that this these those it its their there here he she his
her they them we our you your i me my as than then also any all some each other more most per very just only
held hold holds take took taken place happen happened start started begin began time date day year name named
called person people number total amount get got give given make made say said tell according report reported
there s st nd rd th one two three four five six seven eight nine ten both several twice first second third
last next place places location person persons thing things kind over""".split())


def _meeting_written(texts: list[str], words: list[str], kinds: list[str], ordinals: list[str],
                     names: list[str], topics: list[str]) -> str | None:
    """The name of a meeting the passages write that is of the kind asked ("博览会") and holds most
    of the question's other words, with its ordinal where one is asked; None unless it holds the
    asked ordinal or a place the question names (a meeting named by common words alone, "the
    provincial Party standing committee", is rendered word by word)."""
    asked = {n for o in ordinals for n, _ in ordinals_in(o)}
    best, best_score = None, 0
    for text in texts:  # each passage with its headline, folded
        for span in named_phrases(text, 0, len(text), MEETING_END):
            name = text[span[0]:span[1]]
            if not is_named(text, span) or not any(pairs(k) <= pairs(name) for k in kinds) or re.search(r"[和及与]", name):
                continue  # a list of meetings ("…会议和…会议") is none of them
            if not (asked or any(_in_order(n, name) for n in names) or topics and all(_in_order(t, name) for t in topics)):
                continue  # named by its place, its ordinal, or every topic word the dictionary rendered
            if asked and not asked <= {n for n, _ in ordinals_in(name)}:
                continue  # "the 9th expo" is not the 8th
            held = [w for w in words if w not in kinds and w not in ordinals and _in_order(w, name)]
            score = sum(len(w) for w in held)
            if held and score > best_score:
                best, best_score = name, score
    return best


def _in_order(word: str, name: str) -> bool:
    """``word``'s characters stand in ``name`` in order: 人大 in 人民代表大会, 博览会 in 茶业博览会."""
    return len(word) >= 2 and re.search(".*?".join(map(re.escape, word)), name) is not None


#: An administrative unit written after a place's name: "Cangling County" is 苍岭县.
_UNIT_AFTER = re.compile(r"\b([A-Z][a-z]+(?:[\s-][A-Z][a-z]+)*)\s+(County|City|District|Town|Village|Province|Township)\b")


def _with_units(text: str, names: list[str]) -> tuple[list[str], set[int]]:
    """Names joined with the unit written after them, and where those units stand in ``text``."""
    spelled = {"".join(_pinyin(c) for c in n): i for i, n in enumerate(names)}
    out, units = list(names), set()
    for m in _UNIT_AFTER.finditer(text):
        i = spelled.get(re.sub(r"[\s-]", "", m.group(1)).lower())
        unit = GLOSSARY[m.group(2).lower()]
        if i is not None:
            out[i] = out[i] if out[i].endswith(unit) else out[i] + unit
            units.add(m.start(2))
    return out, units


#: What is counted in 届 (terms, editions), not in 次 (sittings): "the 9th expo" = 第9届.
_BY_TERM = re.compile(r"(?:\s+\S+){0,3}?\s+(?:expo|exposition|fair|festival|exhibition|games|congress|cppcc"
                      r"|committee|board)\b", re.IGNORECASE)


def _ordinal_unit(text: str, end: int) -> str:
    """届 for the ordinal of a term or an edition ("the 13th party committee", "the 9th expo"), 次
    for a sitting ("the 23rd executive meeting")."""
    m = _BY_TERM.match(text, end)
    return "届" if m and not re.search(r"\b(?:meeting|plenary)\b", m.group(), re.IGNORECASE) else "次"


def _rendered(text: str, covered: set[str], seen: str) -> tuple[list[str], list[str]]:
    """Each remaining content word's rendering that the passages write (its longest such
    dictionary word), and the words that have none."""
    rendered, unrendered = [], []
    months = set(_MONTHS)
    for word in dict.fromkeys(re.findall(r"[A-Za-z]+", _DATE.sub(" ", text))):
        low = word.lower()
        if low in _STOP or low in months or low in covered or any(f in covered or f in _STOP for f in forms(low)):
            continue
        if _ADVERB.search(low):
            continue  # "actually", "currently": no thing a passage must name
        # a one-character word only as a unit after a number ("ton" → 50吨)
        found = [c for c in chinese_for(low) if len(c) >= 2 and fold(c) in seen
                 or len(c) == 1 and re.search(rf"\d\s*(?:万|亿|千|百)?{re.escape(fold(c))}", seen)]
        if found:
            rendered.append(fold(max(found, key=len)))
        else:
            unrendered.append(word)
    return rendered, unrendered


def _names(text: str, texts: list[str]) -> tuple[list[str], list[str], set[str]]:
    """Chinese words of the passages (``texts``, folded) whose pinyin spells a capitalised word of ``text``, the
    pinyin-like words that none spells, and the English words spelled (lower-case)."""
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
        return [], [], set()
    found: dict[str, str] = {}  # Chinese word → pinyin
    for chars in texts:
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
    return names, unknown, covered | {w.lower() for w in unknown}


@lru_cache(maxsize=8192)
def _pinyin(char: str) -> str:
    if not re.match(r"[\u4e00-\u9fff]", char):
        return ""
    from pypinyin import lazy_pinyin  # ~0.3 s to import; only English questions need it

    return lazy_pinyin(char)[0]
