"""Feed updates every few minutes beside a long-running surface (`briefing web`, `briefing slack`).

A daemon thread that sleeps on an event, so `stop()` ends it at once; an update that fails is
logged and the next one runs on time: a feed that is down must not take the chat down with it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class FeedSchedule:
    """Calls `update()` every `interval_s` seconds (first after `first_s`) until stopped."""

    def __init__(
        self,
        update: Callable[[], Any],
        interval_s: float,
        first_s: float | None = None,
        name: str = "feed-updates",
    ) -> None:
        if interval_s <= 0:
            raise ValueError("interval_s must be positive")
        self.update = update
        self.interval_s = interval_s
        self.first_s = interval_s if first_s is None else first_s
        self.runs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> FeedSchedule:
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 5.0) -> None:
        """Ask the thread to end and wait for it (an update under way finishes first)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _loop(self) -> None:
        wait = self.first_s
        while not self._stop.wait(wait):
            try:
                result = self.update()
                summary = getattr(result, "summary", None)
                log.info("Feed update: %s", summary() if callable(summary) else "done")
                for line in getattr(result, "results", []):
                    log.info("  %s", line.line())
                for e in getattr(getattr(result, "total", None), "failed", []):
                    log.warning("  skipped %s: %s", e.path, e.reason)
            except Exception:  # logged, not fatal: the next update runs on time
                log.exception("Feed update failed")
            self.runs += 1
            wait = self.interval_s


def start_feed_schedule(briefing: Any, interval_min: float) -> FeedSchedule | None:
    """The schedule for `briefing.update_feeds`, started, or None when the interval is 0 (off)."""
    if interval_min <= 0:
        return None
    log.info("Updating feeds every %g minutes", interval_min)
    # The first update right away: a surface that was down for a while catches up at start.
    return FeedSchedule(briefing.update_feeds, interval_min * 60, first_s=0).start()


class FeedUpdates:
    """A briefing factory for a long-running surface that starts the schedule on the briefing
    it makes; leaving the `with` block stops it.

    `with FeedUpdates(make_briefing, minutes) as make: serve(make)`"""

    def __init__(self, make_briefing: Callable[[], Any], interval_min: float) -> None:
        self.make_briefing = make_briefing
        self.interval_min = interval_min
        self.schedule: FeedSchedule | None = None

    def __call__(self) -> Any:
        briefing = self.make_briefing()
        if self.schedule is None:
            self.schedule = start_feed_schedule(briefing, self.interval_min)
        return briefing

    def __enter__(self) -> FeedUpdates:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.schedule is not None:
            self.schedule.stop()
