"""The chat page end to end: real model, real index, real server, real browser (headless Chromium).

The page runs over a private copy of the seeds (uploads never touch the repository's seeds/).
Browser tests are marked ``browser``; they are skipped only when /usr/bin/chromium is missing
outside CI (in CI they must run: ``apt-get install chromium``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from qa.answer.answer import Answer, Quote, Source
from tests.helpers.browser import ARTIFACTS, ask, free_port, last_report, needs_browser, report_after, upload

ROOT = Path(__file__).resolve().parent.parent
SEED_QUESTION = "谁主持召开了市委常委会第167次会议？"
SEED_FILE = "001_267acecd1d091097.txt"


# --- rendering (no browser) -------------------------------------------------------------------------


def _quote(text: str, sentence: tuple[int, int], marks: list[tuple[int, int]], sources: list[Source]) -> Quote:
    return Quote(text=text, sentence=text[sentence[0]:sentence[1]], source=sources[0].source,
                 paragraph=sources[0].paragraph, score=1.0, sentence_span=sentence, highlights=marks,
                 sources=sources, title=sources[0].title, date=sources[0].date)


def test_rendering_escapes_everything_from_documents():
    from qa.app.render import render_answer

    text = '甲主持<script>alert(1)</script>会议。<img src=x onerror=alert(1)>其他内容'
    src = Source('<b>x</b>.txt', 3, '标题<i>', '2020-02-18')
    answer = Answer("谁主持会议？", "甲<", True, [_quote(text, (0, 29), [(0, 1)], [src])], kind="who")
    out = render_answer(answer)
    assert "<script" not in out and "<img" not in out and "<b>x" not in out and "<i>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "<mark>甲</mark>" in out
    assert "&lt;b&gt;x&lt;/b&gt;.txt" in out and "第 3 段" in out and "2020-02-18" in out
    assert '<span class="qa-short-text">甲&lt;</span>' in out
    assert "<details" in out


def test_rendering_of_reprints_not_found_and_invalid():
    from qa.answer.answer import NOT_FOUND
    from qa.app.render import render_answer

    reprint = _quote("乙出席会议。", (0, 6), [(0, 1)], [Source("a.txt", 1), Source("b.txt", 4, "报道", "2020-02-18")])
    out = render_answer(Answer("谁出席？", "乙", True, [reprint], kind="who", resolved_question="乙出席？"))
    assert out.count('class="qa-quote"') == 1
    assert "a.txt" in out and "b.txt" in out and "2 处" in out
    assert "乙出席？" in out and "understood as" in out
    missing = render_answer(Answer("天气？", None, False, [], message=NOT_FOUND))
    assert "qa-notfound" in missing and "qa-found" not in missing and "Not found in the documents" in missing
    invalid = render_answer(Answer("", None, False, [], kind="invalid", message="请输入一个问题。"))
    assert "qa-invalid" in invalid and "请输入一个问题。" in invalid


def test_long_headlines_are_cut_between_their_lines_and_never_bracketed():
    """A headline copied from a web page (lines joined by spaces, one of them cut by the page
    itself) is shortened at a line or clause boundary, with no 《》 of ours around it."""
    import html
    import re

    from qa.app.render import render_sources, short_title

    title = "八项规定精神进一步 加强作风建设 市委常委会研究部署深入贯彻中央 清单》和今年市市级机关党的建设重点工作要点 黄钦主持会议"
    out = render_sources(_quote("甲。", (0, 2), [], [Source("a.txt", 1, title)]))
    shown = html.unescape(re.search(r'class="qa-title"[^>]*>(.*?)</span>', out).group(1))
    assert shown == "“八项规定精神进一步 加强作风建设 市委常委会研究部署深入贯彻中央 …”"
    assert f'title="{title}"' in out  # the whole headline on hover
    assert short_title("关于《某某条例》的说明") == "关于《某某条例》的说明"
    one_line = "市委常委会研究部署深入贯彻中央八项规定精神，进一步加强作风建设，审议《关于进一步做好基层减负工作的实施意见》"
    cut = short_title(one_line)
    assert cut == "市委常委会研究部署深入贯彻中央八项规定精神，进一步加强作风建设，…"
    assert cut.count("《") == cut.count("》")


def test_marked_spans():
    from qa.app.render import marked

    assert marked("abcdefghij", 0, 10, [(2, 4)], (1, 7)) == (
        '<span class="qa-around">a</span><span class="qa-sentence">b<mark>cd</mark>efg</span>'
        '<span class="qa-around">hij</span>')
    assert marked("a<b>c", 0, 5, [(1, 4)]) == "a<mark>&lt;b&gt;</mark>c"
    assert marked("abcdef", 2, 4, [(0, 3), (5, 6)]) == "<mark>c</mark>d"


def test_status_rendering_lists_files_and_skipped_ones():
    from qa import IndexStatus
    from qa.app.render import render_status, status_title

    status = IndexStatus(corpus="docs", index="idx", model="m", dim=384, generation="gen-000007",
                         files=[("a.txt", 3), ("<b>.txt", 2)], passages=5, built=0.0,
                         skipped=[("scan.pdf", "no text layer <img>")])
    out = render_status(status)
    assert "gen-000007" in out and "384" in out and "a.txt" in out and ">3<" in out
    assert "&lt;b&gt;.txt" in out and "<b>.txt" not in out
    assert "scan.pdf" in out and "no text layer &lt;img&gt;" in out
    assert status_title(status) == "索引状态 Index status · 2 files, 5 passages"


def test_app_py_passes_options_to_qa_serve():
    sys.path.insert(0, str(ROOT))
    try:
        from app import serve_argv
    finally:
        sys.path.remove(str(ROOT))
    assert serve_argv([]) == ["serve"]
    assert serve_argv(["--port", "8000", "--corpus", "docs", "--host=0.0.0.0", "-v"]) == \
        ["--corpus", "docs", "-v", "serve", "--port", "8000", "--host=0.0.0.0"]


# --- the page in a browser ----------------------------------------------------------------------------


@pytest.mark.browser
@needs_browser
def test_seed_question_answer_highlight_source_and_screenshot(page):
    reply = ask(page, SEED_QUESTION)
    assert "qa-found" in reply.get_attribute("class")
    assert reply.locator(".qa-short-text").inner_text() == "黄钦"
    first = reply.locator(".qa-quote").first
    assert first.locator("mark", has_text="黄钦").count() >= 1
    assert SEED_FILE in first.locator(".qa-sources").inner_text()
    assert "第 11 段" in first.locator(".qa-sources").inner_text()
    # A click opens the whole paragraph.
    paragraph = first.locator(".qa-paragraph-text")
    assert not paragraph.is_visible()
    first.locator("summary").click()
    assert paragraph.is_visible() and "黄钦" in paragraph.inner_text()
    first.locator("summary").click()
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(600)  # the smooth scroll to the question
    page.screenshot(path=str(ARTIFACTS / "page-answer.png"))
    assert page.outside == [], "the page fetched something from outside the server"


@pytest.mark.browser
@needs_browser
def test_follow_up_questions_use_the_conversation(page):
    assert ask(page, "谁主持了市委常委会第167次会议？").locator(".qa-short-text").inner_text() == "黄钦"
    second = ask(page, "那杜小刚主持了什么会议？")
    assert "会议" in second.locator(".qa-short-text").inner_text()
    assert "杜小刚" in second.locator(".qa-resolved").inner_text()
    third = ask(page, "他还参加了哪些会议？")
    assert "杜小刚参加了哪些会议" in third.locator(".qa-resolved-text").inner_text()
    assert "会议" in third.locator(".qa-short-text").inner_text()
    # A new conversation forgets who "他" was.
    page.click("text=新对话 New conversation")
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-reply').length == 0")
    assert ask(page, "他还参加了哪些会议？").locator(".qa-resolved").count() == 0


@pytest.mark.browser
@needs_browser
def test_english_question_ellipsis_and_a_kind_without_extractor(page):
    page.click("text=新对话 New conversation")
    page.wait_for_function("document.querySelectorAll('#qa-chat .qa-reply').length == 0")
    english = ask(page, "Who is the acting mayor of Nantong?")
    assert english.locator(".qa-short-text").inner_text() == "吳新明"
    assert "南通" in english.locator(".qa-resolved-text").inner_text()
    assert ask(page, "许昆林参加了哪些会议？").locator(".qa-short-text").count() == 1
    again = ask(page, "那杜小刚呢？")
    assert again.locator(".qa-resolved-text").inner_text() == "杜小刚参加了哪些会议？"
    why = ask(page, "为什么要打好长三角一体化主动仗？")
    assert "没有提取短答案" in why.locator(".qa-short-none").inner_text() and why.locator(".qa-quote").count() >= 1


@pytest.mark.browser
@needs_browser
def test_empty_long_and_unanswerable_questions(page):
    # an empty (or blank) question adds nothing to the conversation, however often it is sent
    for blank in ("", "  ", "\n"):
        page.fill("#qa-question textarea", blank)
        page.press("#qa-question textarea", "Enter")
    page.click("#qa-ask")
    page.wait_for_timeout(2000)
    assert page.locator("#qa-chat .user-row, #qa-chat .bot-row").count() == 0
    long = ask(page, "会议" * 200)
    assert "qa-invalid" in long.get_attribute("class") and "longer than" in long.inner_text()
    missing = ask(page, "火星上的天气怎么样？")
    assert "qa-notfound" in missing.get_attribute("class")
    assert "Not found in the documents" in missing.inner_text()


@pytest.mark.browser
@needs_browser
def test_upload_a_file_and_ask_about_it(page, web_bot, tmp_path):
    seeds_before = sorted(os.listdir(ROOT / "seeds"))
    doc = tmp_path / "城市更新推进会.txt"
    doc.write_text("2023年5月8日，市委书记李明远主持召开城市更新工作推进会。会议研究部署老旧小区改造工作。\n",
                   encoding="utf-8")
    report = upload(page, doc)
    assert "已添加 added" in report.inner_text() and "城市更新推进会.txt" in report.inner_text()
    assert "1 added" in report.inner_text()
    assert (web_bot.config.corpus / doc.name).read_bytes() == doc.read_bytes()
    page.click("#qa-status-panel button:has-text('索引状态 Index status')")  # refreshed after each upload
    page.wait_for_selector("#qa-status .qa-files :text('城市更新推进会.txt')")

    reply = ask(page, "谁主持召开了城市更新工作推进会？")
    assert reply.locator(".qa-short-text").inner_text() == "李明远"
    assert doc.name in reply.locator(".qa-quote").first.inner_text()

    # The same file again is unchanged; different content under the same name is kept apart.
    assert "未改动 unchanged" in upload(page, doc).inner_text()
    doc.write_text("2023年6月2日，李明远调研城市更新项目。\n", encoding="utf-8")
    renamed = upload(page, doc).inner_text()
    assert "城市更新推进会 (2).txt" in renamed
    assert (web_bot.config.corpus / "城市更新推进会 (2).txt").exists()
    assert sorted(os.listdir(ROOT / "seeds")) == seeds_before


@pytest.mark.browser
@needs_browser
def test_example_questions_come_from_the_documents_and_are_one_click(page, web_bot):
    examples = web_bot.examples()
    assert examples and any(q.startswith("谁主持了") for q in examples)  # built from the seeds' sentences
    shown = page.locator("#qa-examples button").all_inner_texts()
    assert [t.strip() for t in shown] == examples
    before = page.locator("#qa-chat .qa-reply").count()
    page.click(f"#qa-examples button:has-text('{examples[0]}')")
    page.wait_for_function(f"document.querySelectorAll('#qa-chat .qa-reply').length > {before}", timeout=60_000)
    reply = page.locator("#qa-chat .qa-reply").last
    assert "qa-found" in reply.get_attribute("class")
    assert reply.locator(".qa-short-text").count() == 1
    assert examples[0] in page.locator("#qa-chat .user-row").last.inner_text()


@pytest.mark.browser
@needs_browser
def test_rebuild_from_the_status_panel(page, web_bot):
    before = web_bot.status().generation
    page.click("#qa-status-panel button:has-text('索引状态 Index status')")
    page.wait_for_selector(f"#qa-status :text('{before}')")
    run = last_report(page)
    page.click("#qa-rebuild")
    report = report_after(page, run).inner_text()
    after = web_bot.status().generation
    assert after != before and after in report and "Index updated" in report
    page.wait_for_selector(f"#qa-status :text('{after}')")
    assert ask(page, SEED_QUESTION).locator(".qa-short-text").inner_text() == "黄钦"


@pytest.mark.browser
@needs_browser
def test_unsupported_upload_is_refused_with_a_reason(page, web_bot, tmp_path):
    bad = tmp_path / "tool.exe"
    bad.write_bytes(b"MZ\x90\x00")
    page.set_input_files("#qa-files input[type=file]", str(bad))
    # The upload box refuses it by type (config.extensions) with a message...
    page.wait_for_selector("text=Invalid file type", timeout=10_000)
    run = last_report(page)
    page.click("#qa-add")
    assert "Choose files to add first" in report_after(page, run).inner_text()
    assert not (web_bot.config.corpus / "tool.exe").exists()


@pytest.mark.browser
@needs_browser
def test_unreadable_upload_is_refused_and_a_file_can_be_removed(page, web_bot, tmp_path):
    corpus = web_bot.config.corpus
    gbk = tmp_path / "防汛会议纪要.txt"
    gbk.write_bytes("2023年7月3日，副市长陈志远主持召开防汛工作会议，部署汛期值守工作。\n".encode("gbk"))
    binary = tmp_path / "照片.txt"
    binary.write_bytes(bytes(range(256)) * 40)

    refused = upload(page, binary).inner_text()
    assert "未添加 rejected" in refused and "No text can be read" in refused
    assert not (corpus / binary.name).exists()
    added = upload(page, gbk).inner_text()
    assert "已添加 added" in added and "1 added" in added
    left = _gradio_uploads({binary.name, gbk.name})
    assert left == [], f"uploads handled must not stay in Gradio's temp folder: {left}"
    assert ask(page, "谁主持召开了防汛工作会议？").locator(".qa-short-text").inner_text() == "陈志远"

    # Removing asks first: declined, nothing happens; accepted, the file leaves corpus and index.
    page.click("#qa-status-panel button:has-text('索引状态 Index status')")
    page.locator("#qa-remove-file input").fill(gbk.name)
    page.locator(f"ul[role=listbox] li:has-text('{gbk.name}')").click()
    page.once("dialog", lambda d: d.dismiss())
    run = last_report(page)
    page.click("#qa-remove")
    assert "Nothing was removed" in report_after(page, run).inner_text()
    assert (corpus / gbk.name).exists()
    assert page.locator("#qa-remove-file input").input_value() == gbk.name  # still chosen
    page.once("dialog", lambda d: d.accept())
    run = last_report(page)
    page.click("#qa-remove")
    assert "1 removed" in report_after(page, run).inner_text()
    assert not (corpus / gbk.name).exists()
    assert gbk.name not in [s for s, _ in web_bot.status().files]
    assert not ask(page, "谁主持召开了防汛工作会议？").locator(".qa-short-text").count()


def _gradio_uploads(names: set[str]) -> list[Path]:
    """Copies of files with these names in Gradio's upload folder."""
    import tempfile

    root = Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio")
    return [p for p in root.rglob("*") if p.name in names] if root.exists() else []


@pytest.mark.browser
@needs_browser
def test_document_markup_is_shown_as_text_and_never_runs(page, tmp_path):
    doc = tmp_path / "安全生产会议.txt"
    doc.write_text(
        "2023年6月1日，区长王海峰主持召开安全生产专题会议。"
        '会议材料里有两行代码：<script>window.__xss=1</script> 和 <img src=x onerror="window.__xss=2">。\n',
        encoding="utf-8",
    )
    upload(page, doc)
    reply = ask(page, "谁主持召开了安全生产专题会议？")
    assert reply.locator(".qa-short-text").inner_text() == "王海峰"
    quote = reply.locator(".qa-quote").first
    quote.locator("summary").click()
    shown = quote.inner_text()
    assert "<script>window.__xss=1</script>" in shown
    assert '<img src=x onerror="window.__xss=2">' in shown
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("#qa-chat script").count() == 0
    assert page.locator("#qa-chat img[onerror], #qa-chat img[src=x]").count() == 0


# --- the API and the real server --------------------------------------------------------------------


def test_ask_endpoint_returns_the_cli_json(server, web_bot):
    from gradio_client import Client

    client = Client(server, verbose=False)
    for question in (SEED_QUESTION, "南通的代市长是谁？", "火星上的天气怎么样？", ""):
        got = client.predict(question, api_name="/ask")
        expected = web_bot.ask(question).to_dict()
        assert isinstance(got, dict)
        assert got.pop("history") == ([[question, expected["answer"]]] if question else [])
        assert (got["answer"], got["found"], got["message"]) == (expected["answer"], expected["found"],
                                                                 expected["message"])
        assert [q["sources"] for q in got["quotes"]] == [q["sources"] for q in expected["quotes"]]
        assert got == expected
    assert client.predict(SEED_QUESTION, api_name="/ask")["answer"] == "黄钦"


def test_ask_endpoint_takes_the_history_back(server):
    """/ask with history: the README's gradio_client example, follow-ups resolved like on the page."""
    from gradio_client import Client

    client = Client(server, verbose=False)
    first = client.predict(SEED_QUESTION, api_name="/ask")
    assert first["history"] == [[SEED_QUESTION, "黄钦"]]
    second = client.predict("他还参加了哪些会议？", first["history"], api_name="/ask")
    assert second["resolved_question"] == "黄钦参加了哪些会议？" and second["found"]
    assert second["history"][-1][0] == "黄钦参加了哪些会议？"
    third = client.predict("那杜小刚呢？", second["history"], api_name="/ask")
    assert third["resolved_question"] == "杜小刚参加了哪些会议？"
    english = client.predict("Who is the acting mayor of Nantong?", api_name="/ask")
    assert english["found"] and english["answer"] == "吳新明"


def test_serve_starts_on_an_existing_index_and_binds_localhost(seed_bot, seed_dirs):
    corpus, index = seed_dirs
    port = free_port()
    env = {**os.environ, "QA_CORPUS": str(corpus), "QA_INDEX": str(index)}
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        while True:
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() - started < 90, "the page did not start within 90 s"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                time.sleep(0.5)
        listening = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True).stdout \
            if shutil.which("ss") else ""
        for line in listening.splitlines():  # State Recv-Q Send-Q Local-Address:Port Peer-Address:Port
            assert line.split()[3] == f"127.0.0.1:{port}", line
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
