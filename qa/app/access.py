"""Who may use the page, and who may change the corpus (upload, remove, rebuild).

A page served on loopback is one person's tool: no login, everything allowed, as before. Served
to the network (``qa serve --host 0.0.0.0``) anyone who reaches the port would otherwise be able
to replace the documents, so there:

* with ``--auth`` (``QA_AUTH``) Gradio's login stands in front of the page and its API, and only
  users marked ``editor`` may change the corpus (every user with ``--allow-edits``);
* without ``--auth`` the page answers questions only, and says why, unless ``--allow-edits``
  says that everyone who reaches it may change the corpus.

The page hides what a user may not do, but the rule is enforced where the change happens
(:meth:`Access.edit_refusal` in the handlers), so a crafted request gets the same refusal.
"""

from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from ..config import Config

EDITOR = "editor"


class AuthError(ValueError):
    """The ``--auth`` value or file cannot be read as users."""


@dataclass(frozen=True)
class User:
    name: str
    password: str
    editor: bool = False


@dataclass(frozen=True)
class Access:
    #: Who may log in; empty means no login.
    users: tuple[User, ...] = ()
    #: The address the page is served on.
    host: str = "127.0.0.1"
    allow_edits: bool = False

    @classmethod
    def from_config(cls, config: Config, host: str = "127.0.0.1") -> "Access":
        return cls(parse_users(config.auth), host, config.allow_edits)

    @property
    def login(self) -> bool:
        return bool(self.users)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def check_login(self, username: str, password: str) -> bool:
        """Gradio's ``auth`` callable: a constant-time comparison with every user's password."""
        ok = False
        for user in self.users:
            same = hmac.compare_digest(user.name.encode(), str(username).encode()) & \
                hmac.compare_digest(user.password.encode(), str(password).encode())
            ok |= same
        return ok

    def edit_refusal(self, username: str | None) -> str | None:
        """Why this user (None: not logged in) may not change the corpus, or None when they may."""
        if self.login:
            user = next((u for u in self.users if u.name == username), None)
            if user is None:
                return "请先登录。(Log in first.)"
            if user.editor or self.allow_edits:
                return None
            return (f"用户 {user.name} 没有修改文档库的权限，只能提问。"
                    f"(User {user.name} is not an editor: asking only; an editor may add or remove files.)")
        if self.loopback or self.allow_edits:
            return None
        return ("此页面对网络开放且没有登录，因此只能提问，不能添加、删除文件或重建索引。"
                "(This page is served to the network without a login, so it offers asking only: "
                "start it with --auth and editor users, or --allow-edits, to change the documents here.)")

    def describe(self) -> str:
        """One line for the server's log: the rule it runs under."""
        if self.login:
            editors = [u.name for u in self.users if u.editor]
            who = "every user" if self.allow_edits else (", ".join(editors) or "nobody")
            return f"login required ({len(self.users)} users); may change the documents: {who}"
        why = self.edit_refusal(None)
        return f"no login; {why}" if why else "no login; the documents can be changed from the page"

    def anyone_may_edit(self) -> bool:
        """True when editing needs no login (what the page shows before it knows who is there)."""
        return not self.login and self.edit_refusal(None) is None


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def parse_users(spec: str) -> tuple[User, ...]:
    """Users from ``user:password[:editor]`` entries, comma-separated, or from a file of them.

    A value that names an existing file is read as one entry per line (blank lines and lines
    starting with ``#`` are skipped; a password may then hold commas). A password cannot end in
    ``:editor``: that marks the user an editor.
    """
    spec = (spec or "").strip()
    if not spec:
        return ()
    path = Path(spec).expanduser()
    if ":" not in spec or path.is_file():
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise AuthError(f"cannot read the users file {spec}: {exc.strerror or exc}") from exc
        entries = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
        where = f"{spec}: "
    else:
        entries = [e.strip() for e in spec.split(",") if e.strip()]
        where = ""
    users: dict[str, User] = {}
    for entry in entries:
        user = _user(entry, where)
        if user.name in users:
            raise AuthError(f"{where}user {user.name!r} is given twice")
        users[user.name] = user
    if not users:
        raise AuthError(f"{where}no users (expected user:password or user:password:editor)")
    return tuple(users.values())


def _user(entry: str, where: str) -> User:
    name, sep, password = entry.partition(":")
    editor = password.endswith(":" + EDITOR)
    if editor:
        password = password[: -len(EDITOR) - 1]
    if not sep or not name.strip() or not password:
        shown = name.strip() or "(no name)"
        raise AuthError(f"{where}the entry for {shown} is not user:password or user:password:editor")
    return User(name.strip(), password, editor)
