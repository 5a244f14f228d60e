"""Markdown notes: lists and tables read as sentences, the note's headline names its meeting."""

from __future__ import annotations

from qa.ingest.clean import clean
from qa.ingest.markdown import markdown_to_text
from qa.ingest.meetings import extract_meetings
from qa.ingest.passages import document_passages
from qa.ingest.readers import parse_document

NOTE = """# 岚湾区二季度安全生产例会（笔记）

> 记录：区应急管理局 贝思远

## 基本情况

- **时间**：6月3日下午3点
- **地点**：区政府三楼会议室
- **主持**：副区长 翁海澄
- 参会：各街道分管负责同志，区住建局、区交通局等12个部门负责同志

## 隐患整治

| 街道 | 排查隐患（处） | 已整改（处） |
|---|---|---|
| 东湖街道 | 126 | 118 |
| 西岭街道 | 87 | 80 |

1. 东湖街道：老旧小区电动车充电点改造完成，共新建充电桩340个
2. 西岭街道：燃气管道排查覆盖率100%

## 待办

- [ ] 6月底前报送整改清单
- [x] 通报已印发
"""


def test_each_list_is_a_paragraph_of_sentences_one_per_item():
    blocks = [b.text.text for b in clean(markdown_to_text(NOTE)).blocks if not b.heading]
    assert "时间：6月3日下午3点。地点：区政府三楼会议室。主持：副区长 翁海澄。" in blocks[1]
    # an item with a comma is no line the layout broke: the next item is its own sentence
    items = next(b for b in blocks if b.startswith("东湖街道："))
    assert items == "东湖街道：老旧小区电动车充电点改造完成，共新建充电桩340个。西岭街道：燃气管道排查覆盖率100%。"
    assert "6月底前报送整改清单。通报已印发。" in blocks
    assert not any(mark in "".join(blocks) for mark in ("**", "- [", "|", "#", "> "))


def test_a_table_row_names_each_figure_by_its_column():
    text = markdown_to_text(NOTE)
    assert "街道：东湖街道，排查隐患（处）：126，已整改（处）：118。街道：西岭街道，排查隐患（处）：87，已整改（处）：80。" in text
    assert "---" not in text


def test_inline_markup_keeps_its_text():
    assert markdown_to_text("见[通知原文](http://example.org/a)和`附件1`，**务必**按*时*报送。\n") == \
        "见通知原文和附件1，务必按时报送。\n"


def test_a_markdown_note_is_read_as_markdown_and_a_text_file_as_written():
    note = parse_document("例会.md", NOTE.encode("utf-8"))
    assert "**" not in note.text and "东湖街道，排查隐患（处）：126" in note.text
    assert parse_document("例会.txt", NOTE.encode("utf-8")).text == NOTE


def test_the_notes_headline_names_its_meeting_and_its_fields_give_the_rest():
    passages = document_passages(parse_document("例会.md", NOTE.encode("utf-8")), 400)
    [meeting] = extract_meetings(passages)
    assert meeting.name == "岚湾区二季度安全生产例会"
    assert meeting.chair_name == "翁海澄" and meeting.date == "6月3日" and meeting.place == "区政府三楼会议室"
