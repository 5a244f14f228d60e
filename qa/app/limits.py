"""A per-client limit on questions: a token bucket for each user name (or address).

One client asking in a loop must not starve everyone else of the two cores a small server has.
Each client may ask ``burst`` questions at once and then ``per_minute`` a minute; beyond that it
is told how long to wait. Buckets that have filled up again are forgotten, so a stream of
addresses cannot grow the table without bound.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

#: Buckets kept before full ones are dropped.
MAX_CLIENTS = 10_000


class RateLimiter:
    def __init__(self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate = per_minute / 60.0
        self.burst = max(1, int(burst))
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # client → (tokens, when)

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def wait(self, client: str) -> float:
        """Take one question for ``client``: 0 when it may ask now, else the seconds to wait."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        with self._lock:
            tokens, when = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - when) * self.rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                if len(self._buckets) > MAX_CLIENTS:
                    self._forget_full(now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        for client, (tokens, when) in list(self._buckets.items()):
            if tokens + (now - when) * self.rate >= self.burst:
                del self._buckets[client]


def too_many(seconds: float) -> str:
    """The refusal shown to a client over its limit."""
    wait = max(1, int(seconds + 0.999))
    return f"提问太频繁，请 {wait} 秒后再试。(Too many questions from this client: try again in {wait} s.)"
