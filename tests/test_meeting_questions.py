"""Questions about meeting reports asked the way people ask them, over documents written for these
tests: a plenary by its short form, a notice's numbered fields, "几个" for any count, days within an
event and days of a month, deadlines, who attended in another paragraph, who underwent an action,
places jieba takes for names, titles that hold other titles or firms' names."""

from __future__ import annotations

import pytest

from qa import Bot
from qa.ingest.meeting_people import subject
from qa.ingest.script import fold_aligned
from tests.helpers.corpus import bot_over

DOCS = {
    "plenum.html": (
        "<html><body><h1>中共柯州市委召开十二届五次全会</h1>"
        "<p>中国共产党柯州市第十二届委员会第五次全体会议，5月9日上午在柯州大剧院举行。</p>"
        "<p>全会由市委常委会主持。市委书记晏青山代表市委常委会作工作报告。</p>"
        "<p>全会审议通过了《关于加快发展低空经济的决定》。</p></body></html>"
    ),
    "notice.txt": (
        "柯州市人民政府办公室\n关于召开全市夏粮收购工作会议的通知\n\n"
        "各县（区）人民政府，市政府各部门：\n经市政府同意，定于近期召开全市夏粮收购工作会议。现将有关事项通知如下：\n\n"
        "一、会议时间\n2027年6月18日（星期五）下午2:30，会期半天。\n\n"
        "二、会议地点\n柯州宾馆三号楼会议厅。\n\n"
        "三、有关要求\n请参会人员于2:10前入场。请各县（区）于6月15日下午5时前将参会回执报送市粮食局。\n"
    ),
    # the fair's row is dated by the page (its closing day): "首日" is a day within it, not that date
    "fair.txt": (
        "发布时间：2027-09-23\n第五届柯州茶产业博览会昨天下午在柯州国际会展中心落下帷幕。\n"
        "9月20日上午举行的开幕式上，副市长邝文卿宣布博览会开幕。首日接待观众3.1万人次，现场成交额2150万元。\n"
        "第二天，博览会接待观众4.4万人次。\n"
        "2026年全市接待游客2310万人次。博览会期间，柯州茶博园累计接待游客12.6万人次，日均3.2万人次。\n"
        "据组委会统计，博览会累计接待观众11.2万人次，签约项目27个，其中柯州本地企业签约项目15个。\n"
        "博览会期间，参展企业申请不超过2.6亿元的专项贷款额度。\n"
    ),
    "congress.txt": (
        "5月26日至28日，柯州职业技术学院第四届教职工代表大会第二次会议在学院礼堂举行。大会于26日上午开幕，28日下午闭幕。\n"
        "会议要求，各部门于6月底前完成提案答复工作。学院工会委员会换届选举拟于12月上旬进行。\n"
    ),
    # who attended, in the paragraph after the one that reports the meeting
    "standing.txt": (
        "4月8日上午，县长俞知行主持召开县政府第十九次常务会议，研究春季森林防火工作。\n"
        "副县长喻青禾、祁远帆，县政府办公室主任韦若谷出席会议，县政府各部门主要负责人列席会议。\n"
    ),
    # minutes: the time is a field of its own, which shares no word with "几点开始"
    "minutes.txt": (
        "柯州市城市管理局专题会议纪要\n\n时　　间：2027年5月6日上午9时\n地　　点：局机关五楼会议室\n"
        "主　　持：邬正清（局长）\n参加人员：局市容科、执法支队、各区城管局负责同志\n记　　录：喻芷萱（局办公室）\n\n"
        "会议研究了夜间经济摊点规范管理工作。纪要如下：\n"
        + "".join(f"{n}、关于{topic}。城市管理局专题会议要求，{topic}工作由各区城管局牵头，本月底前报送进展。\n"
                  for n, topic in zip("一二三四五六七八九十", ["摊点设置", "执法方式", "油烟治理", "垃圾清运", "噪声管控",
                                                          "消防通道", "摊位费用", "卫生保洁", "交通疏导", "宣传引导"]))
    ),
    "office.txt": (
        "柯州理工学院校长办公会议纪要\n2027年第3次\n\n时　　间：2027年3月9日下午2时30分\n地　　点：行政楼第二会议室\n"
        "主　　持：纪远航（校长）\n出　　席：副校长甄思齐、卜晓岚\n\n会议研究了新校区建设和实验室安全检查工作。\n"
    ),
    "plan.txt": "柯州市政协十一届常委会第九次会议拟于12月上旬召开，听取全市营商环境建设情况通报。\n",
    # a shareholders' meeting announcement: its attendance as a form, one figure a line
    "agm.txt": (
        "柯州恒远股份有限公司2027年第一次临时股东大会决议公告\n\n一、会议召开和出席情况\n"
        "（一）股东大会召开的时间：2027年3月16日\n（二）股东大会召开的地点：公司会议室\n"
        "（三）出席会议的股东情况：\n1、出席会议的股东和代理人人数　　48\n"
        "2、出席会议的股东所持有表决权的股份总数（股）　　126,305,770\n"
        "3、出席会议的股东所持有表决权股份数占公司有表决权股份总数的比例（%）　　51.0412\n"
        + "".join(f"{n}、议案名称：《关于{topic}的议案》\n审议结果：通过\n表决情况：\nA股　126,1{n}5,770　99.9{n}12\n"
                  for n, topic in zip("123456", ["2026年度财务预算", "修订公司章程", "选举独立董事", "续聘审计机构",
                                                 "申请银行授信", "对外担保额度"]))
        + "三、律师见证情况\n1、本次股东大会见证的律师事务所：柯州明正律师事务所\n律师：傅明远、阎书瑶\n"
          "2、律师见证结论意见：本次股东大会的召集、召开程序和表决结果均合法有效。\n"
    ),
    # a board's resolutions: each motion's vote on a line of its own under it
    "board.txt": (
        "柯州恒远股份有限公司第二届董事会第九次会议决议公告\n\n二、董事会会议审议情况\n"
        "（一）审议通过《关于2026年度向银行申请综合授信额度的议案》\n公司2026年实现营业收入18.6亿元。"
        "同意公司向银行申请总额不超过12亿元的综合授信额度。\n"
        "表决结果：同意9票，反对0票，弃权0票。\n"
        "（二）审议通过《关于聘任公司副总经理的议案》\n经总经理提名，董事会同意聘任骆知远为公司副总经理。\n"
        "表决结果：同意7票，反对1票，弃权1票。\n"
    ),
    # the firm named only by the announcement's opening line and its file's name
    "恒川电气_2027年年度股东大会决议公告.txt": (
        "证券代码：300918　　证券简称：恒川电气　　公告编号：2027-031\n\n"
        "本公司及董事会全体成员保证信息披露的内容真实、准确、完整。\n\n一、会议召开和出席情况\n"
        "（一）股东大会召开的时间：2027年5月18日\n（二）股东大会召开的地点：公司总部三楼会议室\n"
        "本次股东大会由公司董事会召集，采取现场投票与网络投票相结合的表决方式，由董事长严明之主持。\n"
    ),
    "village.txt": (
        "6月2日上午，桃源村召开村民代表大会。村党总支书记季长庚主持会议。\n"
        "会议应到村民代表38人，实到35人。会议表决通过了村道硬化筹资方案。\n"
    ),
}


@pytest.fixture(scope="module")
def bot(tmp_path_factory, embedder) -> Bot:
    return bot_over(DOCS, tmp_path_factory.mktemp("meeting-questions"), embedder)


@pytest.mark.parametrize("question, gold", [
    ("市委全会在什么地方举行？", "柯州大剧院"),  # 中国共产党柯州市第十二届委员会第五次全体会议, by its short form
    ("夏粮收购工作会议几点开始？", "下午2:30"),  # a notice's numbered field, its value on the next line
    ("村民代表实到几个？", "35人"),
    ("城市管理局专题会议几点开始？", "上午9时"),
    ("理工学院第3次校长办公会 主持人", "纪远航"),  # 办公会: a kind of meeting
    ("理工学院校长办公会 地点", "行政楼第二会议室"),
    ("城市管理局专题会议 主持", "邬正清"),  # a fragment ending in 主持 asks who chaired
    ("城市管理局专题会议纪要的记录人", "喻芷萱"),  # a person by role, the field's name whole  # the minutes' time field, found though search misses it
    ("柯州职业技术学院教代会哪天闭幕的？", "28日下午"),  # a day of the month the report gives alone
    ("提案答复工作要求什么时候前完成？", "6月底前"),  # a deadline, as written
    ("夏粮收购会议的参会回执最晚什么时候报？", "6月15日下午5时前"),  # the deadline of what is due, to the hour
    ("茶产业博览会首日接待观众多少人次？", "3.1万人次"),
    ("茶产业博览会第二天接待观众多少人次？", "4.4万人次"),
    ("茶产业博览会一共签约多少项目？", "27个"),
    ("博览会期间柯州茶博园日均接待游客多少？", "3.2万人次"),  # an average, not a total nor another year's  # 项目 is what is counted, not a unit 项
    ("参展企业申请的专项贷款额度是多少？", "2.6亿元"),  # the thing asked written after the figure, as its attribute  # "几个" asks a count in whatever it is counted in
    ("桃源村村民代表大会是谁主持的？", "季长庚"),
    ("出席恒远临时股东大会的股东和代理人有多少人？", "48"),  # a form's figure: its label says 人数
    ("出席股东所持表决权股份总数是多少？", "126,305,770"),  # the label most like the question, not the next
    ("恒远临时股东大会的见证律师是谁？", "傅明远、阎书瑶"),
    ("聘任副总经理的议案同意票多少？", "同意7票"),
    ("恒川电气2027年年度股东大会主持人是谁？", "严明之"),  # the row of the firm the question names, its chair's sentence  # the vote under the motion, the figure inside the noun asked  # the field of the form far down the announcement
])
def test_meeting_questions_get_their_short_answer(bot, question, gold):
    answer = bot.ask(question)
    assert answer.found and answer.answer == gold, (answer.answer, [q.text for q in answer.quotes[:1]])


def test_a_title_that_holds_a_shorter_title_keeps_the_name_whole():
    """党总支书记 holds 支书 (a village secretary's short title): the name after it is whole."""
    text = fold_aligned("村党总支书记季长庚主持会议。")
    [person], _ = subject(text, 0, text.index("主持"), chain=False)
    assert text[slice(*person.name_span)] == "季长庚"


@pytest.mark.parametrize("question, gold", [
    ("被免去县林业局局长职务的是谁？", "卜远航"),  # the one the verb is done to, written after it
    ("谁被任命为县林业局局长？", "甄立秋"),
])
def test_who_underwent_what_the_question_asks_is_written_after_the_verb(question, gold):
    from qa.answer.actors import actors
    from qa.answer.question import analyze
    from qa.ingest.phrases import people

    text = "会议决定任命甄立秋为县林业局局长，免去卜远航的县林业局局长职务。"
    found, sure = actors(analyze(question), text, 0, len(text), people(text, 0, len(text)))
    assert [name for *_, name in found] == [gold] and sure


def test_a_city_jieba_takes_for_a_persons_name_is_still_a_place():
    from qa.answer.pins import pins_of
    from qa.answer.question import analyze

    assert pins_of(analyze("蓝桥市第十二次常务会议是谁主持的？")).places == ("蓝桥",)
    assert pins_of(analyze("庄文博市长主持了什么会？")).places == ()  # a name before a title is no place
    assert pins_of(analyze("桃源村开村民代表大会时镇里谁到会指导？")).places == ("桃源",)  # 镇里: the town, any


def test_a_figure_of_no_day_does_not_answer_one_asked_for_a_day_of_the_event(bot):
    answer = bot.ask("茶产业博览会第三天签约了多少个项目？")
    assert answer.answer is None, answer.answer


def test_a_part_of_a_month_does_not_answer_which_day():
    from qa.ingest.phrases import WHEN_DATE

    assert [m.group() for m in WHEN_DATE.finditer("大会于26日上午开幕，28日下午闭幕，第3日休会")] == ["26日上午", "28日下午"]
    assert [m.group() for m in WHEN_DATE.finditer("1月8日至9日举行，16日中午闭幕")] == ["1月8日至9日", "16日中午"]


def test_which_day_is_not_answered_by_a_part_of_a_month(bot):
    assert bot.ask("柯州市政协十一届常委会第九次会议什么时候召开？").answer == "12月上旬"
    assert bot.ask("柯州市政协十一届常委会第九次会议是几号召开？").answer is None  # no day is given


def test_those_of_a_title_who_attended_come_from_the_tables_row_in_the_next_paragraph(bot):
    answer = bot.ask("县政府第十九次常务会议有哪些副县长出席？")
    assert answer.kind == "who" and answer.answer and set(answer.answer.split("；")) == {"喻青禾", "祁远帆"}, answer.answer


def test_a_title_keeps_its_firms_whole_name_where_jieba_reads_a_piece_of_it_as_a_person():
    from qa.answer.question import analyze
    from qa.answer.titles import title_of

    text = "座谈会上，柯州恒拓新材料股份有限公司董事长岑立远、柯州云帆物流集团总经理包慕白先后发言。"
    s, e = title_of(analyze("岑立远是什么职务？"), text, [(0, len(text))])
    assert text[s:e] in ("柯州恒拓新材料股份有限公司董事长", "董事长")  # never a piece of the firm's name


def test_a_venue_is_no_ones_native_place(bot):
    assert bot.ask("季长庚的籍贯是哪里？").answer is None


def test_a_deadline_is_that_of_what_the_question_says_is_due(bot):
    """The notice gives the deadline of the reply slip (回执), not of the meeting's papers."""
    assert bot.ask("夏粮收购会议的汇报材料什么时候之前要交？").answer is None


def test_a_form_figure_answers_only_the_question_its_label_asks(bot):
    """No line of the form counts the shareholders who voted online: none of its figures answers that."""
    answer = bot.ask("恒远临时股东大会通过网络投票的股东有多少人？")
    assert answer.answer not in ("48", "126,305,770", "51.0412"), answer.answer


def test_a_figure_of_another_measure_does_not_answer(bot):
    """The report gives the firm's revenue, not its costs: "营业成本是多少" is not found."""
    assert bot.ask("恒远股份2026年营业收入是多少？").answer == "18.6亿元"
    assert not bot.ask("恒远股份2026年营业成本是多少？").found
