"""Question analysis, follow-up resolution and configuration: pure functions, no model."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.answer.conversation import resolve_follow_up
from qa.answer.question import analyze
from qa.answer.titles import asked_title
from qa.config import Config


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("市委常委会第167次会议由谁主持？", "who-chaired"),
        ("谁主持召开了市委常委会第167次会议？", "who-chaired"),
        ("杜小刚出席了哪个会议？", "which-meeting"),
        ("許昆林參加了哪些會議？", "which-meeting"),
        ("胡埭镇为多少家企业办理了出入证？", "number"),
        ("累计复工比例是多少？", "number"),
        ("南通的代市长是谁？", "who"),
        ("会议在什么时候召开？", "when"),
        ("常州雪堰桥和无锡的哪两个地方交界？", "where"),
        ("会议讨论了哪个招商引资方案？", "what"),
    ],
)
def test_question_kinds(question, kind):
    assert analyze(question).kind == kind


def test_question_details():
    q = analyze("胡埭镇办理出入证的首日为多少家企业办理了出入证？")
    assert q.unit == "家" and not q.plural
    assert analyze("累计复工比例是多少？").unit == "%"
    q = analyze("许昆林参加了哪些会议？")
    assert q.plural and q.people == ["许昆林"]
    assert analyze("鹰潭市委常委会会议讨论了哪个招商引资方案？").head == "方案"
    assert "哪些" not in analyze("许昆林参加了哪些会议？").words


def test_follow_up_pronoun_takes_the_last_named_person():
    history = [("谁主持了市委常委会第167次会议？", "黄钦")]
    assert resolve_follow_up("他还参加了哪些会议？", history) == "黄钦参加了哪些会议？"
    history.append(("那杜小刚主持了什么会议？", "市疫情防控应急指挥部会议"))
    assert resolve_follow_up("他还参加了哪些会议？", history) == "杜小刚参加了哪些会议？"
    assert resolve_follow_up("那杜小刚主持了什么会议？", history) == "杜小刚主持了什么会议？"
    assert resolve_follow_up("他还参加了哪些会议？", None) == "他还参加了哪些会议？"


def test_config_from_env_and_overrides(monkeypatch):
    monkeypatch.setenv("QA_TOP_K", "7")
    monkeypatch.setenv("QA_CORPUS", "/data/docs")
    monkeypatch.setenv("QA_DENSE_WEIGHT", "0.3")
    monkeypatch.setenv("QA_EXTENSIONS", "TXT,.md")
    config = Config.from_env(index="idx")
    assert config.top_k == 7 and config.corpus == Path("/data/docs") and config.dense_weight == 0.3
    assert config.index == Path("idx") and config.extensions == (".txt", ".md")
    assert config.replace(top_k=3).top_k == 3 and config.replace(top_k=None).top_k == 7


@pytest.mark.parametrize(
    ("sentence", "chair"),
    [
        ("市委书记欧阳明远主持召开城市更新工作推进会。", "欧阳明远"),
        ("市委书记黄钦主持召开市委常委会第167次会议。", "黄钦"),
        ("市长杜小刚等主持会议。", "杜小刚"),
        ("副市长司马南主持会议。", "司马南"),
        ("会议由董事长欧阳明远先生主持。", "欧阳明远"),  # a courtesy title between name and verb
    ],
)
def test_who_chaired_takes_the_whole_name(sentence, chair):
    from qa.answer.extract import extract

    ex = extract(analyze("谁主持召开了会议？"), sentence, [(0, len(sentence))], 0)
    start, end = ex.spans[0]
    assert sentence[start:end] == chair


@pytest.mark.parametrize(("question", "asked"), [
    ("石桥镇党委书记是谁？", ("党委书记", "石桥镇")),
    ("岩城市第一人民医院的党委书记是谁？", ("党委书记", "岩城市第一人民医院")),
    ("谁是远山的代市长？", ("代市长", "远山")),
    # what someone did is no owner of the title
    ("作报告的副县长是谁？", ("副县长", None)),
    ("在推进会上讲话的副市长是谁？", ("副市长", None)),
    # a company's short name jieba reads as verbs is still whose the post is; "现任" is no owner
    ("恒明智装总经理是谁？", ("总经理", "恒明智装")), ("现任市长是谁？", ("市长", None)),
])
def test_the_title_asked_about_and_what_it_belongs_to(question, asked):
    assert asked_title(analyze(question)) == asked


def test_a_town_is_no_person():
    assert analyze("石桥镇党委书记是谁？").people == []


def test_a_company_named_after_a_surname_is_no_person():
    assert analyze("华启精工董事长是谁？").people == []  # jieba reads 华启 as a name
    assert analyze("华启主持了哪些会议？").people == ["华启"]


@pytest.mark.parametrize(("sentence", "question", "name"), [
    ("董事会同意聘任方嘉为公司副总经理。", "聘任谁为副总经理？", "方嘉"),  # jieba reads 方嘉为 as one name
    ("会议决定任命冉知行为县教育局局长。", "任命谁为教育局局长？", "冉知行"),  # and 冉知|行为 as a name and a word
])
def test_who_was_appointed_is_the_appointments_own_name(sentence, question, name):
    from qa.answer.extract import extract

    ex = extract(analyze(question), sentence, [(0, len(sentence))], 0)
    assert sentence[slice(*ex.spans[0])] == name


def test_the_new_holder_of_a_title_is_the_one_appointed_to_it():
    """"新任" asks for whoever the text appoints to the owner's title, not the one it relieves."""
    from qa.answer.titles import holder_of

    text = "会议决定任命贺知远为县水利局局长，免去宁一舟的县水利局局长职务。"
    for question in ("县水利局新任局长是谁？", "县水利局现任局长是谁？"):
        q = analyze(question)
        assert asked_title(q) == ("局长", "县水利局")
        _, s, e = holder_of(q, text, [(0, len(text))])
        assert text[s:e] == "贺知远"
    assert holder_of(analyze("县水利局前任局长是谁？"), text, [(0, len(text))]) is None  # not the appointee


@pytest.mark.parametrize(("question", "kind"), [
    ("城南新区一季度门诊量", "number"), ("滨江大桥项目总投资", "number"), ("全县粮食产量？", "number"),
    ("体检合格率", "number"), ("医疗质量", "other"), ("办事效率", "other"),
])
def test_a_figure_asked_by_its_name_alone_is_a_number(question, kind):
    from qa.answer.kinds import kind_of

    assert kind_of(question) == kind


def test_where_someone_spoke_is_not_what_their_title_belongs_to():
    assert asked_title(analyze("防汛会议上讲话的市委书记是谁？")) == ("市委书记", None)


@pytest.mark.parametrize(("sentence", "venue"), [
    # the venue's address in brackets, then the manner, before the verb
    ("公司第二届董事会第七次会议于2027年8月12日在公司研发中心（柘岚市滨湖区云栖路9号）以现场结合通讯表决方式召开。",
     "公司研发中心"),
    # the address inside the venue's name, a Latin letter in it
    ("会议于9月8日在公司总部（云栖路9号）B座五楼会议室以现场方式召开。", "公司总部（云栖路9号）B座五楼会议室"),
])
def test_a_venue_is_read_past_its_address_and_the_manner_of_the_meeting(sentence, venue):
    from qa.answer.extract import extract

    ex = extract(analyze("董事会会议在哪里召开？"), sentence, [(0, len(sentence))], 0)
    assert sentence[slice(*ex.spans[0])] == venue and ex.sure


def test_a_title_about_the_thing_asked_is_not_its_name():
    """"哪家会计师事务所" is not answered by the bill about one; "什么方案" is by the plan's own title."""
    from qa.answer.extract import extract

    sentence = "议案名称：《关于续聘2027年度会计师事务所的议案》审议结果：通过同意续聘柯州明衡会计师事务所为公司审计机构。"
    for question in ("股东大会续聘了哪家会计师事务所？", "续聘的会计师事务所是哪家？"):
        ex = extract(analyze(question), sentence, [(0, len(sentence))], 0)
        assert ex is None or "议案" not in sentence[slice(*ex.spans[0])], question
    plan = "会议原则通过《柯州市老旧小区改造实施方案（2027—2029年）》。"
    ex = extract(analyze("会议通过了什么方案？"), plan, [(0, len(plan))], 0)
    assert plan[slice(*ex.spans[0])] == "《柯州市老旧小区改造实施方案（2027—2029年）》"


@pytest.mark.parametrize(("question", "kind"), [
    ("柯州明远物流集团总经理叫什么？", "who"),  # a post's holder by name
    ("恒远股份董秘叫什么名字", "who"),
    ("这部条例叫什么？", "what"),  # a thing's name
    ("续聘的会计师事务所叫什么？", "what"),
    ("压实主体责任是什么意思？", "what"),  # a post's last character ending another word: no person
    ("这份承诺书是什么？", "what"),
])
def test_a_post_named_before_what_it_is_called_asks_for_a_person(question, kind):
    assert analyze(question).kind == kind


def test_the_holder_of_a_post_is_read_where_jieba_tags_no_name():
    from qa.answer.titles import holder_of
    from qa.ingest.script import fold_aligned

    text = fold_aligned("座谈会上，柯州恒远股份有限公司董事长骆知远、柯州明远物流集团总经理包慕言等8位企业家先后发言。")
    found = holder_of(analyze("明远物流集团总经理叫什么？"), text, [(0, len(text))])
    assert found is not None and text[found[1]:found[2]] == "包慕言"
