"""The meeting table through the real index, the Bot API and the `qa meetings` command.

The seeds tests name the chairs the shipped reports give (tests may; library code may not).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

from qa import Bot, Config
from qa.index.indexer import update_index
from qa.index.store import Store

from .conftest import ROOT

#: Every meeting the seeds report (not mentioned in passing): folded name → chair's name (None:
#: the text names no chair). Source files are given for the reprint.
SEED_REPORTED = {
    "领导小组第一次会议": "黄钦",
    "省委常委会议暨省委应对疫情工作领导小组(扩大)会议": "姜勤俭",
    "市疫情防控应急指挥部会议暨企业复工复产工作协调小组第二次会议": "杜小刚",
    "市委常委会第167次会议": "黄钦",
    "省推进长三角一体化发展领导小组第四次全体会议": "吴政隆",
    "市委常委会会议": "许南吉",
    "省疫情防控工作领导小组会议": "吴政隆",
    "市疫情防控工作视频调度会": "周斌",
    "长三角一体化产业发展基地建设领导小组工作例会": None,
}


def fold_key(text):
    from qa.ingest.script import fold

    return fold(text).replace("（", "(").replace("）", ")")


def test_seed_table_every_meeting_once_with_the_right_chair(seed_bot):
    rows = seed_bot.meetings()
    reported = [m for m in rows if not m.mentioned]
    names = [fold_key(m.name) for m in reported]
    assert sorted(names) == sorted(SEED_REPORTED), names  # every reported meeting, none twice
    for m in reported:
        expected = SEED_REPORTED[fold_key(m.name)]
        assert (fold_key(m.chair_name) if m.chair_name else None) == expected, m
    for m in rows:  # no wrong chair anywhere: the chair stands in the evidence sentence
        if m.chair:
            assert any(s.chair_span and s.sentence[s.chair_span[0]:s.chair_span[1]] == m.chair
                       for s in [*m.sources, *m.evidence]), m
    assert len({m.key for m in rows}) == len(rows)


def test_seed_reprint_is_one_row_with_both_sources(seed_bot):
    rows = [m for m in seed_bot.meetings() if m.key == "领导小组第一次会议"]
    assert len(rows) == 1
    m = rows[0]
    assert [(s.source, s.paragraph) for s in m.sources[:2]] == [("000_f8c39bae8fc0d9fc.txt", 1),
                                                               ("001_267acecd1d091097.txt", 3)]
    # the commentary's "昨天召开的…第167次会议暨…领导小组第一次会议" joins both meetings it names
    assert [(s.source, s.paragraph) for s in m.sources[2:]] == [("001_267acecd1d091097.txt", 18)]
    joint = [x for x in seed_bot.meetings() if any(s.paragraph == 18 for s in x.sources)]
    assert sorted(x.key for x in joint) == ["市委常委会第167次会议", "领导小组第一次会议"]
    assert m.date == "2020-02-17"  # resolved against 000's publication date (2020-02-18)
    assert m.attendees == ["杜小刚"]
    text = (ROOT / "seeds" / m.sources[0].source).read_text(encoding="utf-8")
    assert text[m.sources[0].start:m.sources[0].end].startswith("2月17日")


def test_seed_people_dates_and_branch_venues(seed_bot):
    by_key = {m.key: m for m in seed_bot.meetings()}
    m = by_key["省委常委会议暨省委应对疫情工作领导小组扩大会议"]
    assert m.attendees == ["黄钦", "杜小刚", "徐一平", "周敏斌", "徐劼"] and m.place == "无锡分会场"
    m = by_key["省推进长三角一体化发展领导小组第四次全体会议"]
    assert m.date == "昨天"  # no publication date in the file: left as written
    assert "王暉" in m.attendees and "王暉" in m.speakers and m.place == "南通分會場"
    assert [x.name for x in seed_bot.meetings(person="许南吉")] == ["市委常委會會議"]
    mentioned = [m for m in seed_bot.meetings() if m.mentioned]
    assert {fold_key(m.chair_name) for m in mentioned if m.chair_name} == {"习近平", "易炼红"}


def test_seed_questions_answered_from_the_table(seed_bot):
    answer = seed_bot.ask("黄钦主持了哪些会议？")
    assert answer.kind == "which-meeting" and "from the meeting table" in answer.message
    assert len(answer.quotes) == 2
    assert "000_f8c39bae8fc0d9fc.txt" in answer.message and "001_267acecd1d091097.txt" in answer.message
    for quote in answer.quotes:
        assert "黄钦" in quote.sentence and quote.context is not None
        assert any("黄钦" in quote.text[a:b] for a, b in quote.highlights)
    assert {s.source for s in answer.quotes[0].sources} == {"000_f8c39bae8fc0d9fc.txt",
                                                            "001_267acecd1d091097.txt"}  # reprint: one quote
    answer = seed_bot.ask("杜小刚参加了哪些会议？")
    assert len(answer.quotes) == 3 and all("杜小刚" in q.sentence for q in answer.quotes)
    answer = seed_bot.ask("2月17日开了哪些会？")
    assert answer.found and len(answer.quotes) == 4
    answer = seed_bot.ask("许昆林参加了哪些会议？")
    assert "省疫情防控工作领导小组会议" in answer.answer and "第四次全體會議" in answer.answer


def qa(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "qa.app.cli", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600, check=False)


def test_cli_json_csv_and_person(seed_bot, seed_dirs):
    corpus, index = seed_dirs
    where = ("--corpus", str(corpus), "--index", str(index))
    data = json.loads(qa(*where, "meetings", "--json").stdout)
    assert len(data) == len(seed_bot.meetings())
    assert set(data[0]) == {"date", "name", "chair", "attendees", "speakers", "place", "sources", "mentioned"}
    assert {"source", "paragraph"} <= set(data[0]["sources"][0])
    rows = list(csv.DictReader(io.StringIO(qa(*where, "meetings", "--csv").stdout)))
    assert [r["name"] for r in rows] == [m["name"] for m in data]
    out = qa(*where, "meetings", "--person", "黄钦")
    assert out.returncode == 0 and "3 meetings (filtered)" in out.stdout  # chaired two, attended one
    assert qa(*where, "meetings", "--person", "没有这个人").returncode == 1


def test_incremental_updates_keep_and_drop_rows(small_corpus, embedder):
    corpus, index = small_corpus
    config = Config.from_env(corpus=corpus, index=index)
    report_a = "本报讯 3月5日，县委书记张建国主持召开县委常委会第12次会议。县长李明华出席会议。\n"
    (corpus / "a.txt").write_text(report_a, encoding="utf-8")
    (corpus / "b.txt").write_text("4月2日，市政府召开第八次常务会议。市长王志强主持会议。\n", encoding="utf-8")
    update_index(config, embedder)
    bot = Bot(config, embedder, Store(index).load())
    assert [m.name for m in bot.meetings()] == ["县委常委会第12次会议", "市政府第八次常务会议"]
    (corpus / "c.txt").write_text("转载\n" + report_a, encoding="utf-8")  # a reprint
    report = update_index(config, embedder)
    assert report.added == ["c.txt"]
    first = bot.meetings(text="县委常委会")
    assert len(first) == 1 and [s.source for s in first[0].sources] == ["a.txt", "c.txt"]
    (corpus / "b.txt").write_text("4月2日，市政府召开第九次常务会议。市长王志强主持会议。\n", encoding="utf-8")
    (corpus / "a.txt").unlink()
    update_index(config, embedder)
    assert [(m.name, [s.source for s in m.sources]) for m in bot.meetings()] == [
        ("县委常委会第12次会议", ["c.txt"]), ("市政府第九次常务会议", ["b.txt"])]  # in date order


def test_a_new_extractor_re_extracts_unchanged_files(small_corpus, embedder, monkeypatch):
    """Files indexed before meetings were stored (or by an older extractor) are re-read on update."""
    import qa.index.meeting_rows as meeting_rows

    corpus, index = small_corpus
    config = Config.from_env(corpus=corpus, index=index)
    (corpus / "a.txt").write_text("4月2日，市政府召开第八次常务会议。市长王志强主持会议。\n", encoding="utf-8")
    update_index(config, embedder)
    before = Store(index).current_name()
    assert update_index(config, embedder).generation == before  # nothing to do
    monkeypatch.setattr(meeting_rows, "EXTRACTOR_VERSION", meeting_rows.EXTRACTOR_VERSION + 1)
    report = update_index(config, embedder)
    assert report.generation != before and not report.changed_anything and report.embedded == 0
    generation = Store(index).load()
    assert [m.chair for m in generation.meetings()] == ["市长王志强"]
    generation.close()
