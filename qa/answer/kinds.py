"""What a question asks for, as data: one row of cues per kind, tried in order.

A question is of the first kind one of whose ``cues`` it contains and none of whose
``not_cues``; ``english`` holds the cues for questions asked in English. To teach the bot a
new form of question, add a cue to the right row (or a new row: the reader treats a kind it
has no short-answer extractor for by quoting the best sentence and saying so). Kind names
are stable strings: they appear in ``Answer.kind`` and in the JSON of ``qa ask --json``.

Cues are regular expressions over the folded (simplified) question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.phrases import TITLES


@dataclass(frozen=True)
class Kind:
    name: str
    #: What it asks for, for people reading the table (and the page's "no short answer" note).
    label: str
    cues: tuple[str, ...]
    not_cues: tuple[str, ...] = ()
    english: tuple[str, ...] = ()

    def matches(self, folded: str) -> bool:
        return _any(self.cues, folded) and not _any(self.not_cues, folded)

    def matches_english(self, text: str) -> bool:
        return _any(self.english, text.lower())


def _any(patterns: tuple[str, ...], text: str) -> bool:
    return any(re.search(p, text) for p in patterns)


# Shared pieces of cues.
_WHO = (r"谁|哪位|哪一位|何人|什么人|哪些人|哪个人|哪一个人|哪一人|哪名|哪[几两三四五]位|哪[几两三]名"
        r"|哪些(?:[市县区省镇村校院]|公司|集团)?(?:领导|干部|董事|监事|委员(?!会)|嘉宾|同志|企业家|专家)"
        r"|(?:领导|干部|董事|监事|委员|嘉宾|企业家|专家)(?:有|都有|是)哪些|哪一?个(?:记者|作者|编辑|通讯员|评论员)"
        rf"|哪些(?:常务副|代理|代|副)?(?:{TITLES})(?![会局处厅办部组])")  # "有哪些副市长出席" (not "哪些委员会")
_MEETING = r"会议(?!室)|例会|全会|大会(?!堂)|常委会|座谈会|推进会|调度会|联席会|报告会|会(?![堂场馆址所长])"
#: "会议要求/强调/指出什么": the question is about what the meeting said, not which one it was.
_MEETING_SAID = r"会议?(要求|强调|指出|提出|部署|决定|认为|明确|研究|讨论|审议|听取|通过|传达|学习)"

KINDS: list[Kind] = [
    Kind("who-chaired", "主持人 who chaired",
         cues=(rf"({_WHO}).{{0,4}}主持", rf"主持.*({_WHO})", r"主持人是", r"主持人[？?]?$", r"会议?\s*主持[？?]?$"),
         english=(r"\bwho\b.*\b(chair|chaired|chairs|presided|preside|hosted|led)\b",
                  r"\b(chaired|presided over|hosted)\b.*\bby whom\b")),
    Kind("why", "原因 why",
         cues=(r"(?<![称名改成作视译列定选认封评分变转划升简缩换])为什么|为何|何以|缘何|因何|什么原因|何种原因|原因是|原因有|是何原因|理由是|为啥|干嘛|怎么会",),
         english=(r"^\s*why\b", r"\bwhat (is|was|were|are) the reasons?\b")),
    Kind("how", "方式 how",
         cues=(r"如何|怎么|怎样|怎么样|什么方式|何种方式|什么方法|哪种方式|通过什么|用什么办法|采取了?什么措施|采取了?哪些措施",),
         not_cues=(r"怎么会",),
         english=(r"^\s*how\b(?!\s+(many|much|long|old|far|often))",)),
    Kind("time-of-day", "时刻 time of day",
         cues=(r"几点|几时|什么时刻|哪个时刻|什么时辰|(?:上午|下午|晚上|早上).{0,5}还是.{0,3}(?:上午|下午|晚上|早上)"
               r"|是(?:上午|下午|晚上|早上)吗",),
         english=(r"\bwhat time\b|\bat what hour\b",)),
    Kind("duration", "时长 how long",
         cues=(r"多久|多长时间|多长的时间|多少时间|历时多|持续了?多|(?<!第)(多少|几)(个)?(小时|分钟|秒钟|周|星期|天|日|月|年)(时间)?(?!级)",
               r"(任期|时间|时长|期限|寿命|周期|工期|刑期)(是|为|有)?多长|用了?多少年"),
         not_cues=(r"(哪|第)(几|一)?(年|天|月)", r"几月几日|几号", r"多少(年|天|月)(前|后)", r"年龄|岁数|多大"),
         english=(r"\bhow long\b|\bfor how many (years|days|months|hours)\b",)),
    Kind("when", "日期 when",
         cues=(r"什么时候|什么时间|何时|哪天|哪一天|几月几日|几月几号|几号|哪年|哪一年|哪个年代|何年|几月份|哪个月|哪一个月|什么日子|日期是|什么年代|哪个时期|什么时期|哪一时期|何日|哪个朝代|什么朝代|哪一朝",
               r"(哪|什么)(一|个|一个)?段?(季节|年份|世纪|日期|时期|时候|期间|年代|朝代|时代)", r"什么时[候间期后刻段]", r"(时期|年代|时间|日期)是什么", r"多少年(前|后)", r"(哪|第)几年", r"几(个)?世纪", r"年份是", r"(是|于|在)几年",
               r"(?:召开|举行|开会|开幕|闭幕|会议|会|的)日期[？?]?$"),
         english=(r"^\s*when\b|\bwhat (date|day|year|month)\b|\bwhich (date|day|year|month)\b|\bon what date\b",)),
    Kind("where", "地点 where",
         cues=(r"哪里|哪儿|在哪|什么地方|哪.?个地方|何地|何处|什么地点|哪座城市|哪个城市|哪个国家|哪一个国家|哪国|哪个省|哪一省|哪些地方|哪些地区|哪个地区|哪个区域|哪些城市|哪些国家|什么国家|哪个洲|哪座|哪片|去哪|到哪|地点是|发源地|所在地|哪一?国",
               r"(什么|哪些|哪个|哪一个?)(地区|区域|城市|国家|省份|省|位置|地带|海域|水域|地点|州|县|区|岛|洲|湖|山|河|港口|地"
               r"|会堂|礼堂|会场|会议室|场馆|宾馆|酒店|大厅|厅)(?!的?(人(?!口)|者|队|公司|政府))",
               r"(国家|城市|地方|地区|首都|都城)(是|为|则是)[？?]?$", r"(定都|位于|坐落)于?[？?]?$",
               r"(?:会议?|召开|举行|的)\s*(?:地点|会址|会场)[？?]?$"),
         not_cues=(r"位于哪个(时期|年代)", r"在哪一?位"),
         english=(r"\b(which|what)\s+(\w+\s+)?(places?|cities|city|towns?|countries|country|provinces?|regions?|areas?)\b", r"^\s*where\b|\bin which (city|country|province|place)\b|\bwhat (city|country|place)\b",)),
    Kind("who", "人物 who",
         cues=(_WHO, r"哪一?[个位]?(国王|皇帝|君主|人物|作家|诗人|学者|演员|总统|领导人|球员|歌手|教宗|将军|首相|宰相|丞相|大臣)",
               r"(校长|市长|省长|作者|主席|总统|首相|书记|负责人|创始人|创办人|发明人|发明者|发现者|领导人|皇帝|国王)(为|是)[？?]?$", r"(为|是)哪一?个人",
               r"(?<!会议)(?<!会)(叫|是)什么名字|姓名(是什么|叫什么)?[？?]?$|名字是什么",
               r"(?:记录人|记录员|联系人)(?:是)?[？?]?$",  # "纪要的记录人", "回执的联系人": a person by role
               # "云帆物流集团总经理叫什么": a post's holder by name
               # (叫, not 是: "主体责任是什么", "承诺书是什么" ask for a thing)
               r"(?:[长记席任理监事书员]|主持人|负责人|律师|会计师|董秘)叫(?:什么|啥)(?:名字)?[？?]?$"),
         not_cues=(r"谁的", r"(?:所|公司|单位|机构|医院|学校|学院|中心|银行|集团|企业|协会|村|镇|街道|项目|工程|基金|会议|报告|文件)"
                   r"(?:的)?(?:叫|是)什么名字"),  # an organisation's or a thing's name, not a person's
         english=(r"^\s*(who|whom)\b|\bwho (is|was|are|were|attended|spoke)\b|\bwhich (person|official|leader)\b",)),
    Kind("number", "数量 how many",
         cues=(r"多少|(?<!哪)几[个家人次天张项名位年月岁条件台辆种批所户座倍首部本场届支只位期层班万亿公里米吨元处起艘门票股例宗套篇份亩]|比例|百分之几|几成|百分比|比率|(?<!第)几(?=[个]?[\u4e00-\u9fff]{0,2}(?:[？?]|$))",
               r"多大|多高|多长|多重|多远|多深|多宽|多厚|多少岁|年龄|几岁|人口|面积|排名第几|第几",
               # a figure asked by its name alone: "一季度门急诊量", "电站总投资"
               r"(?:总投资|投资额|总额|金额|数量|人数|人次|总数|产值|产量|增速|增幅|(?<![质力能])量|(?<![效频])率)[？?]?$"),
         not_cues=(r"第几(次|届)?(会议|全会|大会)",),
         english=(r"\bhow (many|much)\b|\bwhat (percentage|share|proportion|number)\b|\bhow (old|far|tall|big|large)\b",
                  # "What was X's GDP?": a figure asked by its name
                  r"^\s*what (?:is|was|were|are)\b.*\b(?:gdp|output|revenue|income|budget|investment|turnover|sales|population|fare|price)\b")),
    Kind("which-meeting", "会议 which meeting",
         cues=(rf"(哪个|哪些|哪次|什么|哪一个|何种|哪一次|哪场)({_MEETING})", r"会议.{0,2}(是)?(哪个|哪些|什么)(会)?$",
               rf"({_MEETING})(的)?(名称|全称)是"),
         not_cues=(_MEETING_SAID + r".*(什么|哪些)", r"什么会(?!议)[\u4e00-\u9fff]", r"会议?(上|中)"),
         english=(r"\b(which|what) (meeting|meetings|conference|session)\b|\bmeetings? did\b.*\battend\b",)),
    Kind("yes-no", "是否 yes or no",
         cues=(r"是否|是不是|有没有|能不能|会不会|可不可以|要不要|对不对|[吗么][？?]?$|还是.*[？?]?$",),
         not_cues=(r"什么|哪|谁|多少|几",),
         english=(r"^\s*(is|are|was|were|does|do|did|can|could|has|have|had|will|would|should)\b",)),
    Kind("what", "事物 what",
         cues=(r"什么|哪个|哪些|哪一|哪项|哪种|哪类|哪家|哪部|哪首|哪本|哪支|哪队|哪条|哪所|哪句|何种|何为|何物|是何|为何物|[何啥]|哪",
               r"(是|为|称|称为|叫|叫做|名为|合称)(一场|一种|一个|一次)?[？?]?$"),
         english=(r"^\s*(what|which)\b|\bwhat\b|\bwhich\b|\bname\b",)),
]

OTHER = "other"
NAMES = [k.name for k in KINDS] + [OTHER]


def kind_of(folded: str) -> str:
    """The kind of a (folded, Chinese) question; ``other`` when no row matches."""
    folded = folded.replace("甚么", "什么").strip()
    return next((k.name for k in KINDS if k.matches(folded)), OTHER)


def kind_of_english(text: str) -> str:
    return next((k.name for k in KINDS if k.matches_english(text)), OTHER)


def label(name: str) -> str:
    return next((k.label for k in KINDS if k.name == name), name)
