"""The page's 会议 Meetings tab in a real browser, on a phone (390×844) and a desktop (1280×800).

Uses the page fixtures of tests/conftest.py (a private copy of the seeds, a real server, headless
Chromium). The layout is measured, not only found: headers on one line and no column narrower
than its header word, at least 8 whole rows on a desktop screen, cards that fit a phone, a
timeline with width whose lanes follow the filter. Screenshots are saved in test-artifacts/.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.helpers.browser import ARTIFACTS, needs_browser

ROWS = "#qa-meet-table .qa-meet-row"
#: The one way a date is written: with its year, or month-day where the text gives no year.
DATE = re.compile(r"(\d{4}-)?\d{2}-\d{2}")
NOT_NAMED = "未写明 not named"

LAYOUT_JS = """() => {
  const box = (e) => e.getBoundingClientRect();
  const shown = (e) => !!e && getComputedStyle(e).display !== 'none';
  const line = (e) => parseFloat(getComputedStyle(e).lineHeight);
  const inner = (e) => { const s = getComputedStyle(e);  // the content's height, without padding
    return box(e).height - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom); };
  const size = (e) => ({w: box(e).width, h: inner(e), sw: e.scrollWidth, cw: e.clientWidth, lh: line(e),
                        text: e.innerText.trim(), title: e.title || ''});
  const table = document.querySelector('#qa-meet-table .qa-meet');
  const tl = document.querySelector('#qa-meet-plot .qa-tl');
  return {
    width: document.documentElement.scrollWidth, height: window.innerHeight, table: size(table),
    scroller: box(table.querySelector('.qa-meet-rows')),
    heads: [...table.querySelectorAll('.qa-meet-sort')].filter(shown).map((h) => ({key: h.dataset.sort, ...size(h)})),
    rows: [...table.querySelectorAll('.qa-meet-row')].map((r) => ({
      top: box(r.querySelector('summary')).top, bottom: box(r.querySelector('summary')).bottom,
      cells: [...r.querySelectorAll('summary .qa-meet-cell')].filter(shown).map((c) => ({
        key: [...c.classList].find((x) => x.startsWith('qa-c-')).slice(5), w: box(c).width,
        value: size(c.querySelector('.qa-meet-value')),
        label: shown(c.querySelector('.qa-meet-label')) ? size(c.querySelector('.qa-meet-label')) : null}))})),
    timeline: tl && {...size(tl),
      lanes: [...tl.querySelectorAll('.qa-tl-lane:not(.qa-tl-axis) .qa-tl-who')].map((e) => e.innerText.trim()),
      tracks: [...tl.querySelectorAll('.qa-tl-track')].map((e) => box(e).width),
      points: [...tl.querySelectorAll('.qa-tl-point')].map((e) => Number(e.innerText || 1)),
      axis: tl.querySelector('.qa-tl-axis')?.innerText || ''},
  };
}"""


def open_tab(pg, rows: int):
    pg.get_by_role("tab", name="会议 Meetings").click()
    wait_rows(pg, rows)


def wait_rows(pg, n: int):
    pg.wait_for_function(f"document.querySelectorAll('{ROWS}').length == {n}", timeout=30_000)
    pg.wait_for_timeout(300)  # the timeline is the next output of the same event


def column(pg, key: str) -> list[str]:
    return pg.eval_on_selector_all(ROWS, f"rows => rows.map(r => r.dataset.k{key})")


def one_line(e: dict) -> bool:
    return e["h"] <= 1.6 * e["lh"]


def lanes_for(rows) -> list[str]:
    """The chairs of the rows the timeline can place (a month and day), in order of appearance."""
    dated = [m for m in rows if m.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}|(\d{4}年)?\d{1,2}月\d{1,2}日", m.date)]
    return list(dict.fromkeys(m.chair_name or NOT_NAMED for m in dated)), len(dated)


@pytest.fixture
def screen(browser, server, request):
    """A page of the given viewport size (width, height) on the server."""
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    pg.goto(server)
    pg.wait_for_selector("#qa-question textarea")
    yield pg
    context.close()


def on_screen(width: int, height: int):
    """A browser test on a page of this viewport size (the ``screen`` fixture)."""
    def mark(test):
        sized = pytest.mark.parametrize("screen", [(width, height)], indirect=True)(test)
        return pytest.mark.browser(needs_browser(sized))
    return mark


def measured(pg, bot, shot: str):
    """The tab opened on all the meetings: (Bot.meetings(), the layout); a full-page screenshot."""
    table = bot.meetings()
    open_tab(pg, len(table))
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    return table, pg.evaluate(LAYOUT_JS)


@on_screen(1280, 800)
def test_desktop_rows_are_readable_and_eight_fit_the_screen(screen, web_bot):
    table, lay = measured(screen, web_bot, "meetings-desktop.png")
    assert lay["width"] <= 1280, "the page scrolls sideways"
    heads = {h["key"]: h for h in lay["heads"]}
    assert len(heads) == 8
    for h in heads.values():
        assert one_line(h) and h["sw"] <= h["cw"] + 1, f"header {h['text']!r} wraps or is cut: {h}"
    for row in lay["rows"]:
        for cell in row["cells"]:
            assert cell["w"] + 1 >= heads[cell["key"]]["sw"], f"column {cell['key']} narrower than its header word"
            if cell["value"]["text"]:
                assert cell["value"]["w"] >= 20 and cell["value"]["h"] >= 14, cell
        assert row["bottom"] - row["top"] <= 3.3 * 20, "a row taller than three lines"
    whole = [r for r in lay["rows"] if r["top"] >= lay["scroller"]["top"] - 1
             and r["bottom"] <= min(lay["scroller"]["bottom"], lay["height"]) + 1]
    assert len(whole) >= min(8, len(table)), f"only {len(whole)} whole rows on a 1280×800 screen"

    # sources: one short line, the whole name(s) on hover; dates written one way, relative ones marked
    for m, row in zip(table, lay["rows"]):
        cells = {c["key"]: c for c in row["cells"]}
        source = cells["source"]["value"]
        assert one_line(source) and len(source["text"]) <= 22, source
        assert all(f"{s.source} ¶{s.paragraph}" in source["title"] for s in m.sources)
        shown = cells["date"]["value"]["text"]
        if m.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", m.date):
            assert shown == m.date
        elif m.date and (md := re.fullmatch(r"(?:\d{4}年)?(\d{1,2})月(\d{1,2})日", m.date)):
            assert DATE.fullmatch(shown) and shown.endswith(f"{int(md[1]):02d}-{int(md[2]):02d}"), shown
        elif m.date:
            assert shown.startswith(m.date) and "相对 relative" in shown, shown
        else:
            assert shown == "—"
        assert "月" not in shown
    assert not any(h["text"] == "提及 Mentioned" for h in lay["heads"])  # a tag on the name, not a column

    # the timeline spans the page; one lane per chair of the dated rows; bilingual axis
    lanes, dated = lanes_for(table)
    tl = lay["timeline"]
    assert tl["w"] >= 0.9 * lay["table"]["w"] and min(tl["tracks"]) >= 600
    assert tl["lanes"] == lanes and sum(tl["points"]) == dated
    assert "日期 Date" in tl["axis"]


@on_screen(390, 844)
def test_phone_shows_one_card_per_meeting_that_fits_the_screen(screen, web_bot):
    table, lay = measured(screen, web_bot, "meetings-phone.png")
    assert lay["width"] <= 390, f"the page is {lay['width']} px wide on a 390 px phone"
    for h in lay["heads"]:
        assert one_line(h) and h["sw"] <= h["cw"] + 1, f"sort header {h['text']!r} wraps or is cut: {h}"
    for m, row in zip(table, lay["rows"]):
        cells = {c["key"]: c for c in row["cells"]}
        assert cells["name"]["value"]["text"].startswith(m.name) and cells["name"]["w"] >= 0.85 * lay["table"]["w"]
        assert {"date", "source"} <= set(cells) and (not m.chair or "chair" in cells)
        for cell in row["cells"]:
            value = cell["value"]
            assert value["text"] and value["w"] >= 150 and value["sw"] <= value["cw"] + 1, cell
            if cell["label"]:
                label = cell["label"]
                assert one_line(label) and label["sw"] <= label["cw"] + 1, f"label {label['text']!r} wraps: {label}"
    tl = lay["timeline"]
    assert tl["w"] >= 300 and min(tl["tracks"]) >= 150, tl
    lanes, dated = lanes_for(table)
    assert tl["lanes"] == lanes and sum(tl["points"]) == dated


@pytest.mark.browser
@needs_browser
def test_meetings_tab_filter_sort_open_download(page, web_bot):
    table = web_bot.meetings()
    open_tab(page, len(table))
    assert column(page, "name") == [m.name for m in table]  # what Bot.meetings() returns, in its order

    # sort by chair (a click on its header), then the other way
    chair = page.locator("#qa-meet-table .qa-meet-sort[data-sort=chair]")
    chair.click()
    chairs = column(page, "chair")
    named = [c for c in chairs if c]
    in_order = "(xs) => xs.every((x, i) => i == 0 || new Intl.Collator('zh-Hans-CN').compare(xs[i - 1], x) <= 0)"
    assert page.evaluate(in_order, named) and chairs != [m.chair_name or "" for m in table]
    assert chairs[: len(named)] == named, "rows without a chair come last"
    chair.click()
    assert column(page, "chair")[: len(named)] == named[::-1]
    # by date: every dated row before the relative and undated ones
    page.locator("#qa-meet-table .qa-meet-sort[data-sort=date]").click()
    dated = [k.startswith("0") for k in column(page, "date")]
    assert dated == sorted(dated, reverse=True) and dated != [True] * len(dated)

    # filter box: rows with 黄钦 anywhere (chair or attendee)
    page.fill("#qa-meet-filter textarea", "黄钦")
    expected = web_bot.meetings(text="黄钦")
    wait_rows(page, len(expected))
    assert sorted(column(page, "name")) == sorted(m.name for m in expected)

    # open a row: its evidence sentence in place, the chair marked
    page.locator(f"{ROWS}[data-kname='市委常委会第167次会议'] > summary").click()
    evidence = page.locator(f"{ROWS}[open] .qa-meet-quotes")
    evidence.locator("mark.qa-chair").first.wait_for(timeout=15_000)
    assert evidence.locator("mark.qa-chair").first.inner_text() == "市委书记黄钦"
    assert "001_267acecd1d091097.txt ¶11" in evidence.inner_text()

    # download the filtered table as CSV
    with page.expect_download() as download:
        page.click("#qa-meet-csv")
    with open(download.value.path(), encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(io.StringIO(f.read())))
    assert [r["name"] for r in rows] == [m.name for m in expected]

    # the person filter: rows, timeline lanes and points follow it
    page.fill("#qa-meet-filter textarea", "")
    wait_rows(page, len(table))
    everyone = page.evaluate(LAYOUT_JS)["timeline"]["lanes"]
    page.locator("#qa-meet-person input").fill("周斌")
    page.locator("#qa-meet-person input").press("Enter")
    chosen = web_bot.meetings(person="周斌")
    wait_rows(page, len(chosen))
    tl = page.evaluate(LAYOUT_JS)["timeline"]
    lanes, dated = lanes_for(chosen)
    assert tl["lanes"] == lanes and sum(tl["points"]) == dated and len(lanes) < len(everyone)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "meetings-tab.png"), full_page=True)
    assert page.outside == [], "the page fetched something from outside the server"
