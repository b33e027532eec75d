"""Small per-process memos that follow a version number kept in the shared cache.

Synonyms and the lexicon change rarely; each process keeps its own copy and checks the
shared version at most every ``LOCAL_SECONDS``, so a staff edit reaches every worker
within a second without a cache round trip per query.
"""

from __future__ import annotations

import time

from django.core.cache import cache

LOCAL_SECONDS = 0.5


class Versioned:
    instances: list[Versioned] = []

    def __init__(self, name: str, build):
        self.key = f"search:{name}:version"
        self.build = build
        self._value = None
        self._version = None
        self._checked = 0.0
        Versioned.instances.append(self)

    def bump(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:
            cache.set(self.key, time.time_ns(), timeout=None)
        self._checked = 0.0

    def _current_version(self):
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, time.time_ns(), timeout=None)
            version = cache.get(self.key)
        return version

    def get(self):
        now = time.monotonic()
        if self._value is not None and now - self._checked < LOCAL_SECONDS:
            return self._value
        version = self._current_version()
        if self._value is None or version != self._version:
            self._value = self.build()
            self._version = version
        self._checked = now
        return self._value

    def reset(self) -> None:
        self._value = None
        self._version = None

    @classmethod
    def reset_all(cls) -> None:
        for memo in cls.instances:
            memo.reset()
