"""The general vocabulary of reports in English and in Chinese, for rendering English questions.

Titles, meeting words, administrative units, bodies and the words that say which count is asked:
what any meeting report uses, never a document's topic (topic words are the dictionary's, see
:mod:`.dictionary`, rendered only by what the passages write).
"""

from __future__ import annotations

#: English word or phrase → Chinese as reports write it: titles, meeting words, administrative
#: units and bodies. Longer phrases first. Topic words are not here: the dictionary finds them.
GLOSSARY: dict[str, str] = {
    "acting mayor": "代市长", "vice mayor": "副市长", "deputy mayor": "副市长", "executive vice mayor": "常务副市长",
    "mayor": "市长", "acting governor": "代省长", "vice governor": "副省长", "governor": "省长",
    "county head": "县长", "county magistrate": "县长", "district head": "区长", "town head": "镇长",
    "party secretary": "书记", "deputy secretary": "副书记", "secretary general": "秘书长", "secretary": "书记",
    "chairman of the board": "董事长", "general manager": "总经理", "president": "校长", "principal": "校长",
    "dean": "院长", "chairman": "主席", "chairwoman": "主席", "chairperson": "主席", "director": "主任",
    "deputy director": "副主任", "vice chairman": "副主席", "head": "组长", "minister": "部长",
    "municipal party standing committee": "市委常委会", "provincial party standing committee": "省委常委会",
    "party standing committee": "常委会", "municipal party committee": "市委", "provincial party committee": "省委",
    "county party committee": "县委", "district party committee": "区委",
    "people's congress": "人大", "peoples congress": "人大", "cppcc": "政协", "political consultative": "政协",
    "standing committee": "常委会", "leading group": "领导小组", "working group": "工作组", "party committee": "党委",
    "municipal government": "市政府", "provincial government": "省政府", "county government": "县政府",
    "district government": "区政府", "government": "政府", "board of directors": "董事会", "board": "董事会",
    "executive meeting": "常务会议", "plenary session": "全体会议", "plenary meeting": "全体会议", "plenary": "全体会议",
    "symposium": "座谈会", "forum": "座谈会", "seminar": "座谈会", "press conference": "新闻发布会",
    "study session": "学习会", "work meeting": "工作会议", "video conference": "视频会议", "teleconference": "电视电话会议",
    "enlarged": "扩大", "expanded": "扩大", "chaired": "主持", "chair": "主持", "presided": "主持", "hosted": "主持",
    "attended": "参加", "attend": "参加", "took part": "参加", "participated": "参加", "spoke": "讲话",
    "meeting": "会议", "meetings": "会议", "conference": "会议", "session": "会议", "main venue": "主会场",
    "branch venues": "分会场", "venue": "会场",
    "citywide": "全市", "city-wide": "全市", "countywide": "全县", "county-wide": "全县", "province-wide": "全省",
    "provincewide": "全省", "districtwide": "全区", "district-wide": "全区",
    "province": "省", "provincial": "省", "municipal": "市", "city": "市", "town": "镇", "county": "县",
    "district": "区", "subdistrict": "街道", "street": "街道", "village": "村", "township": "乡",
    "people": "人", "persons": "人",
    "position": "职务", "post": "职务", "title": "职务",
    "deputies": "代表", "representatives": "代表", "delegates": "代表", "actually attended": "实到",
    "actually present": "实到", "were present": "实到", "should attend": "应到", "work safety": "安全生产",
    "work safety committee": "安委会", "board secretary": "董事会秘书", "secretary of the board": "董事会秘书",
    "annual general meeting": "年度股东大会", "agm": "股东大会", "shareholders' meeting": "股东大会",
    "shareholders meeting": "股东大会", "general meeting of shareholders": "股东大会", "shareholders": "股东",
    "staff congress": "职工代表大会", "workers' congress": "职工代表大会", "congress": "代表大会",
    "expo": "博览会", "exposition": "博览会", "fair": "交易会", "trade fair": "交易会", "exhibition": "展览会",
    "dispatch meeting": "调度会", "scheduling meeting": "调度会", "promotion meeting": "推进会",
    "on-site meeting": "现场会", "site meeting": "现场会", "special meeting": "专题会议", "theory study group": "理论学习中心组",
    "visitors": "观众", "branch venue": "分会场", "opening ceremony": "开幕式", "closing ceremony": "闭幕式",
    "joint meeting": "联席会议", "on-site": "现场", "took the minutes": "记录", "minute taker": "记录",
    "recorded the minutes": "记录", "first day": "首日", "opening day": "首日", "second day": "第二天",
    "third day": "第三天", "fourth day": "第四天", "in total": "一共", "total": "一共", "altogether": "一共", "cumulative": "累计",
    # how a meeting votes, and the figures every economic report gives
    "votes in favour": "同意票", "votes in favor": "同意票", "in favour": "同意", "in favor": "同意",
    "abstained": "弃权", "abstain": "弃权", "abstentions": "弃权票", "votes against": "反对票", "voted against": "反对",
    "gdp": "地区生产总值", "gross domestic product": "地区生产总值", "first quarter": "一季度",
    "second quarter": "二季度", "third quarter": "三季度", "first half": "上半年",
    "private enterprise": "民营企业", "private enterprises": "民营企业", "private economy": "民营经济",
}
