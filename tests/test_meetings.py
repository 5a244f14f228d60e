"""Meeting extraction on sentences written for these tests (several report styles), no model needed.

The names below are made up; the library holds no list of them: chairs, attendees and speakers
are found from the verbs around them and jieba's part-of-speech tags.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from qa.answer.meetings import answer_from_table, csv_text, filter_meetings, meeting_question, table
from qa.index.meeting_rows import ensure_tables, read_meetings, stale_sources, write_meetings
from qa.ingest.meeting_dates import last_date, on_day, resolve
from qa.ingest.meeting_merge import merge
from qa.ingest.meetings import extract_meetings
from qa.ingest.passages import document_passages
from qa.ingest.readers import parse_document


def meetings(text: str, name: str = "t.txt"):
    return extract_meetings(document_passages(parse_document(name, text.encode("utf-8")), 400))


def only(text: str, name: str = "t.txt"):
    rows = meetings(text, name)
    assert len(rows) == 1, rows
    return rows[0]


def test_chair_opens_named_meeting_with_publication_date():
    m = only("县委召开常委会研究春耕\n发布时间：2021-03-06\n"
             "本报讯 3月5日，县委书记张建国主持召开县委常委会第12次会议，研究部署春耕生产工作。"
             "县长李明华、副县长王小红出席会议。\n")
    assert m.date == "2021-03-05"  # resolved against the page's publication date
    assert m.name == "县委常委会第12次会议"
    assert (m.chair, m.chair_name) == ("县委书记张建国", "张建国")
    assert m.attendees == ["李明华", "王小红"]
    assert not m.mentioned
    src = m.sources[0]
    assert src.sentence.startswith("本报讯 3月5日") and "王小红出席会议" in src.sentence
    a, b = src.chair_span
    assert src.sentence[a:b] == "县委书记张建国"


@pytest.mark.parametrize("text, name, chair", [
    ("6月3日，全市秸秆禁烧工作现场会在东岗镇召开，副市长白立新主持会议。\n", "全市秸秆禁烧工作现场会", "白立新"),
    ("9月9日，第四届北岭农产品交易会在北岭会展中心开幕，市长秦朗主持会议。\n", "第四届北岭农产品交易会", "秦朗"),
    ("10月8日，为期三天的北岭文化旅游博览会在北岭会展中心落下帷幕。\n", "北岭文化旅游博览会", None),
    ("3月2日，市一中第七届教代会召开，校长纪文华主持会议。\n", "市一中第七届教代会", "纪文华"),
    ("9月9日上午，副省长何清宣布第四届北岭农产品交易会开幕。\n", "第四届北岭农产品交易会", None),  # not "…何清宣布…"
])
def test_meetings_named_by_a_kind_of_event(text, name, chair):
    """现场会, 交易会, 教代会: meetings reports name by the kind of event, not by 会议."""
    m = only(text)
    assert (m.name, m.chair_name) == (name, chair)


def test_a_meeting_held_with_an_event_is_one_row_with_who_took_part_in_the_event():
    m = only("3月9日上午，全市文旅项目推进会暨一季度项目签约活动在栖岭新区举行。\n"
             "推进会由市委常委、常务副市长郁青山主持。市领导霍兰亭、单晓川参加活动。\n")
    assert m.name == "全市文旅项目推进会暨一季度项目签约活动" and m.place == "栖岭新区"
    assert (m.chair, m.chair_name) == ("市委常委、常务副市长郁青山", "郁青山")  # not "推进会由…"
    assert m.attendees == ["霍兰亭", "单晓川"]


def test_a_sitting_named_by_its_kind_alone_is_part_of_the_meeting_reported():
    """"观摩结束后召开了座谈会": the 座谈会 is a sitting of the 现场会 the report is about."""
    m = only("4月3日，全市美丽乡村建设现场会在栖岭县召开。与会人员观摩了5个村。\n"
             "观摩结束后召开了座谈交流会，副市长黎望舒出席会议并讲话。市领导柴文远参加座谈会。\n")
    assert m.name == "全市美丽乡村建设现场会"
    assert m.attendees == ["黎望舒", "柴文远"] and "黎望舒" in m.speakers


def test_a_meeting_that_opens_in_a_hall_has_that_place():
    m = only("1月12日上午9时，北岭市第九届人民代表大会第三次会议在市人民会堂隆重开幕。\n")
    assert (m.name, m.place, m.date) == ("北岭市第九届人民代表大会第三次会议", "市人民会堂", "1月12日")


def test_body_opens_meeting_then_chair_in_next_sentence():
    m = only("4月2日，市政府召开第八次常务会议。市长王志强主持会议并讲话。\n")
    assert m.name == "市政府第八次常务会议"  # the body holding a meeting named only by its number
    assert m.chair == "市长王志强"
    assert m.speakers == ["王志强"]
    assert m.date == "4月2日"  # no publication date: as written, no year invented
    a, b = m.sources[0].chair_span
    assert m.sources[0].sentence[a:b] == "市长王志强"


def test_meeting_named_before_its_verb_attended_and_addressed():
    m = only("5月8日上午，全省乡村振兴工作推进会在省会召开，副省长赵立新出席会议并讲话。\n")
    assert (m.name, m.date, m.place, m.chair) == ("全省乡村振兴工作推进会", "5月8日", "省会", None)
    assert m.attendees == ["赵立新"] and m.speakers == ["赵立新"]


def test_video_meeting_with_branch_venue():
    m = only("6月1日，省防汛抗旱指挥部召开全体会议。省长陈国华主持会议。\n"
             "会议以视频形式召开，市委书记刘德明、市长孙晓东在东阳分会场参加会议。\n")
    assert m.name == "省防汛抗旱指挥部全体会议"
    assert m.chair_name == "陈国华"
    assert m.attendees == ["刘德明", "孙晓东"]
    assert m.place == "东阳分会场"
    # the attendees' sentence is another paragraph: kept as evidence beside the main source
    assert [e.paragraph for e in m.evidence] == [2] and "孙晓东" in m.evidence[0].sentence


@pytest.mark.parametrize("text, name", [
    ("7月19日晚，岩城市防汛抗旱工作视频会议召开，副市长唐立新主持会议。\n", "岩城市防汛抗旱工作视频会议"),
    ("日前，东岭区召开区政府常务会议暨安全生产专题会议，区长韩冬主持会议。\n", "区政府常务会议暨安全生产专题会议"),
    ("8月2日，县委常委会会议召开，县委书记王建林主持会议。\n", "县委常委会会议"),
])
def test_a_meeting_name_ends_with_its_whole_last_word(text, name):
    """"视频会议", "专题会议": not "视频会" with the "议" left over."""
    assert only(text).name == name


@pytest.mark.parametrize("text, speaker", [
    ("9月9日，第四届北岭农产品交易会开幕。副省长何清宣布交易会开幕。\n", "何清"),  # declaring it open
    ("8月1日下午，市长方岩主持召开市政府第9次常务会议。\n会议还听取了东岭区代区长韩冬关于科技园建设情况的汇报。\n", "韩冬"),
    ("10月12日，岩城市重点项目现场推进会召开。在项目现场，东岭县委书记黄立介绍了征地拆迁情况。\n", "黄立"),
    ("1月17日，岚峰集团2026年度工作会议召开。集团总经理蔡文远作工作报告。\n", "蔡文远"),
    ("3月2日，中共岩城市委第九届委员会第五次全体会议召开。市委书记甘立恒受市委常委会委托作工作报告。\n", "甘立恒"),
])
def test_people_who_report_at_a_meeting_took_part_in_it(text, speaker):
    """"听取了X…的汇报", "X介绍了…", "X作工作报告": X took part (a list of X's meetings holds it)."""
    assert speaker in only(text).speakers


@pytest.mark.parametrize("text, attendee", [
    ("1月9日，岩城市政协第六届委员会第三次会议闭幕。市委书记甘立恒出席闭幕会并讲话。\n", "甘立恒"),
    ("1月5日，岩城市第十届人民代表大会第二次会议开幕。主席团常务主席蓝正清在主席台前排就座。\n", "蓝正清"),
])
def test_people_at_the_opening_or_on_the_rostrum_took_part(text, attendee):
    assert attendee in only(text).attendees


def test_a_notice_opening_above_its_headline_gives_its_fields_and_chair():
    m = meetings("证券代码：600001　　证券简称：岚峰股份\n\n岚峰股份有限公司\n2025年年度股东大会决议公告\n\n"
                 "一、会议召开和出席情况\n（一）股东大会召开的时间：2026年4月22日\n"
                 "（二）股东大会召开的地点：公司行政楼三楼会议室\n"
                 "（三）表决方式是否符合《公司法》的规定，大会主持情况等。\n"
                 "本次股东大会由公司董事会召集，董事长聂卫民主持。\n")[0]
    assert (m.name, m.date, m.place, m.chair_name) == ("2025年年度股东大会", "2026-04-22", "公司行政楼三楼会议室", "聂卫民")


def test_a_meeting_referred_back_to_is_no_second_row():
    """"座谈会上，X发言": the 座谈会 the report is about, not a row named 座谈会; "不少会议" names none."""
    rows = meetings("4月2日下午，市委书记方岩主持召开民营企业座谈会。\n"
                    "座谈会上，岚城科技董事长隋国栋等8位企业家先后发言。\n"
                    "不少会议开得很长，这次座谈会却只开了一个半小时。\n")
    assert [r.name for r in rows] == ["民营企业座谈会"]


def test_minutes_and_announcements_give_their_fields():
    m = only("松岩县人民政府第7次常务会议纪要\n\n时间：2024年3月12日上午9:00\n地点：县政府二楼会议室\n"
             "主持人：县长 邓子谦\n参加人员：副县长高秀兰、任海\n")
    assert (m.name, m.date, m.place) == ("松岩县人民政府第7次常务会议", "2024-03-12", "县政府二楼会议室")
    assert (m.chair, m.chair_name, m.attendees) == ("县长邓子谦", "邓子谦", ["高秀兰", "任海"])
    m = only("岚峰新材料股份有限公司\n2024年第一次临时股东大会决议公告\n\n一、会议召开和出席情况\n"
             "（一）会议召开时间：2024年4月18日下午2时30分\n（二）会议召开地点：公司总部五楼会议室\n"
             "（三）会议主持人：董事长 魏春林\n（四）出席会议的股东共15名。\n")
    assert (m.name, m.date, m.place, m.chair_name) == ("2024年第一次临时股东大会", "2024-04-18", "公司总部五楼会议室", "魏春林")
    assert m.sources[0].sentence.startswith("（一）会议召开时间")  # each field is its own evidence


def test_minutes_are_named_by_their_subject_and_their_body_is_the_same_meeting():
    """A headline "某局专题会议纪要 … 关于某某工作的专题会议纪要" names a series and the meeting: the
    meeting is the subject; "会议纪要" alone names nothing; the body's "某某主持召开…会" is the same row."""
    m = only("栖岭县交通运输局\n专题会议纪要\n\n关于城区停车场建设工作的专题会议纪要\n\n时间：2026年3月9日上午9:00\n"
             "主持人：祁远山（副局长）\n参加人员：柳青（规划科科长）、苗禾（财务科科长）\n")
    assert (m.name, m.chair_name, m.attendees) == ("关于城区停车场建设工作的专题会议", "祁远山", ["柳青", "苗禾"])
    m = only("栖岭县人民政府办公室\n会议纪要\n\n栖岭县重点项目建设推进会会议纪要\n\n时间：2026年3月18日上午9:30\n"
             "主持人：葛远帆（县长）\n参加人员：钮青（副县长）\n\n3月18日，县长葛远帆主持召开全县重点项目建设推进会，听取汇报。\n")
    assert (m.name, m.attendees) == ("栖岭县重点项目建设推进会", ["钮青"])


def test_traditional_script_kept_as_written_and_matched_folded():
    m = only("7月3日，縣委書記黃志強主持召開縣委常委會第20次會議。縣長周文華出席會議並講話。\n")
    assert m.name == "縣委常委會第20次會議" and m.key == "县委常委会第20次会议"
    assert (m.chair, m.chair_name) == ("縣委書記黃志強", "黃志強")
    assert m.attendees == ["周文華"] and m.speakers == ["周文華"]
    assert filter_meetings([m], person="黄志强") == [m]  # a simplified query finds it


def test_pinyin_noise_and_ji_joined_meeting():
    m = only("8月9日，市委书记王(wáng)建(jiàn)军(jūn)主持召开市委常委会暨市疫情防控领导小组会议，"
             "市长李(lǐ)红(hóng)出席会议。\n")
    assert m.name == "市委常委会暨市疫情防控领导小组会议"  # "A暨B": one meeting
    assert m.chair == "市委书记王建军"
    assert m.attendees == ["李红"]


def test_meeting_in_passing_is_marked_mentioned():
    rows = meetings("本报讯 3月5日，县委书记张建国主持召开县委常委会第12次会议。\n"
                    "会议指出，要抓好春耕。省长日前主持召开省政府常务会议，对春耕作出部署。\n")
    assert [(r.name, r.mentioned) for r in rows] == [("县委常委会第12次会议", False), ("省政府常务会议", True)]
    assert rows[1].chair == "省长" and rows[1].chair_name is None and rows[1].date == "日前"


def test_attributive_mention_and_referenced_meetings():
    rows = meetings("评论员文章\n昨天召开的市委常委会第9次会议，给出了明确方案。各地要按照省委常委会议部署要求抓好落实。\n")
    assert [(r.name, r.mentioned) for r in rows] == [("市委常委会第9次会议", True)]  # 按照…部署: no event


def test_no_meeting_no_row():
    assert meetings("今年春耕进展顺利，全县播种面积达到十万亩。农民李大山说，今年收成会更好。\n") == []


def test_reprint_is_one_row_with_both_sources_and_mention_joins():
    text = "本报讯 3月5日，县委书记张建国主持召开县委常委会第12次会议。县长李明华出席会议。\n"
    a = meetings("发布时间：2021-03-06\n" + text, "a.txt")
    b = meetings(text, "b.txt")
    c = meetings("短评\n前天召开的县委常委会第12次会议，部署了春耕。\n", "c.txt")
    other = meetings("本报讯 3月5日，县长李明华主持召开县政府第3次常务会议。\n", "d.txt")
    rows = table(a + b + c + other)
    assert len(rows) == 2
    first = next(r for r in rows if r.key == "县委常委会第12次会议")
    assert [s.source for s in first.sources] == ["a.txt", "b.txt", "c.txt"]
    assert first.date == "2021-03-05" and not first.mentioned
    assert [r.name for r in filter_meetings(rows, person="李明华")] == ["县委常委会第12次会议", "县政府第3次常务会议"]
    assert [r.name for r in filter_meetings(rows, person="李明华", role="chair")] == ["县政府第3次常务会议"]


def test_same_name_on_different_days_stays_two_rows():
    a = meetings("发布时间：2021-03-06\n3月5日，县委书记张建国主持召开县委常委会会议。\n", "a.txt")
    b = meetings("发布时间：2021-04-10\n4月9日，县委书记张建国主持召开县委常委会会议。\n", "b.txt")
    assert len(merge(a + b)) == 2


def test_dates():
    assert resolve(last_date("2月17日，"), "2020-02-18") == "2020-02-17"
    assert resolve(last_date("昨天，"), "2020-02-18") == "2020-02-17"
    assert resolve(last_date("昨天，"), None) == "昨天"
    assert resolve(last_date("12月30日"), "2021-01-02") == "2020-12-30"
    assert resolve(last_date("3月28日上午"), None) == "3月28日"
    assert on_day("2020-02-17", "2月17日") and on_day("2月17日", "2月17日")
    assert not on_day("昨天", "2月17日") and not on_day(None, "2月17日")


@pytest.mark.parametrize("question, person, role, date", [
    ("钮青副县长参加了哪些会议？", "钮青", "attendee", None),  # the title after the name
    ("周岚在哪些会议上讲了话？", "周岚", "speaker", None),
    ("张建国主持了哪些会议？", "张建国", "chair", None),
    ("那李明华参加了哪些会议", "李明华", "attendee", None),
    ("王小红出席过什么会议？", "王小红", "attendee", None),
    ("3月5日开了哪些会？", None, None, "3月5日"),
])
def test_list_of_meetings_questions(question, person, role, date):
    q = meeting_question(question)
    assert (q.person, q.role, q.date) == (person, role, date)


@pytest.mark.parametrize("question", ["谁主持召开了县委常委会第12次会议？", "他参加了哪些会议？", "春耕播种了多少亩？"])
def test_other_questions_are_not_table_questions(question):
    assert meeting_question(question) is None


def test_answer_quotes_each_meeting_and_names_its_files():
    rows = table(meetings("本报讯 3月5日，县委书记张建国主持召开县委常委会第12次会议。\n", "a.txt")
                 + meetings("4月2日，县委书记张建国主持召开县委全会。\n", "b.txt"))
    answer = answer_from_table("张建国主持了哪些会议？", meeting_question("张建国主持了哪些会议？"), rows)
    assert answer.found and len(answer.quotes) == 2
    assert "a.txt" in answer.message and "b.txt" in answer.message
    for quote in answer.quotes:
        assert "张建国" in quote.sentence
        assert any(quote.text[a:b] == "县委书记张建国" for a, b in quote.highlights)
    assert not answer_from_table("x", meeting_question("赵六主持了哪些会议？"), rows).found


def test_rows_round_trip_through_sqlite_and_csv():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE files (source TEXT PRIMARY KEY)")
    db.executemany("INSERT INTO files VALUES (?)", [("a.txt",), ("b.txt",)])
    ensure_tables(db)
    rows = meetings("6月1日，省防汛抗旱指挥部召开全体会议。省长陈国华主持会议。\n"
                    "会议以视频形式召开，市委书记刘德明在东阳分会场参加会议。\n", "a.txt")
    write_meetings(db, "a.txt", rows)
    assert stale_sources(db) == ["b.txt"]  # never extracted
    assert read_meetings(db) == rows
    write_meetings(db, "a.txt", None)
    assert read_meetings(db) == []
    text = csv_text(table(rows))
    assert text.splitlines()[0].startswith("date,name,chair") and "陈国华" in text
    json.dumps([r.sources[0].__dict__ for r in rows])


def test_mention_of_a_joint_meeting_joins_each_part():
    rows = (meetings("本报讯 3月5日，县委书记张建国主持召开县委常委会第12次会议。\n", "a.txt")
            + meetings("本报讯 3月5日，县委书记张建国主持召开县防汛指挥部第一次会议。\n", "b.txt")
            + meetings("短评\n前天召开的十五届县委常委会第12次会议暨县防汛指挥部第一次会议，部署了防汛。\n", "c.txt"))
    merged = merge(rows)
    assert [m.name for m in merged] == ["县委常委会第12次会议", "县防汛指挥部第一次会议"]
    assert all([s.source for s in m.sources] == [m.sources[0].source, "c.txt"] for m in merged)


def test_person_named_elsewhere_gets_a_second_quote_and_answers_are_quoted_words():
    rows = table(meetings("6月1日，省防汛抗旱指挥部召开全体会议。省长陈国华主持会议。\n"
                          "会议以视频形式召开，市委书记刘德明、市长孙晓东在东阳分会场参加会议。\n", "d.txt"))
    answer = answer_from_table("刘德明参加了哪些会议？", meeting_question("刘德明参加了哪些会议？"), rows)
    assert answer.answer == "省防汛抗旱指挥部召开全体会议"  # the words the quote holds
    assert [q.paragraph for q in answer.quotes] == [1, 2]
    assert "刘德明" in answer.quotes[1].sentence
    assert any(answer.quotes[1].text[a:b] == "刘德明" for a, b in answer.quotes[1].highlights)
    for part in answer.answer.split("；"):
        assert any(part in q.text for q in answer.quotes)


def test_a_name_inside_the_venue_is_not_the_meeting():
    m = only("柘川县人大常委会举行会议\n\n5月6日上午，柘川县第九届人民代表大会常务委员会第十二次会议"
             "在县人大常委会机关三楼会议室举行。县人大常委会主任邝一鸣主持会议。")
    assert m.name == "柘川县第九届人民代表大会常务委员会第十二次会议"
    assert m.chair_name == "邝一鸣" and m.place == "县人大常委会机关三楼会议室"


def test_a_meeting_named_in_the_clause_before_its_setting():
    m = only("全会举行\n\n中国共产党柘川县第八届委员会第五次全体会议，6月2日上午在县会堂举行。"
             "县长韦知远就下半年经济工作讲话。")
    assert m.name == "中国共产党柘川县第八届委员会第五次全体会议"
    assert m.date == "6月2日" and m.place == "县会堂" and m.speakers == ["韦知远"]


def test_an_event_joined_by_ji_before_a_meeting_is_one_name():
    m = only("8月3日上午，柘川县第三批重点项目集中签约暨招商推进会在县会展中心举行。县长韦知远主持会议。")
    assert m.name == "柘川县第三批重点项目集中签约暨招商推进会"


@pytest.mark.parametrize("sentence, attendee", [
    ("县委书记蓝启帆出席闭幕大会并讲话。", "蓝启帆"),
    ("县领导蓝启帆、籍晓禾参加座谈。", "籍晓禾"),
    ("溪口镇镇长籍晓禾到会指导。", "籍晓禾"),
    ("溪口镇分会场由副镇长籍晓禾组织收听收看。", "籍晓禾"),
    ("河西区分会场由副区长籍晓禾带领有关部门负责同志参加会议。", "籍晓禾"),
])
def test_ways_of_taking_part(sentence, attendee):
    m = only("3月9日，柘川县防汛工作会议在县行政中心召开，县长韦知远主持会议。" + sentence)
    assert attendee in m.attendees


def test_speakers_listed_with_how_many_and_those_who_speak_in_their_speech():
    m = only("昨天，县长韦知远主持召开民营企业座谈会。座谈会上，蓝海物流总经理籍晓禾、禾丰农业董事长蓝启帆"
             "等6位企业家先后发言。韦知远在讲话中指出，要优化营商环境。")
    assert m.speakers == ["籍晓禾", "蓝启帆", "韦知远"]


def test_a_work_report_is_not_someone_reporting():
    m = only("4月1日，柘川县政协第五届委员会第二次会议在县会堂闭幕。县政协主席邝一鸣主持闭幕大会。"
             "大会表决通过了常务委员会工作报告的决议。")
    assert m.speakers == []


def test_a_meeting_counted_is_named_without_its_count():
    rows = meetings("5月2日，县长韦知远主持召开政企座谈会。韦知远要求，每季度至少召开一次企业家座谈会。"
                    "本周县里还召开了多场重要会议。")
    assert [r.name for r in rows] == ["政企座谈会", "企业家座谈会"]


def test_yesterday_under_a_dateline_without_a_year():
    m = only("本报5月17日讯（记者 石青）昨天上午，县长韦知远主持召开政企座谈会。")
    assert m.date == "5月16日"
    assert resolve(last_date("昨天"), "3月1日") == "2月29日"  # a year is not invented: 2月29日 may exist


def test_a_newspapers_masthead_gives_the_date_and_is_no_paragraph():
    text = "柘川日报 2026年3月12日 星期四 第2版\n\n韦知远主持召开县政府第9次常务会议\n\n昨天，县长韦知远主持召开县政府第9次常务会议。"
    m = only(text)
    assert m.date == "2026-03-11"
    passages = document_passages(parse_document("t.txt", text.encode()), 400)
    assert all("星期四" not in p.text for p in passages)
    assert passages[0].title.startswith("柘川日报")  # the paper's name stays: it says where the news is from


def test_a_session_over_two_days_in_a_hall():
    m = only("柘川县第九届人民代表大会常务委员会第十三次会议6月3日至4日在县人大常委会会议厅举行。"
             "县人大常委会主任邝一鸣主持会议。受县人民政府委托，副县长籍晓禾作了报告。")
    assert m.name == "柘川县第九届人民代表大会常务委员会第十三次会议"
    assert m.date == "6月3日" and m.speakers == ["籍晓禾"]
    m = only("中国共产党柘川县第八届委员会第六次全体会议，于2026年12月26日至27日在县会议中心举行。")
    assert m.date == "2026-12-26" and m.place == "县会议中心"


def test_an_enlarged_meeting_named_by_the_body_that_holds_it():
    m = only("2月9日上午9时，中共柘川县溪口镇委员会在镇政府二楼会议室召开扩大会议。镇党委书记蓝启帆主持会议并讲话。")
    assert m.name == "中共柘川县溪口镇委员会扩大会议" and m.chair_name == "蓝启帆"
    assert m.place == "镇政府二楼会议室"


def test_a_person_listed_before_the_bodies_of_a_group_took_part():
    m = only("3月9日，柘川县森林防火工作视频会议召开。在溪口镇分会场，镇党委副书记、镇长籍晓禾和镇林业站、"
             "镇应急办负责同志参加会议。")
    assert m.attendees == ["籍晓禾"]


def test_a_reprint_in_traditional_script_with_the_same_chair_is_the_same_meeting():
    a = only("3月10日下午，县长韦知远主持召开县政府第9次常务会议，副县长籍晓禾出席会议。", "a.txt")
    b = only("3月10日下午，縣政府在縣行政中心3號會議室召開第9次常務會議。會議由縣長韋知遠主持，副縣長籍曉禾出席。", "b.txt")
    rows = merge([a, b])
    assert len(rows) == 1 and rows[0].attendees == ["籍晓禾"]


def test_a_body_chairs_and_a_bracketed_dateline_is_no_part_of_a_name():
    m = only("中国共产党柘川县第八届委员会第五次全体会议，6月2日在县会堂举行。全会由县委常委会主持。"
             "2日下午，全会举行第二次全体会议并闭幕，县委副书记、县长韦知远主持闭幕会。")
    assert (m.chair, m.chair_name) == ("县委常委会", None)  # the sitting's chair chairs no more than it
    assert m.attendees == ["韦知远"]
    m = only("柘川县第九届人民代表大会第三次会议6月2日在县会堂开幕。大会执行主席籍晓禾主持开幕大会。")
    assert m.chair_name == "籍晓禾"  # where the text names no other chair, the opening sitting's is it
    assert only("【本网讯】6月8日，第三届柘川茶产业博览会在县会展中心开幕。").name == "第三届柘川茶产业博览会"


def test_an_announcement_gives_its_chair_date_and_venue_in_its_body():
    rows = meetings("柘川精工股份有限公司\n第三届董事会第七次会议决议公告\n\n一、董事会会议召开情况\n"
                    "柘川精工股份有限公司第三届董事会第七次会议通知于2026年3月2日以电子邮件方式送达全体董事。"
                    "会议于2026年3月12日上午10:00在公司总部五楼会议室召开。会议由董事长籍晓禾先生主持。\n"
                    "二、董事会会议审议情况\n1、审议通过《关于召开2026年第一次临时股东大会的议案》董事会决定于2026年4月20日"
                    "在公司总部召开2026年第一次临时股东大会。\n")
    board = next(r for r in rows if "董事会" in r.name)
    assert (board.date, board.chair_name, board.place) == ("2026-03-12", "籍晓禾", "公司总部五楼会议室")
    egm = next(r for r in rows if "股东大会" in r.name)
    assert egm.date == "2026-04-20"  # the day it is called for, not the announcement's


def test_an_announcements_fields_and_the_chair_its_body_names():
    m = only("柘川新材2025年年度股东大会决议公告\n一、会议召开和出席情况\n（一）股东大会召开的时间：2026年4月3日\n"
             "（二）股东大会召开的地点：柘川市新区88号公司三楼会议室\n"
             "本次股东大会由公司董事会召集，现场会议于当日下午14:30召开，由董事长蓝启帆女士主持。\n")
    assert m.chair_name == "蓝启帆" and any("蓝启帆" in e.sentence for e in m.evidence)


def test_a_list_of_those_present_over_commas_and_the_venue_in_a_later_sentence():
    m = only("日前，副县长韦知远主持召开全县城市防汛工作专题会议。会议在县防汛抗旱指挥部会商室召开。"
             "溪口镇镇长籍晓禾，县水利局局长蓝启帆，以及县城管局、交通运输局等部门负责同志参加会议。")
    assert m.attendees == ["籍晓禾", "蓝启帆"] and m.place == "县防汛抗旱指挥部会商室"


def test_a_meeting_held_within_a_reported_one_is_a_row_of_its_own_that_day():
    rows = meetings("中国共产党柘川县第八届委员会第七次全体会议于2025年12月26日在县会堂举行。全会由县委常委会主持。\n"
                    "28日下午召开的全县经济工作会议上，县委副书记、县长韦知远就明年经济工作作了具体部署，县委副书记籍晓禾主持会议。")
    assert [(r.name, r.date, r.chair_name) for r in rows] == [
        ("中国共产党柘川县第八届委员会第七次全体会议", "2025-12-26", None),
        ("全县经济工作会议", "2025-12-28", "籍晓禾")]
    assert rows[1].speakers == ["韦知远"] and rows[0].attendees == []


def test_a_review_names_meetings_by_who_spoke_at_them():
    rows = meetings("今年以来，柘川县经济运行持续回升。\n2月召开的全县优化营商环境大会上，县委书记韦知远提出，要以“一件事一次办”为抓手。"
                    "在4月召开的全县科技创新大会上，县长籍晓禾对科技创新工作进行部署。\n"
                    "5月，副县长蓝启帆在全县文旅产业发展大会上通报，“五一”假期全县接待游客21万人次。\n")
    assert [(r.name, r.speakers, r.place) for r in rows] == [
        ("全县优化营商环境大会", ["韦知远"], None), ("全县科技创新大会", ["籍晓禾"], None),
        ("全县文旅产业发展大会", ["蓝启帆"], None)]  # "在4月" is when, not where


def test_leaders_on_the_rostrum_named_before_their_group_and_members_are_no_name():
    rows = meetings("1月14日，政协柘川县第九届委员会第三次会议在县会议中心开幕。县委书记韦知远，县长籍晓禾等县领导在主席台就座。"
                    "会议期间，委员们将列席县十六届人大四次会议。")
    assert rows[0].attendees == ["韦知远", "籍晓禾"]
    assert all("们" not in p for r in rows for p in r.people)


def test_one_meeting_named_in_another_word_order_by_two_files_is_one_row():
    """Same day, same chair, the same words in another order or with the year: one meeting;
    another ordinal is another meeting even then."""
    note = parse_document("note.txt", "2027年二季度全区重点项目推进会纪要\n时间：6月5日上午9点\n主持：副区长 郝明川\n".encode())
    digest = parse_document("digest.txt", "6月5日上午，副区长郝明川主持召开全区二季度重点项目推进会。\n".encode())
    rows = [m for d in (note, digest) for m in extract_meetings(document_passages(d, 400))]
    assert len(rows) == 2 and len(merge(rows)) == 1
    other = parse_document("o.txt", "6月5日，区长郝明川主持召开区政府第十二次常务会议。6月5日，区长郝明川主持召开区政府第十三次常务会议。\n".encode())
    assert len(merge(extract_meetings(document_passages(other, 400)))) == 2


def test_a_meeting_held_yesterday_is_a_row_dated_from_the_page_or_marked_relative():
    text = "县政协十一届九次常委会议昨天上午在县政协会议室闭幕。县政协主席鄢明德主持会议。\n"
    dated = parse_document("a.txt", ("发布时间：2027-05-12\n" + text).encode())
    [row] = extract_meetings(document_passages(dated, 400))
    assert (row.date, row.chair_name, row.place) == ("2027-05-11", "鄢明德", "县政协会议室")
    [row] = extract_meetings(document_passages(parse_document("b.txt", text.encode()), 400))
    assert row.date == "昨天"  # no page date: as written, relative


def test_a_great_hall_is_a_venue_not_a_meeting():
    text = "政协柯州市第九届委员会第五次会议1月7日上午在柯州大会堂开幕。市政协主席唐守义主持开幕会。\n"
    rows = extract_meetings(document_passages(parse_document("a.txt", text.encode()), 400))
    assert [(r.name, r.place) for r in rows] == [("政协柯州市第九届委员会第五次会议", "柯州大会堂")]


def test_a_board_announcement_gives_its_meeting_date_and_venue_under_a_numbered_heading():
    """A resolution announcement: its section heading runs into the paragraph ("…召开情况" names the
    act, it does not report it), the venue carries its address in brackets, and the meeting is
    named in the sentence about its notice before "会议于…召开" says when and where."""
    heading = ("一、董事会会议召开情况\n"
               "柘岚精工股份有限公司（以下简称“公司”）第二届董事会第七次会议于2027年8月12日在公司研发中心"
               "（柘岚市滨湖区云栖路9号）以现场结合通讯表决方式召开。会议由董事长欧阳启明主持。\n")
    [row] = meetings(heading)
    assert (row.date, row.name, row.place, row.chair_name) == (
        "2027-08-12", "第二届董事会第七次会议", "公司研发中心", "欧阳启明")
    notice = ("一、董事会会议召开情况\n"
              "柘岚精工股份有限公司第二届董事会第八次会议通知于2027年9月1日以电子邮件方式送达全体董事。"
              "会议于2027年9月8日上午10:00在公司总部（柘岚市滨湖区云栖路9号）五楼会议室以现场方式召开。"
              "会议由董事长欧阳启明主持。\n")
    [row] = meetings(notice)
    assert (row.date, row.name, row.place, row.chair_name) == (
        "2027-09-08", "柘岚精工股份有限公司第二届董事会第八次会议", "公司总部（柘岚市滨湖区云栖路9号）五楼会议室", "欧阳启明")
    # a bill's title names a meeting to come, not one held: "《关于召开…的议案》" makes no row by itself
    assert [r.name for r in meetings("审议通过《关于召开2027年第一次临时股东大会的议案》。会议于9月8日召开。\n")] == []


def test_a_shareholders_meeting_announcement_quotes_the_sentence_naming_its_chair():
    """A resolution announcement gives its meeting's fields as a form and its chair in a sentence of
    the body: that sentence is the row's evidence, and the name is whole up to 主持."""
    text = ("柯州恒远股份有限公司2027年年度股东大会决议公告\n\n一、会议召开和出席情况\n"
            "（一）股东大会召开的时间：2027年5月18日\n（二）股东大会召开的地点：公司总部三楼会议室\n"
            "（三）表决方式是否符合《公司法》及《公司章程》的规定，大会主持情况等。\n"
            "本次股东大会由公司董事会召集，采取现场投票与网络投票相结合的表决方式，由董事长严明之主持。\n")
    [row] = meetings(text, "恒远_2027年年度股东大会决议公告.txt")
    assert row.chair_name == "严明之"
    assert any("由董事长严明之主持" in src.sentence for src in row.evidence)


@pytest.mark.parametrize(("question", "person", "role", "single"), [
    ("骆知远要主持的是什么会", "骆知远", "chair", True),  # a meeting to come, "的是什么会"
    ("严明之 参加的会议", "严明之", "attendee", False),  # a fragment: the meetings X attended
    ("严明之主持的是哪个会议？", "严明之", "chair", True),
])
def test_meetings_asked_of_a_person_in_other_wordings(question, person, role, single):
    q = meeting_question(question)
    assert q is not None and (q.person, q.role, q.single) == (person, role, single)
    assert meeting_question("他主持的会议") is None and meeting_question("谁主持的会议") is None
