"""A per-worker cache of written answers, keyed by data version and request.

Named questions and dashboards repeat the same requests; while the data version is unchanged
the answer bytes are too, so a repeated request need not reach an executor at all. Keys
include the data version (see ``protocol.run``), so an update makes old entries unreachable
and they age out. Queries using RAND, NOW, UUID, STRUUID or BNODE are never cached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from ..store import Answer


class AnswerCache:
    """Least-recently-used answers, bounded by the total size of their bodies."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Answer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Answer | None:
        with self._lock:
            answer = self._entries.get(key)
            if answer is not None:
                self._entries.move_to_end(key)
            return answer

    def put(self, key: str, answer: Answer) -> None:
        size = len(answer.body)
        if size > self.max_bytes // 8:  # one answer may not evict most of the others
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = answer
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, old = self._entries.popitem(last=False)
                self._bytes -= len(old.body)
