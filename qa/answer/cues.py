"""The phrases the extractors look for: verbs that report an event, times of day, fields of
minutes and forms, venues, deadlines. Kept apart from :mod:`.extract` because the checks after it
(:mod:`.fits`, :mod:`.decide`) read the same phrases.
"""

from __future__ import annotations

import re

from ..ingest.phrases import LIST_ITEM

#: Verbs that report an event as happening at a date, a time or a place.
#: (开幕式 and 闭幕式 are what happened, not the verb.)
EVENT = re.compile(r"召开|举行|举办|开幕(?!式)|闭幕(?!式)|落下帷幕|拉开帷幕|落幕|启幕|揭幕|开班|开营|开赛|开工|开通|成立|签约"
                   r"|签署|发布|开展|启动|召集|开会|出席|参加|主持|视察|调研")
#: How long something lasted: "历时两个半小时", "为期三天", "持续45分钟".
DURATION = re.compile(r"(?:历时|持续|用时|为期|长达|耗时|开了)\s*((?:约|近|逾)?[\d一二三四五六七八九十百两半个多]+\s*"
                      r"(?:个半|个多)?(?:小时|分钟|天|日|周|个月|月|年)(?:半|多)?)")
#: Parts of the day, which may stand for the time of an event ("5月7日上午，…召开").
TIME_WORDS = r"凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|晚"
#: A time of day as reports write it: "上午9时", "晚8时", "下午2:30", "10时30分".
TIME = re.compile(r"(?:凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|晚)?\s*\d{1,2}\s*(?:[:：]\s*\d{2}|时(?:\d{1,2}分)?|点(?:\d{1,2}分|半)?)(?:许|左右)?"
                  r"|(?:凌晨|早上|上午|中午|下午|傍晚|晚上)(?=[，,召举在])")
#: "主持人：X", "地点：X", "时间：X": fields of minutes.
#: "一、会议地点" as a notice's numbered heading, its value on the next line (no colon once joined).
FIELD = re.compile(r"((?:会议)?(?:召开)?(?:主持人|地点|时间)|主持)\s*[:：]\s*"
                   r"|(?<=[一二三四五六七八九十]、)((?:会议)?(?:召开)?(?:主持人|地点|时间))\s*")


def label(m: re.Match[str]) -> str:
    """The field a :data:`FIELD` match names."""
    return m.group(1) or m.group(2)


#: A field line's label: "记录：", "参会人员：".
FIELD_LABEL = re.compile(rf"\s*(?:{LIST_ITEM})?\s*([\u4e00-\u9fff]{{2,6}})\s*[:：]")
#: A field's value that is one name, up to its bracket or the field's end: "周芷萱（市政府办公室）".
FIELD_NAME = re.compile(r"\s*([\u4e00-\u9fff·]{2,4})(?=[（(，,；;。\s]|$)")
#: A field's value that is names only: "晏书琪、祝远航".
FIELD_NAMES = re.compile(r"\s*([\u4e00-\u9fff·]{2,4}(?:、[\u4e00-\u9fff·]{2,4})*)\s*(?:[。；;]|$)")
#: What a venue's name ends with.
VENUE = r"厅|室|馆|中心|会场|礼堂|大厦|楼|宾馆|酒店|饭店|广场|基地|园区|开发区|新区|公园|学校|大学|剧院"


#: A day written in a date ("5月6日", "2026-05-06", "9日下午"), not a year alone.
A_DAY = re.compile(r"\d{1,2}日|-\d{1,2}$|月(?:底|初|末|中旬|上旬|下旬)")


#: A form's label naming the unit of the figure after it ("人数　　57", "人数：57"): written after the unit.
UNIT_LABEL = r"数[ \t\u3000]*[:：]?[ \t\u3000]*"
#: A question asking by when: "什么时候前", "几号之前", "哪天以前", "最晚什么时候", "截止到哪天".
DEADLINE = re.compile(r"(?:时候|时间|几号|几月几[日号]|哪天|哪一天|日期|啥时)(?:之|以)?前"
                      r"|(?:最晚|最迟|截止到?|截至)(?:什么时候|什么时间|几号|几月几[日号]|哪天|哪一天|啥时)")
#: Words of a deadline question that say nothing about what is due.
DUE_STOP = {"时候", "时间", "之前", "以前", "日期", "截止", "最晚", "最迟", "什么", "哪天"}
