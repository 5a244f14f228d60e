"""The words a report uses to say that a meeting was held, who chaired, attended or spoke at it,
and what may stand between a meeting's name and its verb: the vocabulary of :mod:`.meetings`.
"""

from __future__ import annotations

import re

from .phrases import EVENT_WORDS

CLAUSE = re.compile(r"[^，,；;。！？!?]+")
#: Verbs that report a meeting held: it is convened, held, opens or closes (开幕式 is a part of it).
OPENS = re.compile(r"(主持召开|召开了|召开|举行了|举行|开幕(?![式会])|闭幕(?![式会])|落下帷幕|拉开帷幕)")
CHAIR = re.compile(r"主持(?!召开)(?:了)?(?:会议|续会|[\u4e00-\u9fff]{1,3}会|学习)?(?=[，,。；;并]|$|时)")
ATTEND = re.compile(r"(?:出席|参加|列席|收听收看)(?:了)?(?:(?:开幕|闭幕)?(?:会议|大会|会|式)|续会|全会|活动|座谈|讨论)?"
                     r"(?=[，,。；;并]|$)|到会(?:指导|祝贺|讲话|致辞)?(?=[，,。；;并]|$)"
                     r"|在主席台(?:前排)?就[座坐]")
SPEAK = re.compile(r"(?:作|进行|发表)?(?:交流|重要|书面)?(?:讲话|发言|致辞)(?=[，,。；;]|$|时)|在(?:讲话|发言|致辞)中"
                    r"|宣布[^，,。；;]{0,24}?(?:开幕|闭幕|开工|启动)(?=[，,。；;]|$)"
                    r"|(?:就[^，,。；;]{1,20})?(?:(?:作|做)了?(?:具体|工作)?|(?:对[^，,。；;]{1,20})?进行了?)(?:安排|部署|总结)(?=[，,。；;]|$)"
                    # "X强调，…": what a person said there (a subject that is no person says nothing here)
                    r"|(?:强调|指出|要求|提出)(?=[，,：:]|$)")
#: Taking part by reporting: "X介绍了…", "X通报…", "X作…报告"; and "听取了X…的汇报" (X after the verb).
REPORTS = re.compile(r"(?:介绍|通报|汇报)(?:了)?|(?<!工)(?:作|做)(?:了)?[^，,。；;]{0,24}?(?:报告|汇报)")
HEARD = re.compile(r"听取(?:了)?")
#: Who led a group to the meeting: "分会场由副区长X组织收听收看", "由X带领…参加会议".
LED_BY = re.compile(r"由([^，,。；;由]{2,24}?)(?:组织|带领|率领|率)")
#: "X出席了Y会议": a meeting named by one who attended it.
ATTEND_NAMED = re.compile(r"(?:出席|参加|列席)(?:了)?")
#: "X在Y会上讲话/通报": a meeting named where someone spoke at it.
SPOKE_AT = re.compile(r"在([^，,。；;在]{2,40}?)上")
BARE = re.compile(r"(?:第[^，,。]{1,6}次)?(?:全体|扩大|专题|视频|常务|工作)?(?:会议|全会|例会)")
#: What may stand between a meeting's name and 召开: its date, venue and manner.
WHEN = (r"(?:(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:(?:至|到|—|－|-)(?:\d{1,2}月)?\d{1,2}日)?|昨天|昨日|今天|今日|前天|日前|近日)"
         r"(?:上午|下午|晚上|晚)?(?:\d{1,2}[时点](?:\d{1,2}分|半)?)?")
SETTING = re.compile(rf"(?:{WHEN}|(?:于|在|以)[^，,。；;]{{1,30}}?)+")
#: A meeting named by its kind alone ("座谈交流会", "汇报会"): inside a report of another, one of its sittings.
SITTING = re.compile(rf"(?:{EVENT_WORDS}){{1,2}}(?:会|会议)")
#: An event held together with the meeting, named after 暨: "…推进会暨一季度项目集中开工活动".
JOINED_EVENT = re.compile(r"暨[^，,。；;在于]{2,20}?(?:活动|仪式|典礼)")
#: A clause about the meeting reported, by its kind alone: "会议于…召开", "本次股东大会于…召开".
ITSELF = re.compile(r"(?:本次|这次|此次)?(?:会议|大会|全会|股东大会|董事会|监事会)(?:于|在)")
#: What follows a verb that names the act instead of doing it: "召开情况", "召开时间".
NAMED_ACT = re.compile(r"情况|时间|地点|日期|方式")
HEADING_ACT = re.compile(rf"(?:{OPENS.pattern})(?:{NAMED_ACT.pattern})")
CONTENT_LEAD = re.compile(r"^(?:会议|会上|会前|会后)(?!以)")
DATELINE = re.compile(r"^[^，,。]{0,12}讯\s*")
