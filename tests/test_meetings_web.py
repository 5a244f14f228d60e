"""The page's 会议 Meetings tab in a real browser: filter, sort, open a row, download the CSV.

Uses the page fixtures of tests/conftest.py (a private copy of the seeds, a real server, headless
Chromium). A screenshot of the tab is saved as test-artifacts/meetings-tab.png.
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.helpers.browser import ARTIFACTS, needs_browser

ROWS = "#qa-meet-table [role=row].virtual-row"


def column(pg, c: int) -> list[str]:
    rows = pg.locator(ROWS)
    return [rows.nth(i).locator("[role=gridcell]").nth(c).inner_text().strip() for i in range(rows.count())]


def open_tab(pg):
    pg.get_by_role("tab", name="会议 Meetings").click()
    pg.wait_for_selector(ROWS, timeout=30_000)


def wait_rows(pg, n: int):
    pg.wait_for_function(f"document.querySelectorAll('{ROWS}').length == {n}", timeout=30_000)


@pytest.mark.browser
@needs_browser
def test_meetings_tab_filter_sort_open_download(page, web_bot):
    table = web_bot.meetings()
    open_tab(page)
    wait_rows(page, len(table))
    assert column(page, 2) == [m.name for m in table]  # what Bot.meetings() returns, in its order

    # sort by chair (the column menu), then back
    header = page.locator("#qa-meet-table th[data-testid=header-3]:visible").first
    header.hover()
    header.locator("button.cell-menu-button").click()
    page.get_by_role("menuitem", name="Sort descending").click()
    page.wait_for_timeout(500)
    chairs = column(page, 3)
    assert chairs == sorted(chairs, reverse=True) and chairs != [m.chair or "" for m in table]

    # filter box: rows with 黄钦 anywhere (chair or attendee)
    page.fill("#qa-meet-filter textarea", "黄钦")
    expected = web_bot.meetings(text="黄钦")
    wait_rows(page, len(expected))
    assert sorted(column(page, 2)) == sorted(m.name for m in expected)

    # open a row: its evidence sentence, the chair marked
    row = next(i for i, name in enumerate(column(page, 2)) if name == "市委常委会第167次会议")
    page.locator(ROWS).nth(row).locator("[role=gridcell]").nth(2).click()
    page.wait_for_selector("#qa-meet-evidence mark.qa-chair", timeout=15_000)
    assert page.inner_text("#qa-meet-evidence mark.qa-chair") == "市委书记黄钦"
    assert "001_267acecd1d091097.txt ¶11" in page.inner_text("#qa-meet-evidence")

    # download the filtered table as CSV
    with page.expect_download() as download:
        page.click("#qa-meet-csv")
    with open(download.value.path(), encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(io.StringIO(f.read())))
    assert [r["name"] for r in rows] == [m.name for m in expected]

    # the person filter replaces the text filter's rows
    page.fill("#qa-meet-filter textarea", "")
    wait_rows(page, len(table))
    page.locator("#qa-meet-person input").fill("周斌")
    page.locator("#qa-meet-person input").press("Enter")
    wait_rows(page, len(web_bot.meetings(person="周斌")))
    page.wait_for_timeout(800)  # the timeline redraws
    assert page.locator("#qa-meet-plot canvas, #qa-meet-plot svg").count() > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "meetings-tab.png"), full_page=True)
    assert page.outside == [], "the page fetched something from outside the server"
