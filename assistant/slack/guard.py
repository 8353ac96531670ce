"""What keeps the bot from answering twice or too often: seen ids, a per-user rate limit."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Generic, TypeVar

Clock = Callable[[], float]
V = TypeVar("V")


class Seen:
    """Ids seen within `ttl` seconds: `first(id)` is true once per id, even across threads."""

    def __init__(
        self, ttl: float = 3600.0, max_items: int = 50_000, clock: Clock = time.monotonic
    ) -> None:
        self.ttl, self.max_items, self.clock = ttl, max_items, clock
        self._items: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first(self, key: str) -> bool:
        now = self.clock()
        with self._lock:
            while self._items and (
                len(self._items) >= self.max_items
                or next(iter(self._items.values())) < now - self.ttl
            ):
                self._items.popitem(last=False)
            if key in self._items:
                return False
            self._items[key] = now
            return True


class RateLimiter:
    """At most `limit` questions per user in any `window` seconds (a sliding window)."""

    def __init__(self, limit: int, window: float = 60.0, clock: Clock = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._asked: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, user: str) -> tuple[bool, float]:
        """Whether `user` may ask now, and if not, how many seconds until they may."""
        now = self.clock()
        with self._lock:
            times = self._asked.setdefault(user, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.limit:
                return False, times[0] + self.window - now
            times.append(now)
            return True, 0.0


class Recent(Generic[V]):
    """The last `max_items` values by key, oldest forgotten first (answers awaiting 👍/👎)."""

    def __init__(self, max_items: int = 2000) -> None:
        self.max_items = max_items
        self._items: OrderedDict[str, V] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: str, value: V) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)

    def get(self, key: str | None) -> V | None:
        with self._lock:
            return self._items.get(key) if key else None
