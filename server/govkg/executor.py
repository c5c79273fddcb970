"""Run engine calls in processes that can be killed, so a runaway query is really stopped.

pyoxigraph evaluates a query inside Rust without ever returning to Python, so neither a thread
nor a signal can interrupt it (an ORDER BY over a cartesian product computes everything before
the first row). Queries therefore run in *executor* processes. When a call's deadline passes
the caller SIGKILLs its executor, reports the timeout and moves on; the next call gets a fresh
executor. The HTTP worker itself never touches the engine, so it stays responsive.

Executors are forked from a *zygote*: one single-threaded process forked when the pool is made
(before any server threads exist), holding the loaded store. Forking from it is cheap (the
data is shared copy-on-write) and safe (no lock can be held by a thread that does not exist in
the child). A caller asks for an executor by sending the zygote one end of a fresh socket pair
over the control socket (``SCM_RIGHTS``); the forked executor serves that socket until it is
closed. Because every request carries its own reply channel, all gunicorn workers can share one
zygote. Updates are *committed* in the zygote, so executors forked afterwards see them; a
generation counter in shared memory tells callers which idle executors have become stale.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import select
import signal
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_FRAME = struct.Struct("!Q")
_SPAWN, _COMMIT = b"S", b"C"
LONG_CALL = 0.25
"""Seconds after which a call counts as long-running: its executor is lowered to nice
``LONG_NICE`` so that, on a busy machine, short queries keep the CPU while runaway ones wait
for their deadline (measured in docs/reliability.md, overload)."""
LONG_NICE = 10


class Timeout(Exception):
    """The call did not finish before its deadline; its executor was killed."""


class Unavailable(Exception):
    """No executor could be started or one died mid-call (not the caller's fault)."""


@dataclass(slots=True)
class _Executor:
    sock: socket.socket
    pid: int
    generation: int

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.sock.close()


class Pool:
    """Killable executors for ``handler`` (calls) and a zygote that runs ``commit`` (updates)."""

    def __init__(
        self,
        handler: Callable[[Any], Any],
        commit: Callable[[Any], Any],
        *,
        setup: Callable[[], None] | None = None,
        spawn_timeout: float = 10.0,
    ) -> None:
        """``setup`` runs first thing in the zygote (e.g. opening an on-disk store there, so
        the calling process never holds the engine's threads or files)."""
        self._spawn_timeout = spawn_timeout
        self._shared = mmap.mmap(-1, _FRAME.size)  # the generation, shared with every fork
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        if os.fork() == 0:  # the zygote
            ours.close()
            _zygote(theirs, handler, commit, self._shared, setup)
        theirs.close()
        self._ctrl = ours
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        """Forget executors started by another process (a forked child must not share them)."""
        for inherited in getattr(self, "_idle", ()):
            inherited.sock.close()  # the parent's executor: close our copy, never kill it
        self._idle: list[_Executor] = []
        self._lock = threading.Lock()

    @property
    def generation(self) -> int:
        """How many commits the zygote has applied (the same number in every process)."""
        return _FRAME.unpack_from(self._shared)[0]

    def call(self, request: Any, timeout: float) -> Any:
        """Run ``handler(request)`` in an executor; raise what it raised, or :class:`Timeout`."""
        executor = self._checkout()
        deadline = time.monotonic() + timeout
        demoted = False
        try:
            _send(executor.sock, request, deadline)
            if not _readable(executor.sock, min(LONG_CALL, timeout)):
                demoted = _demote(executor.pid)
            ok, value = _recv(executor.sock, deadline)
        except TimeoutError:
            executor.kill()
            raise Timeout(f"stopped after {timeout:g} s") from None
        except (OSError, EOFError) as exc:
            executor.kill()
            raise Unavailable(f"query executor failed: {exc}") from None
        if demoted:
            executor.kill()  # an unprivileged process cannot get its priority back
        else:
            self._checkin(executor)
        if not ok:
            raise value
        return value

    def commit(self, request: Any, timeout: float) -> Any:
        """Run ``commit(request)`` in the zygote, so every later executor sees its effect."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + timeout
        with ours:
            try:
                socket.send_fds(self._ctrl, [_COMMIT], [theirs.fileno()])
                theirs.close()
                _send(ours, request, deadline)
                ok, value = _recv(ours, deadline)
            except (OSError, EOFError) as exc:  # TimeoutError included: the zygote is stuck
                raise Unavailable(f"store could not commit: {exc}") from None
        if not ok:
            raise value
        return value

    def warm(self, count: int) -> None:
        """Start ``count`` executors now so the first requests do not pay for the fork."""
        started = [self._spawn() for _ in range(count)]
        with self._lock:
            self._idle.extend(started)

    def _checkout(self) -> _Executor:
        current = self.generation
        with self._lock:
            while self._idle:
                executor = self._idle.pop()
                if executor.generation == current:
                    return executor
                executor.kill()  # forked before the last commit: its data is stale
        return self._spawn()

    def _checkin(self, executor: _Executor) -> None:
        with self._lock:
            self._idle.append(executor)

    def _spawn(self) -> _Executor:
        generation = self.generation
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            socket.send_fds(self._ctrl, [_SPAWN], [theirs.fileno()])
            theirs.close()
            ours.settimeout(self._spawn_timeout)
            pid = _FRAME.unpack(_recv_exact(ours, _FRAME.size))[0]
        except (OSError, EOFError) as exc:
            ours.close()
            raise Unavailable(f"could not start a query executor: {exc}") from None
        return _Executor(ours, pid, generation)


def _zygote(
    ctrl: socket.socket,
    handler: Callable[[Any], Any],
    commit: Callable[[Any], Any],
    shared: mmap.mmap,
    setup: Callable[[], None] | None,
) -> None:
    """Fork executors and apply commits until every holder of the control socket is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # executors are reaped automatically
    try:
        if setup is not None:
            setup()
        while True:
            message, fds, _flags, _addr = socket.recv_fds(ctrl, 16, 1)
            if not message:  # the server and all its workers have exited
                break
            channel = socket.socket(fileno=fds[0])
            if message == _SPAWN:
                if os.fork() == 0:
                    ctrl.close()
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    _serve(channel, handler)
                channel.close()
            elif message == _COMMIT:
                with channel:
                    _commit(channel, commit, shared)
    finally:
        os._exit(0)


def _commit(channel: socket.socket, commit: Callable[[Any], Any], shared: mmap.mmap) -> None:
    """Apply one commit; bump the generation *before* replying, so that once the caller
    hears back, every process already sees its executors as stale."""
    deadline = time.monotonic() + 60
    try:
        request = _recv(channel, deadline)
    except (EOFError, OSError):
        return
    try:
        reply = (True, commit(request))
    except Exception as exc:  # re-raised by the caller; nothing was changed
        reply = (False, exc)
    else:
        _FRAME.pack_into(shared, 0, _FRAME.unpack_from(shared)[0] + 1)
    with contextlib.suppress(OSError):
        _send(channel, reply, deadline)


def _serve(channel: socket.socket, handler: Callable[[Any], Any]) -> None:
    """An executor: answer requests on ``channel`` until the caller closes it."""
    try:
        channel.sendall(_FRAME.pack(os.getpid()))
        while _answer(channel, handler):
            pass
    finally:
        os._exit(0)


def _answer(channel: socket.socket, fn: Callable[[Any], Any]) -> bool:
    """Read one request, send ``(True, result)`` or ``(False, exception)``; False at EOF."""
    try:
        request = _recv(channel, None)
    except (EOFError, OSError):
        return False
    try:
        reply = (True, fn(request))
    except Exception as exc:  # sent back and re-raised by the caller
        reply = (False, exc)
    try:
        _send(channel, reply, None)
    except (pickle.PicklingError, TypeError, AttributeError):
        _send(channel, (False, Unavailable(f"unpicklable reply: {reply[1]!r}")), None)
    return True


def _readable(sock: socket.socket, seconds: float) -> bool:
    return bool(select.select([sock], [], [], max(0.0, seconds))[0])


def _demote(pid: int) -> bool:
    with contextlib.suppress(OSError):  # the executor may have exited already
        os.setpriority(os.PRIO_PROCESS, pid, LONG_NICE)
    return True


def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _send(sock: socket.socket, obj: Any, deadline: float | None) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    sock.settimeout(_remaining(deadline))
    sock.sendall(_FRAME.pack(len(data)) + data)


def _recv(sock: socket.socket, deadline: float | None) -> Any:
    size = _FRAME.unpack(_recv_exact(sock, _FRAME.size, deadline))[0]
    return pickle.loads(_recv_exact(sock, size, deadline))


def _recv_exact(sock: socket.socket, size: int, deadline: float | None = None) -> bytes:
    buf = bytearray(size)
    view = memoryview(buf)
    got = 0
    while got < size:
        if deadline is not None:
            sock.settimeout(_remaining(deadline))
        n = sock.recv_into(view[got:])
        if n == 0:
            raise EOFError("connection closed")
        got += n
    return bytes(buf)
