"""The local executor's workers and how a folder's jobs are shared between them and this process.

This process is one of the processes a run uses: while the next result it must print is not
back, it works the next chunk no worker has been given, and holds those results until their turn
(`Shared`). So one fewer process is forked — each copies the pages it touches — and on a machine
busy with other work one fewer competes for the cores.

The workers, on Linux, are forked from this process and spoken to over two pipes each
(`ForkedWorkers`): length-prefixed pickles, nothing else. The standard library's process pool
does the same on top of multiprocessing, whose import alone (sockets, tempfile, subprocess,
compression modules: 15–20 ms) and management threads cost a folder's run more than its
smallest files; on other systems, where forking a Python process is not safe (macOS) or not
possible (Windows), that pool serves (`PoolWorkers`). Both give the same results; the tests run
each."""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import sys
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from . import ExecutorError

_HEADER = struct.Struct("<Q")  # a message's length, before it
_PIPE_BYTES = 1 << 20  # pipes widened (Linux) so a chunk's results seldom wait for the reader
_HELD_UNITS = 64  # chunks worked here ahead of the one due, before this process only waits


class WorkerLost(ExecutorError):
    """A worker ended before it gave back what it was given (killed, or out of memory): the run
    cannot be complete. (Ctrl-C is not this: the workers ignore it, and the process asked stops
    them.)"""

    def __init__(self, pid: int | None):
        who = f"（进程 {pid}）" if pid else ""
        super().__init__(f"一个工作进程{who}意外结束，本次运行未完成；可用 -j 1 在单个进程中重试")


class Workers(Protocol):
    """Processes working chunks of items with `job`, the results of each chunk sent back whole."""

    def room(self) -> bool:
        """Can a chunk be given now without a worker holding more than it can start soon?"""

    def give(self, unit: int, items: list) -> None: ...

    def back(self, wait: bool) -> list[tuple[int, list]]:
        """The chunks whose results are back: (unit, results); with `wait`, at least one (if any is
        out). A chunk whose job raised raises here."""

    def close(self, abandon: bool) -> None:
        """Let the workers go; `abandon`: at once, with what they still hold (an error, Ctrl-C)."""


def work(job: Callable[[Any], Any], items: list) -> list:
    return [job(item) for item in items]


class Shared:
    """The results of `units` (chunks of items), each as asked for (`take`), worked by `workers`
    and by this process."""

    def __init__(self, workers: Workers, job: Callable[[Any], Any], units: list[list]):
        self.workers, self.job, self.units = workers, job, units
        self.handed = 0  # units [0, handed) are given to a worker or worked here
        self.ready: dict[int, list] = {}  # unit → its results, back or worked here, not yet taken

    def take(self, unit: int) -> list:
        while True:
            while self.handed < len(self.units) and self.workers.room():  # the workers kept fed
                self.workers.give(self.handed, self.units[self.handed])
                self.handed += 1
            self.ready.update(self.workers.back(wait=False))
            if unit in self.ready:
                return self.ready.pop(unit)
            if self.handed < len(self.units) and len(self.ready) < _HELD_UNITS:
                mine = self.handed
                self.handed += 1
                self.ready[mine] = work(self.job, self.units[mine])
            else:
                self.ready.update(self.workers.back(wait=True))


# ---------------------------------------------------------------- forked (Linux)
class _Worker:
    __slots__ = ("pid", "tasks", "results", "unread", "out")

    def __init__(self, pid: int, tasks: int, results: int):
        self.pid, self.tasks, self.results = pid, tasks, results
        self.unread = bytearray()  # what came back and is not yet a whole message
        self.out: deque[int] = deque()  # the units given, in order: results come back in it

    def fileno(self) -> int:  # select() waits on a worker for its results
        return self.results


class ForkedWorkers:
    """`count` processes forked from this one, each given chunks over a pipe and sending their
    results back over another; `depth` chunks given to each at most (one worked, one waiting)."""

    depth = 2

    def __init__(self, count: int, job: Callable[[Any], Any], start: Callable[[], None]):
        self.job = job
        self.arrived: list[tuple[int, list]] = []  # results read, not yet handed back
        self.workers: list[_Worker] = []
        sys.stdout.flush()  # a child must not inherit (and never write) what is waiting here
        sys.stderr.flush()
        try:
            for _ in range(count):
                self._fork(start)
        except BaseException:
            self.close(abandon=True)
            raise

    def _fork(self, start: Callable[[], None]) -> None:
        tasks_read, tasks_write = os.pipe()
        results_read, results_write = os.pipe()
        _widen(tasks_write)
        _widen(results_write)
        pid = os.fork()
        if pid == 0:  # the worker: it never returns to the caller's code
            status = 1
            try:
                for fd in [tasks_write, results_read, *(fd for w in self.workers for fd in (w.tasks, w.results))]:
                    os.close(fd)
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the process asked stops the run
                start()
                _serve(self.job, tasks_read, results_write)
                status = 0
            finally:
                os._exit(status)
        os.close(tasks_read)
        os.close(results_write)
        os.set_blocking(tasks_write, False)  # written as the pipe takes it, reading results between
        self.workers.append(_Worker(pid, tasks_write, results_read))

    def room(self) -> bool:
        return any(len(w.out) < self.depth for w in self.workers)

    def give(self, unit: int, items: list) -> None:
        worker = min(self.workers, key=lambda w: len(w.out))
        body = pickle.dumps(items, pickle.HIGHEST_PROTOCOL)
        message = memoryview(_HEADER.pack(len(body)) + body)
        worker.out.append(unit)
        while message:
            try:
                message = message[os.write(worker.tasks, message) :]
            except BlockingIOError:  # the pipe is full: read what the workers send back meanwhile
                self._read(select.select([w for w in self.workers if w.out], [worker.tasks], [])[0])
            except BrokenPipeError:
                raise WorkerLost(worker.pid) from None

    def back(self, wait: bool) -> list[tuple[int, list]]:
        while True:
            waiting = [w for w in self.workers if w.out]
            if waiting:
                self._read(select.select(waiting, [], [], None if wait and not self.arrived else 0)[0])
            if self.arrived or not wait or not waiting:
                done, self.arrived = self.arrived, []
                return done

    def _read(self, ready: list[_Worker]) -> None:
        """What the `ready` workers sent, read; their whole results added to `arrived`."""
        done = self.arrived
        for worker in ready:
            data = os.read(worker.results, _PIPE_BYTES)
            if not data:
                raise WorkerLost(worker.pid)
            worker.unread += data
            while len(worker.unread) >= _HEADER.size:
                (size,) = _HEADER.unpack_from(worker.unread)
                if len(worker.unread) < _HEADER.size + size:
                    break
                body = bytes(worker.unread[_HEADER.size : _HEADER.size + size])
                del worker.unread[: _HEADER.size + size]
                ok, value = pickle.loads(body)
                unit = worker.out.popleft()
                if not ok:
                    raise value
                done.append((unit, value))

    def close(self, abandon: bool) -> None:
        for worker in self.workers:
            if abandon:
                _quietly(os.kill, worker.pid, signal.SIGKILL)
            _quietly(os.close, worker.tasks)  # no more work: the worker ends
        for worker in self.workers:
            _quietly(os.waitpid, worker.pid, 0)
            _quietly(os.close, worker.results)
        self.workers.clear()


def _serve(job: Callable[[Any], Any], tasks: int, results: int) -> None:
    """The worker's loop: a chunk read, worked, its results (or the error that stopped it) sent
    back; until the pipe of chunks is closed."""
    while True:
        head = _read_exactly(tasks, _HEADER.size)
        body = None if head is None else _read_exactly(tasks, _HEADER.unpack(head)[0])
        if body is None:  # the pipe closed: no more work (or the process asked is gone)
            return
        items = pickle.loads(body)
        try:
            reply = pickle.dumps((True, work(job, items)), pickle.HIGHEST_PROTOCOL)
        except Exception as e:  # a fault in perfdsl itself: raised again where the run was asked for
            reply = _error_reply(e)
        _write_all(results, _HEADER.pack(len(reply)) + reply)


def _error_reply(e: Exception) -> bytes:
    import traceback

    text = "".join(traceback.format_exception(e))
    try:
        e.add_note(f"in a worker:\n{text}")
        return pickle.dumps((False, e), pickle.HIGHEST_PROTOCOL)
    except Exception:  # an error that cannot be pickled: its text
        return pickle.dumps((False, RuntimeError(text)), pickle.HIGHEST_PROTOCOL)


def _read_exactly(fd: int, size: int) -> bytes | None:
    parts, left = [], size
    while left:
        data = os.read(fd, left)
        if not data:
            return None
        parts.append(data)
        left -= len(data)
    return b"".join(parts)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _widen(fd: int) -> None:
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_BYTES)
    except (ImportError, OSError):  # not Linux, or above the system's limit: the default pipe
        pass


def _quietly(call: Callable, *args: Any) -> None:
    with contextlib.suppress(OSError):  # already ended, already closed
        call(*args)


# ---------------------------------------------------------------- the standard library's pool
class PoolWorkers:
    """The same on concurrent.futures' process pool (spawned or forked as the system does)."""

    def __init__(self, count: int, job: Callable[[Any], Any], start: Callable[[], None]):
        from concurrent.futures import ProcessPoolExecutor

        self.job = job
        self.depth = 2 * count
        self.pool = ProcessPoolExecutor(max_workers=count, initializer=start)
        self.out: dict[Any, int] = {}  # future → unit

    def room(self) -> bool:
        return len(self.out) < self.depth

    def give(self, unit: int, items: list) -> None:
        with _pool_lost():  # a worker that died since the last result breaks the pool for new work too
            self.out[self.pool.submit(work, self.job, items)] = unit

    def back(self, wait: bool) -> list[tuple[int, list]]:
        if wait and self.out:
            from concurrent.futures import FIRST_COMPLETED
            from concurrent.futures import wait as wait_for

            wait_for(self.out, return_when=FIRST_COMPLETED)
        finished = [f for f in self.out if f.done()]
        with _pool_lost():
            return [(self.out.pop(f), f.result()) for f in finished]

    def close(self, abandon: bool) -> None:
        self.pool.shutdown(wait=not abandon, cancel_futures=abandon)


@contextlib.contextmanager
def _pool_lost() -> Iterator[None]:
    """The standard pool's word for a worker that died (BrokenProcessPool, from a result or from
    new work given after it), as the forked workers say it: WorkerLost."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        yield
    except BrokenProcessPool:
        raise WorkerLost(None) from None


def default_workers() -> type:
    """Forked workers where forking this process is safe (Linux), the standard pool elsewhere."""
    return ForkedWorkers if sys.platform.startswith("linux") and hasattr(os, "fork") else PoolWorkers
