"""The page shared with others, end to end: a real server, gradio_client and headless Chromium.

* ``--auth``: nothing (page, config, /ask) without a login; a user who is not an editor sees and
  may do asking only; an editor sees the controls and changes the corpus.
* Served beyond loopback without a login: the page offers asking only and says why.
"""

from __future__ import annotations

import pytest

from qa import Bot
from qa.app.access import Access, parse_users
from qa.index.store import Store
from tests.helpers.browser import ARTIFACTS, ask, free_port, needs_browser, upload

SEED_QUESTION = "谁主持召开了市委常委会第167次会议？"
USERS = "ann:ann-pw:editor,bob:bob-pw,carol:carol-pw"


def _serve(web_bot: Bot, access: Access, **config):
    from qa.app.web import build_app, launch

    bot = Bot(web_bot.config.replace(**config), web_bot.embedder, Store(web_bot.config.index).load())
    app = build_app(bot, access)
    host = "0.0.0.0" if not access.loopback else "127.0.0.1"
    url = launch(app, host=host, port=free_port(), block=False, quiet=True)
    return app, url.replace("0.0.0.0", "127.0.0.1")


@pytest.fixture(scope="module")
def login_server(web_bot):
    """Served to the network with a login; carol's questions are limited to 4 at once."""
    app, url = _serve(web_bot, Access(parse_users(USERS), "0.0.0.0"), ask_per_minute=6, ask_burst=4)
    yield url
    app.close()


@pytest.fixture(scope="module")
def open_server(web_bot):
    """Served to the network without a login."""
    app, url = _serve(web_bot, Access(host="0.0.0.0"))
    yield url
    app.close()


def test_api_needs_a_login_and_works_with_one(login_server):
    from gradio_client import Client

    with pytest.raises(Exception, match="credentials were not provided"):
        Client(login_server, verbose=False)
    with pytest.raises(ValueError, match="Could not login"):
        Client(login_server, verbose=False, auth=("bob", "ann-pw"))
    got = Client(login_server, verbose=False, auth=("bob", "bob-pw")).predict(SEED_QUESTION, api_name="/ask")
    assert got["answer"] == "黄钦" and got["history"] == [[SEED_QUESTION, "黄钦"]]


def test_plain_http_without_a_login_is_refused(login_server):
    import httpx

    base = login_server.rstrip("/")
    for path in ("config", "gradio_api/info"):
        assert httpx.get(f"{base}/{path}", timeout=10).status_code == 401, path
    joined = httpx.post(f"{base}/gradio_api/queue/join", json={"data": [SEED_QUESTION, None], "fn_index": 0,
                                                              "session_hash": "x"}, timeout=10)
    assert joined.status_code == 401


def test_a_client_over_its_question_limit_is_told_to_wait(login_server):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(login_server, verbose=False, auth=("carol", "carol-pw"))
    for _ in range(4):
        assert client.predict(SEED_QUESTION, api_name="/ask")["found"]
    with pytest.raises(AppError, match=r"Too many questions from this client: try again in \d+ s"):
        client.predict(SEED_QUESTION, api_name="/ask")


def _login(browser, url: str, user: str, password: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.fill("input[type=text]", user)
    page.fill("input[type=password]", password)
    page.keyboard.press("Enter")
    return context, page


@pytest.mark.browser
@needs_browser
def test_browser_login_refuses_a_wrong_password(browser, login_server):
    context, page = _login(browser, login_server, "bob", "wrong")
    try:
        page.wait_for_selector("text=Incorrect Credentials", timeout=30_000)
        assert page.locator("#qa-question").count() == 0
    finally:
        context.close()


def _asks_only(page, why: str, screenshot: str) -> None:
    """The page says ``why`` it offers asking only, shows no way to change the documents, and answers."""
    page.wait_for_selector("#qa-question textarea", timeout=60_000)
    notice = page.locator("#qa-edit-notice")
    notice.wait_for(state="visible", timeout=30_000)
    assert why in notice.inner_text()
    assert not page.locator("#qa-add-panel").is_visible() and not page.locator("#qa-files").is_visible()
    page.click("#qa-status-panel button:has-text('索引状态 Index status')")
    page.wait_for_selector("#qa-status .qa-files")
    assert not page.locator("#qa-rebuild").is_visible() and not page.locator("#qa-remove").is_visible()
    assert ask(page, SEED_QUESTION).locator(".qa-short-text").inner_text() == "黄钦"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / screenshot))


@pytest.mark.browser
@needs_browser
def test_browser_user_who_is_not_an_editor_asks_only(browser, login_server):
    context, page = _login(browser, login_server, "bob", "bob-pw")
    try:
        _asks_only(page, "bob is not an editor", "page-not-an-editor.png")
    finally:
        context.close()


@pytest.mark.browser
@needs_browser
def test_browser_editor_may_add_files(browser, login_server, web_bot, tmp_path):
    context, page = _login(browser, login_server, "ann", "ann-pw")
    try:
        page.wait_for_selector("#qa-add-panel", state="visible", timeout=60_000)
        assert not page.locator("#qa-edit-notice").is_visible()
        doc = tmp_path / "编辑者上传.txt"
        doc.write_text("2023年9月1日，区长周文斌主持召开河道治理推进会。\n", encoding="utf-8")
        assert "已添加 added" in upload(page, doc).inner_text()
        assert (web_bot.config.corpus / doc.name).exists()
        assert ask(page, "谁主持召开了河道治理推进会？").locator(".qa-short-text").inner_text() == "周文斌"
    finally:
        context.close()


@pytest.mark.browser
@needs_browser
def test_browser_served_to_the_network_without_login_asks_only(browser, open_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(open_server)
        _asks_only(page, "served to the network without a login", "page-network-no-login.png")
    finally:
        context.close()


def test_a_full_queue_says_busy_instead_of_hanging(web_bot):
    """More questions at once than the queue holds: the extra ones are refused at once with a
    message to try again; every question that got in is answered."""
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client import Client

    app, url = _serve(web_bot, Access(), queue_size=1, ask_per_minute=0)
    try:
        clients = [Client(url, verbose=False) for _ in range(12)]

        def one(client):
            try:
                return client.predict(SEED_QUESTION, api_name="/ask")["answer"]
            except Exception as exc:  # noqa: BLE001 (the refusal is what is checked)
                return f"{type(exc).__name__}: {exc}"

        with ThreadPoolExecutor(12) as pool:
            got = list(pool.map(one, clients))
    finally:
        app.close()
    busy = [g for g in got if g != "黄钦"]
    assert busy and len(busy) < len(got), got
    assert all("Queue is full" in g and "try again" in g for g in busy), busy
