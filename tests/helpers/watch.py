"""Counting the times other processes open a file, with Linux inotify (for the writer-lock test).

A writer waiting for the index lock opens ``.lock`` every few milliseconds and is refused;
seeing those opens tells, without guessing from timings, that it has reached the lock.
"""

from __future__ import annotations

import ctypes
import os
import select
import struct
import time
from pathlib import Path

IN_OPEN = 0x20
_EVENT = struct.Struct("iIII")


class OpenWatch:
    def __init__(self, path: Path):
        self._libc = ctypes.CDLL(None, use_errno=True)
        self._fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self._fd < 0 or self._libc.inotify_add_watch(self._fd, os.fsencode(path), IN_OPEN) < 0:
            raise OSError(ctypes.get_errno(), f"inotify cannot watch {path}")
        self.opens = 0

    def wait_for(self, opens: int, timeout: float) -> bool:
        """Wait until ``opens`` opens have been seen in all; False on timeout."""
        deadline = time.monotonic() + timeout
        while self.opens < opens:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._fd], [], [], left)[0]:
                return False
            data = os.read(self._fd, 65536)
            offset = 0
            while offset < len(data):
                _, mask, _, length = _EVENT.unpack_from(data, offset)
                offset += _EVENT.size + length
                self.opens += bool(mask & IN_OPEN)
        return True

    def close(self) -> None:
        os.close(self._fd)
