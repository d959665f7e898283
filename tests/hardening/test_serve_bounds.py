"""`perfdsl serve` holds up: a clean stop with connections open, no thread per connection, a
deadline for clients that never finish a request, other hosts refused."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from perfdsl.authoring import serve as serve_module
from perfdsl.authoring.serve import Preview, PreviewServer

from .conftest import REPO, STARTER


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(port: int, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not come up")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_with_an_event_stream_a_kept_alive_and_an_idle_connection_open(project, sig):
    path = project("x.perf", STARTER)
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-m", "perfdsl.cli.main", "serve", str(path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    opened = []
    try:
        _wait_until_up(port)
        kept = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        kept.request("GET", "/")
        assert kept.getresponse().read()
        stream = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        stream.request("GET", "/events?v=-5")
        assert stream.getresponse().status == 200
        opened = [kept, stream, socket.create_connection(("127.0.0.1", port))]
        t0 = time.monotonic()
        os.killpg(proc.pid, sig)
        out, err = proc.communicate(timeout=15)
        stopped_in = time.monotonic() - t0
    finally:
        for c in opened:
            c.close()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Bad file descriptor" not in err, err
    assert stopped_in < 10


def test_idle_connections_cost_no_thread_and_time_out(project, monkeypatch):
    monkeypatch.setattr(serve_module, "REQUEST_TIMEOUT_SECONDS", 0.5)
    server = PreviewServer(Preview(str(project("x.perf", STARTER))), "127.0.0.1", 0).start(watch=False)
    port = server.server_address[1]
    idle = []
    try:
        before = threading.active_count()
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(100)]
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-")
        idle.append(slow)
        assert threading.active_count() <= before + 2  # no thread per connection
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200  # the next reader is served
        for s in (idle[0], slow):
            s.settimeout(10)
            assert s.recv(100) == b""  # closed by the server at the deadline
    finally:
        for s in idle:
            s.close()
        server.stop()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.evil.example", "", "localhost.:1"])
def test_other_hosts_are_refused(project, host):
    server = PreviewServer(Preview(str(project("x.perf", STARTER))), "127.0.0.1", 0).start(watch=False)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        conn.putrequest("GET", "/", skip_host=True)
        conn.putheader("Host", host)
        conn.endheaders()
        assert conn.getresponse().status in (400, 403)
    finally:
        server.stop()


def test_the_page_carries_a_policy_without_inline_script_from_the_report(project):
    text = STARTER + '\n正文 "其他" """\n<script>alert(1)</script> [x](javascript:alert(2))\n"""\n'
    server = PreviewServer(Preview(str(project("x.perf", text))), "127.0.0.1", 0).start(watch=False)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
        conn.request("GET", "/")
        resp = conn.getresponse()
        page = resp.read().decode()
        policy = resp.getheader("Content-Security-Policy")
        assert "script-src 'nonce-" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert page.count("<script") == 1 and "<script>alert" not in page
    finally:
        server.stop()
