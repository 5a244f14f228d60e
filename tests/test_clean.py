"""Cleaning: each kind of web/newspaper noise, and the map back to the original text."""

from __future__ import annotations

from qa.ingest.clean import clean
from qa.ingest.passages import passages_from_clean, split_sentences
from qa.ingest.readers import decode_bytes
from qa.ingest.script import fold, fold_aligned

from .conftest import SEEDS


def texts(raw: str) -> list[str]:
    return [b.text.text for b in clean(raw).blocks]


def body(raw: str) -> str:
    return "\n".join(b.text.text for b in clean(raw).blocks if not b.heading and not b.credit)


def credits(raw: str) -> list[str]:
    return [b.text.text for b in clean(raw).blocks if b.credit]


def assert_maps_back(raw: str) -> None:
    for block in clean(raw).blocks:
        assert [raw[o] for o in block.text.offsets] == list(block.text.text)


def test_page_chrome_is_dropped():
    raw = (
        "欢迎访问信访局网站\n  1. 本站支持IPV6\n  2. 繁体\n当前位置:首页 / 工作动态\n\n"
        "发布时间:2020-02-18 10:41    浏览次数:【字号:默认 特大\n\n"
        "  2月17日,市委书记黄钦主持召开领导小组第一次会议。\n\n来源:无锡日报\n\n编辑:办公室\n\n"
        "智能问答\n\n智能问答\n\n返回顶部\n\n返回顶部\n"
        "南通日报社 2009-2021 版权所有\n苏ICP备08106468-3号\n违法和不良信息举报电话:0513-68218870 邮箱:a@b.com\n"
        "联系地址:中国江苏省南通市世纪大道8号\n"
    )
    assert body(raw) == "2月17日,市委书记黄钦主持召开领导小组第一次会议。"
    # The source a metadata line names stays, as a heading: the report's place and issuer.
    assert [b.text.text for b in clean(raw).blocks if b.heading] == ["无锡日报"]
    assert clean(raw).date == "2020-02-18"
    assert_maps_back(raw)


def test_a_dateline_is_metadata_and_ends_the_line_before_it():
    raw = ("韦承钧主持召开省政府第42次常务会议\n研究部署高标准农田建设、民营经济发展等工作\n\n"
           "2026年3月17日　来源：江澜日报　记者 任书遥\n\n3月16日上午，省长韦承钧主持召开省政府第42次常务会议。\n")
    doc = clean(raw)
    assert body(raw) == "3月16日上午，省长韦承钧主持召开省政府第42次常务会议。"
    assert [b.text.text for b in doc.blocks if b.heading] == [
        "韦承钧主持召开省政府第42次常务会议", "研究部署高标准农田建设、民营经济发展等工作", "江澜日报"]
    assert doc.date == "2026-03-17"
    issuer = clean("我院召开第5次院务会\n\n宁溪市第一人民医院　党委办公室　发布时间：2026-03-03\n\n3月2日，医院召开院务会。\n")
    assert [b.text.text for b in issuer.blocks if b.heading][-1] == "宁溪市第一人民医院　党委办公室"


def test_jump_markers_are_removed_and_not_joined_across_pages():
    raw = "统筹做好疫情防控和经济社会发展,既是一次大战,下转第4版>>>\n\n黄钦主持召开市推进长三角一体化发展领导小组会议\n"
    out = texts(raw)
    assert out[0] == "统筹做好疫情防控和经济社会发展,既是一次大战,"
    assert out[1] == "黄钦主持召开市推进长三角一体化发展领导小组会议"
    assert "下转" not in "".join(out)


def test_jump_markers_take_their_arrows_with_them_either_way_round():
    """"<<<上接第1版" and "上接第1版<<<" (an HTML page's &lt;&lt;&lt;) leave no stray "<" in the text
    (a short answer read "责任<")."""
    from qa.ingest.readers import html_to_text

    lead = "<p>本报讯 2月17日,市委书记主持召开常委会会议,研究部署工作。</p>" * 3
    for marker in ("&lt;&lt;&lt;上接第1版", "上接第1版&lt;&lt;&lt;", "&lt;&lt; 上接第一版", "←转第2版", "下转第4版 &gt;&gt;"):
        page = f"<html><body><article>{lead}<p>人人有其责任{marker} 更好地激活发展动能。</p></article></body></html>"
        raw = html_to_text(page)
        out = "".join(texts(raw))
        assert "人人有其责任" in out and not any(c in out for c in "<>←"), (marker, out)
        assert_maps_back(raw)
    assert "1<2" in "".join(texts("比较大小时写作1<2,这是正文里的符号。\n"))  # a "<" of the text itself stays


def test_paragraphs_broken_mid_sentence_are_rejoined():
    raw = "本报讯 2月17日,省委书记姜勤俭主持会议\n\n并讲话。市领导黄钦等参加会议。\n\n新冠肺炎疫情防控,党中央高度重\n\n视,作出部署。\n"
    assert texts(raw) == ["本报讯 2月17日,省委书记姜勤俭主持会议并讲话。市领导黄钦等参加会议。", "新冠肺炎疫情防控,党中央高度重视,作出部署。"]
    assert_maps_back(raw)


def test_headings_and_bylines_are_not_glued_to_paragraphs():
    raw = "各县(市、区)设分会场收听收看。 记者 周樛\n\n抢抓多重战略机遇 加大项目推进力度\n\n累计复工比例79.3%,占比位居全省前列。(王怡菘)\n\n下一篇报道标题\n"
    blocks = clean(raw).blocks
    assert [b.text.text for b in blocks][:2] == ["各县(市、区)设分会场收听收看。", "抢抓多重战略机遇 加大项目推进力度"]
    assert blocks[1].heading and not blocks[0].heading
    assert blocks[2].text.text.startswith("累计复工比例")


def test_who_wrote_and_edited_a_page_is_kept_after_the_article():
    """Bylines and the chrome's credits ("记者 某某", "责任编辑：某某") are blocks of their own, after the
    article's paragraphs: "这篇报道的记者是谁？" has a quote, and the body keeps its paragraph numbers."""
    raw = ("岚城召开防汛会议\n2026年5月8日　来源：岚城日报　记者 伍思齐\n\n5月7日，岚城召开防汛会议。\n\n"
           "会议部署了防汛工作。 记者 甘棠\n\n责任编辑：司徒岚\n\n编辑：办公室\n\n作者：宣传部 聂清和\n")
    assert body(raw) == "5月7日，岚城召开防汛会议。\n会议部署了防汛工作。"
    assert credits(raw) == ["来源：岚城日报　记者 伍思齐", "记者 甘棠", "责任编辑：司徒岚", "作者：宣传部 聂清和"]
    assert clean(raw).blocks[-1].credit  # after the article
    assert_maps_back(raw)
    passages = passages_from_clean("a.txt", clean(raw), 400)
    assert [p.paragraph for p in passages] == [1, 2, 3, 4, 5, 6] and passages[2].title == ""


def test_a_form_label_spaced_to_width_is_one_field_a_line():
    raw = "时　　间：2026年3月18日下午3:00\n地　　点：市交通运输局四楼第二会议室\n主 持 人：栾静（副局长）\n记　　录：舒雅\n"
    assert texts(raw) == ["时间：2026年3月18日下午3:00", "地点：市交通运输局四楼第二会议室", "主持人：栾静（副局长）", "记录：舒雅"]
    assert_maps_back(raw)


def test_pinyin_after_each_character_is_stripped():
    raw = "會議傳達學(xué)習(xí)了精神,深入貫徹總書記關(guān)于工作的重要思想。"
    out = texts(raw)
    assert out == ["會議傳達學習了精神,深入貫徹總書記關于工作的重要思想。"]
    assert_maps_back(raw)


def test_ordinary_parentheses_are_kept():
    raw = "会议审议通过了RCEP(区域全面经济伙伴关系协定)相关文件,市场(market)运行平稳。"
    assert texts(raw) == [raw]


def test_a_form_of_figures_keeps_each_figure_whole():
    """An announcement's form, one figure a line: the lines join into one paragraph, but a figure
    never runs into the next item's number, and a bracketed unit before a figure ends no paragraph."""
    raw = ("（三）出席会议的股东情况：\n1、出席会议的股东和代理人人数　　48\n"
           "2、出席会议的股东所持有表决权的股份总数（股）　　126,305,770\n3、占公司有表决权股份总数的比例（%）　　51.0412\n")
    [text] = texts(raw)
    assert "人数　　48\n2、" in text and "（股）　　126,305,770\n3、" in text
    assert_maps_back(raw)


def test_one_line_pages_split_into_paragraphs():
    raw = "3月21日,市委常委會召開會議。市委書記許南吉主持會議。 會議傳達學習了重要文章精神。 |"
    out = texts(raw)
    assert out == ["3月21日,市委常委會召開會議。市委書記許南吉主持會議。", "會議傳達學習了重要文章精神。"]


def test_seed_passages_keep_offsets_titles_and_dates():
    path = SEEDS / "000_f8c39bae8fc0d9fc.txt"
    raw, _ = decode_bytes(path.read_bytes())
    passages = passages_from_clean(path.name, clean(raw), max_chars=400)
    assert passages[0].paragraph == 1
    # the source line below the article ("来源:无锡日报") names the issuer: part of the headline
    assert passages[0].title == "积极参与长三角疫情联防联控 全力打好长三角一体化主动仗 无锡日报"
    assert passages[0].date == "2020-02-18"
    assert all(len(p.text) <= 400 for p in passages)
    for p in passages:
        assert [raw[o] for o in p.offsets] == list(p.text)
        assert p.start == p.offsets[0] and p.end == p.offsets[-1] + 1
        assert all(0 <= s < e <= len(p.text) for s, e in p.sentences)
    assert all("返回顶部" not in p.text and "智能问答" not in p.text for p in passages)


def test_long_paragraphs_split_at_sentence_ends():
    paragraph = "".join(f"第{i}句话讲的是会议的第{i}项内容。" for i in range(60))
    passages = passages_from_clean("x.txt", clean(paragraph), max_chars=100)
    assert len(passages) > 5
    assert all(len(p.text) <= 100 and p.text.endswith("。") for p in passages)
    assert {p.paragraph for p in passages} == {1}
    assert "".join(p.text for p in passages) == paragraph


def test_sentences():
    text = "他说：“会议开始了。”大家鼓掌！然后呢？最后一句"
    assert [text[s:e] for s, e in split_sentences(text)] == ["他说：“会议开始了。”", "大家鼓掌！", "然后呢？", "最后一句"]


def test_script_folding_both_ways():
    assert fold("省委書記吳政隆主持會議") == "省委书记吴政隆主持会议"
    assert fold("省委书记吴政隆主持会议") == "省委书记吴政隆主持会议"
    text = "會議傳達學習了國家推動長三角一體化發展領導小組第四次全體會議精神"
    assert len(fold_aligned(text)) == len(text)
    assert fold_aligned(text) == fold(text)


def test_a_row_of_page_buttons_is_chrome():
    assert texts("会议在市行政中心召开。\n【打印】【关闭】【收藏】\n") == ["会议在市行政中心召开。"]
    assert texts("【时评】开好会，更要抓落实。\n") == ["【时评】开好会，更要抓落实。"]


def test_a_newspaper_masthead_with_its_page_is_chrome_not_the_start_of_the_article():
    """"2027年6月3日　星期四　第01版：要闻" heads the page: its date is the page's, and the headline
    and lead under it are not run into it."""
    doc = clean("柯州日报\n2027年6月3日　星期四　第01版：要闻\n\n全市防汛工作会议召开\n"
                "本报讯 昨天下午3点半，全市防汛工作会议召开。市长主持会议。\n")
    body = [b.text.text for b in doc.blocks if not b.heading and not b.credit]
    assert doc.date == "2027-06-03" and body[0].startswith("本报讯"), (doc.date, body)
