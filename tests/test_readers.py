"""Encoding detection on the short texts that fool detectors most (longer ones: test_robustness)."""

from __future__ import annotations

import codecs

import pytest

from qa.ingest.readers import ReadError, decode_bytes

SHORT = ["市委书记主持会议。", "通知：明天开会", "會議由市長主持。", "市委常委會召開會議，研究部署疫情防控工作。"]


ENCODINGS = ["utf-8", "gb18030", "big5", "utf-16", "utf-8-sig"]


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:  # Big5 has no simplified characters
        return False
    return True


@pytest.mark.parametrize(("text", "encoding"), [(t, e) for t in SHORT for e in ENCODINGS if _encodable(t, e)])
def test_short_chinese_texts_decode_exactly(text, encoding):
    assert decode_bytes(text.encode(encoding))[0] == text


def test_bom_decides_and_binary_is_refused():
    assert decode_bytes(codecs.BOM_UTF16_BE + "会议".encode("utf-16-be")) == ("会议", "utf-16")
    with pytest.raises(ReadError, match="binary"):
        decode_bytes(bytes(range(256)) * 8)


def test_a_web_page_keeps_its_headline_and_publisher():
    """The article extractor drops the <h1>, the site in <title> and the "来源" line: the headline
    and who published the page are what name the city a report calls only "市"."""
    from qa.ingest.passages import document_passages
    from qa.ingest.readers import parse_document

    html = ('<html><head><meta charset="utf-8"><title>市政府召开第五次全体会议_岩城新闻网</title></head><body>'
            '<div class="nav">网站首页 | 走进岩城 | 政务公开 | 政务服务 | 互动交流</div>'
            '<h1>市政府召开第五次全体会议</h1><div class="info">2024-06-04 09:10 来源：岩城日报</div>'
            '<div class="content"><p>6月3日下午，市政府第五次全体会议在市行政中心召开，常务副市长夏明远主持会议。'
            '会议通报了上半年经济运行情况。</p><p>会议要求各部门抓好下半年工作，确保完成全年目标任务。</p></div>'
            '<div>【责任编辑：王丹】</div><div>【打印】【关闭】</div></body></html>')
    passages = document_passages(parse_document("p.html", html.encode("utf-8")), 400)
    assert passages[0].title.startswith("市政府召开第五次全体会议")
    assert "岩城新闻网" in passages[0].title and "岩城日报" in passages[0].title
    assert not any("责任编辑" in p.text or "网站首页" in p.text or "打印" in p.text for p in passages[:-1])
    assert (passages[-1].text, passages[-1].title) == ("责任编辑：王丹", "")  # the credit, after the article


def test_a_name_jieba_glued_a_verb_onto_is_a_lexical_word_too():
    """"工会主席骆倩作提案工作报告": jieba's guesser reads 骆倩作; the name must still be found."""
    from qa.ingest.tokens import words

    found = words("工会主席骆倩作提案工作报告")
    assert "骆倩" in found and "骆倩作" in found
    assert words("他说") == ["他", "说"] and "可能" in words("可能是")  # words of the dictionary stay whole


def test_a_pages_publication_date_beside_its_source_is_kept():
    """"2027-05-12 08:00　来源：…" above the article: what 昨天 in the article counts from."""
    from qa.ingest.passages import document_passages
    from qa.ingest.readers import parse_document

    page = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>县政协常委会议闭幕_要闻_某县网</title></head>'
            '<body><div class="topbar">欢迎访问某县网　<a href="#">无障碍浏览</a> | <a href="#">登录</a></div>'
            '<div class="header"><form class="search"><input type="text" placeholder="请输入关键词"><button>搜索</button></form></div>'
            '<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/yw/">要闻</a></li></ul></div>'
            '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="#">要闻</a></div><div class="article">'
            "<h1>县政协常委会议闭幕</h1><div class='info'>2027-05-12 08:00　来源：某县日报　作者：郜一帆　"
            '【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div><div class="content">'
            "<p>县政协十一届九次常委会议昨天上午在县政协会议室闭幕。县政协主席鄢明德主持会议。</p>"
            "<p>会议审议通过了有关人事事项，并对下半年协商工作作了安排。委员们围绕县域经济发展积极建言。</p>"
            "<p>鄢明德在讲话中指出，要聚焦全县中心工作，深入开展调查研究，提出务实管用的意见建议，"
            "为推动县域经济高质量发展贡献政协力量。</p>"
            "<p>县政协副主席、秘书长出席会议。县委统战部、县政府办公室有关负责同志列席会议。</p></div></div>"
            "<div class='footer'>主办：某县人民政府办公室 | 网站地图 | 联系我们</div></body></html>")
    doc = parse_document("page.html", page.encode("utf-8"))
    assert "2027-05-12" in doc.text  # kept where the article's extraction dropped the metadata line
    assert document_passages(doc, 400)[0].date == "2027-05-12"
