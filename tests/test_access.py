"""Who may use the page and change the corpus; limits; the audit trail (no server, no browser).

The same rules through a real server, gradio_client and Chromium: ``test_access_web.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import pytest

from qa import Config
from qa.app import audit
from qa.app.access import Access, AuthError, User, is_loopback, parse_users
from qa.app.limits import RateLimiter
from qa.app.uploads import ADDED, REJECTED, save_upload

TEXT = "2023年5月8日，市委书记李明远主持召开城市更新工作推进会。\n".encode()


def request(user: str | None = None, host: str = "10.0.0.7"):
    """What Gradio hands a handler: the logged-in user and the client's address."""
    return SimpleNamespace(username=user, client=SimpleNamespace(host=host))


# --- users -----------------------------------------------------------------------------------------


def test_users_from_entries_and_from_a_file(tmp_path):
    assert parse_users("") == ()
    assert parse_users("ann:s3cret:editor, bob:pa:ss") == (User("ann", "s3cret", True), User("bob", "pa:ss", False))
    users = tmp_path / "users"
    users.write_text("# the team\nann:a,b,c:editor\n\n  bob:x  \n", encoding="utf-8")
    assert parse_users(str(users)) == (User("ann", "a,b,c", True), User("bob", "x", False))


@pytest.mark.parametrize("spec, why", [
    ("ann", "cannot read the users file"),            # no ':' and no such file
    ("ann:", "not user:password"),
    (":pw", "not user:password"),
    ("ann:x,ann:y", "given twice"),
    ("ann::editor", "not user:password"),
])
def test_bad_users_are_refused_with_the_reason(spec, why):
    with pytest.raises(AuthError, match=why):
        parse_users(spec)


def test_login_check_knows_only_the_users_and_their_passwords():
    access = Access(parse_users("ann:one:editor,bob:two"))
    assert access.check_login("ann", "one") and access.check_login("bob", "two")
    assert not access.check_login("ann", "two") and not access.check_login("carl", "one")
    assert not access.check_login("", "") and not access.check_login("bob", "two ")


def test_who_may_change_the_corpus():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")
    # No login: the machine's own user may, the network may not unless --allow-edits says so.
    assert Access(host="127.0.0.1").edit_refusal(None) is None
    why = Access(host="0.0.0.0").edit_refusal(None)
    assert why and "served to the network without a login" in why and "--auth" in why
    assert Access(host="0.0.0.0", allow_edits=True).edit_refusal(None) is None
    assert not Access(host="0.0.0.0").anyone_may_edit() and Access().anyone_may_edit()
    # A login: editors may, other users ask only, on loopback too; --allow-edits lets every user.
    users = parse_users("ann:1:editor,bob:2")
    for host in ("127.0.0.1", "0.0.0.0"):
        access = Access(users, host)
        assert access.edit_refusal("ann") is None
        assert "bob is not an editor" in access.edit_refusal("bob")
        assert "Log in first" in access.edit_refusal(None) and "Log in first" in access.edit_refusal("eve")
        assert not access.anyone_may_edit()
    assert Access(users, "0.0.0.0", allow_edits=True).edit_refusal("bob") is None


def test_a_non_editor_is_refused_by_the_handlers_themselves(web_bot, tmp_path):
    """Hiding the controls is not the protection: the handlers refuse, change nothing, and log it."""
    from qa.app.handlers import Handlers

    h = Handlers(web_bot, Access(parse_users("ann:1:editor,bob:2"), "0.0.0.0"))
    corpus, index = web_bot.config.corpus, web_bot.config.index
    before = sorted(p.name for p in corpus.iterdir())
    generation = web_bot.status().generation
    doc = tmp_path / "新文件.txt"
    doc.write_bytes(TEXT)
    out = h.upload([str(doc)], False, request("bob"))
    assert "bob is not an editor" in out[0]
    first = before[0]
    assert "bob is not an editor" in h.remove(first, True, request("bob"))[0]
    assert "bob is not an editor" in h.rebuild(request("bob"))[0]
    assert "Log in first" in h.rebuild(request(None))[0]
    assert sorted(p.name for p in corpus.iterdir()) == before and web_bot.status().generation == generation
    shown = h.permissions(request("bob"))
    assert shown[0]["visible"] is False and shown[1]["visible"] is False
    assert shown[2]["visible"] is True and "bob is not an editor" in shown[2]["value"]
    assert all(u["visible"] is True for u in h.permissions(request("ann"))[:2])
    changes = audit.recent(index, 10)[-4:]
    assert [(c.who, c.action, c.result.split(":")[0]) for c in changes] == [
        ("bob", "upload", "refused"), ("bob", "remove", "refused"), ("bob", "rebuild", "refused"),
        ("address 10.0.0.7", "rebuild", "refused")]
    assert changes[0].file == "新文件.txt" and changes[1].file == first


def test_an_editor_upload_and_removal_are_logged_and_shown_by_qa_status(web_bot, tmp_path, capsys):
    from qa.app.cli import main
    from qa.app.handlers import Handlers

    h = Handlers(web_bot, Access(parse_users("ann:1:editor"), "0.0.0.0"))
    doc = tmp_path / "审计测试.txt"
    doc.write_bytes(TEXT)
    assert "1 added" in h.upload([str(doc)], False, request("ann"))[0]
    assert "1 removed" in h.remove(doc.name, True, request("ann"))[0]
    upload, removal = audit.recent(web_bot.config.index, 2)
    assert (upload.who, upload.action, upload.file) == ("ann", "upload", doc.name)
    assert upload.result.startswith("added; ok: 1 added") and "index gen-" in upload.result
    assert (removal.action, removal.file) == ("remove", doc.name) and "1 removed" in removal.result
    config = web_bot.config
    assert main(["--corpus", str(config.corpus), "--index", str(config.index), "status", "--changes", "2"]) == 0
    out = capsys.readouterr().out
    assert "recent changes from the page:" in out
    assert f"ann  upload {doc.name}: added" in out and f"ann  remove {doc.name}: ok" in out
    assert main(["--corpus", str(config.corpus), "--index", str(config.index), "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changes"][-1]["file"] == doc.name


def test_too_many_files_in_one_upload_adds_none(web_bot, tmp_path):
    from qa.app.handlers import Handlers

    bot = SimpleNamespace(config=web_bot.config.replace(max_uploads=2), status=web_bot.status)
    h = Handlers(bot, Access())
    docs = []
    for i in range(3):
        docs.append(tmp_path / f"多文件{i}.txt")
        docs[-1].write_bytes(TEXT + str(i).encode())
    out = h.upload([str(d) for d in docs], False, request(host="127.0.0.1"))[0]
    assert "At most 2 files per upload; this one had 3: nothing was added" in out
    assert not any((web_bot.config.corpus / d.name).exists() for d in docs)
    assert audit.recent(web_bot.config.index, 1)[0].result.startswith("refused: 3 files")


# --- limits ----------------------------------------------------------------------------------------


def test_corpus_size_limit(tmp_path):
    config = Config(corpus=tmp_path / "corpus", index=tmp_path / "index",
                    max_corpus_mb=(2 * len(TEXT) + 10) / 1024 / 1024).normalized()
    assert save_upload(config.corpus, "a.txt", TEXT, config).status == ADDED
    assert save_upload(config.corpus, "b.txt", TEXT + b"b", config).status == ADDED
    full = save_upload(config.corpus, "c.txt", TEXT + b"c", config)
    assert full.status == REJECTED and "over the" in full.message and "MB limit" in full.message
    assert sorted(p.name for p in config.corpus.iterdir()) == ["a.txt", "b.txt"]


def test_rate_limiter_allows_a_burst_then_the_rate():
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=3, clock=lambda: now[0])
    assert [limiter.wait("a") for _ in range(3)] == [0, 0, 0]
    assert limiter.wait("a") == pytest.approx(1.0)
    assert limiter.wait("b") == 0  # per client
    now[0] += 1.0
    assert limiter.wait("a") == 0 and limiter.wait("a") > 0
    now[0] += 100
    assert [limiter.wait("a") for _ in range(3)] == [0, 0, 0]  # refilled up to the burst, not beyond
    assert limiter.wait("a") > 0
    assert RateLimiter(0, 1).wait("a") == 0 and not RateLimiter(0, 1).enabled


def test_a_client_over_its_limit_is_told_to_wait(web_bot):
    from qa.app.handlers import Handlers

    h = Handlers(SimpleNamespace(config=web_bot.config.replace(ask_per_minute=1, ask_burst=1), ask=web_bot.ask,
                                 conversation=web_bot.conversation, ask_resolved=web_bot.ask_resolved))
    assert h.ask_api("谁主持召开了市委常委会第167次会议？", None, request("ann"))["answer"] == "黄钦"
    with pytest.raises(gr.Error, match=r"Too many questions from this client: try again in (59|60) s"):
        h.ask_api("谁主持召开了市委常委会第167次会议？", None, request("ann"))
    chat, turns = h.answer("谁主持召开了市委常委会第167次会议？", [], [], 5, True, request("ann"))
    assert "Too many questions" in chat[-1]["content"] and turns == []
    assert h.ask_api("谁主持召开了市委常委会第167次会议？", None, request("bob"))["found"]


def test_audit_log_is_appended_and_read_back_whole(tmp_path):
    assert audit.recent(tmp_path) == []
    for i in range(7):
        audit.record(tmp_path, "ann", "upload", f"f{i}.txt", "added")
    with open(tmp_path / audit.AUDIT_FILE, "a", encoding="utf-8") as fh:
        fh.write("not json\n")
    audit.record(tmp_path, "address 1.2.3.4", "rebuild", "", "failed: disk full")
    last = audit.recent(tmp_path, 3)
    assert [c.file for c in last] == ["f6.txt", ""] and last[-1].who == "address 1.2.3.4"
    assert "address 1.2.3.4  rebuild: failed: disk full" in last[-1].line()
    assert len(Path(tmp_path / audit.AUDIT_FILE).read_text(encoding="utf-8").splitlines()) == 9


def test_a_page_built_for_loopback_is_not_served_to_the_network(web_bot):
    """Its editing rights were decided for loopback: serving it on 0.0.0.0 would hand them out."""
    from qa.app.web import build_app, launch

    app = build_app(web_bot)
    with pytest.raises(ValueError, match="built to be served on 127.0.0.1, not 0.0.0.0"):
        launch(app, host="0.0.0.0", port=1, block=False, quiet=True)
