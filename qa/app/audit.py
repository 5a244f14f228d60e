"""The audit trail: every change to the corpus made through the page, appended beside the index.

``<index>/audit.log`` gets one JSON line per upload (per file), removal and rebuild, refused ones
included: when, who (the logged-in user, or the client's address), what, which file and how it
ended. It is only ever appended to (one ``write`` of one line on a file opened for appending, so
lines from concurrent writers never interleave) and ``qa status`` shows the last few.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

AUDIT_FILE = "audit.log"
#: How much of the end of the log :func:`recent` reads.
_TAIL_BYTES = 256 * 1024


@dataclass(frozen=True)
class Change:
    time: float
    #: The user name, or ``address 1.2.3.4`` without a login.
    who: str
    #: "upload", "remove" or "rebuild".
    action: str
    file: str
    result: str

    def line(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.time))
        what = f"{self.action} {self.file}".strip()
        return f"{when}  {self.who}  {what}: {self.result}"


def record(index: Path, who: str, action: str, file: str, result: str) -> Change:
    """Append one change to the index folder's audit log (created on first use)."""
    change = Change(time.time(), who, action, file, result)
    data = (json.dumps(asdict(change), ensure_ascii=False) + "\n").encode("utf-8")
    Path(index).mkdir(parents=True, exist_ok=True)
    fd = os.open(Path(index) / AUDIT_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    return change


def recent(index: Path, n: int = 5) -> list[Change]:
    """The last ``n`` changes, oldest first (a damaged line is skipped, not fatal)."""
    path = Path(index) / AUDIT_FILE
    try:
        with open(path, "rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - _TAIL_BYTES))
            lines = fh.read().decode("utf-8", "replace").splitlines()[-n:] if n > 0 else []
    except FileNotFoundError:
        return []
    changes = []
    for line in lines:
        try:
            changes.append(Change(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return changes
