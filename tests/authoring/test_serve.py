"""`perfdsl serve` over HTTP: the page, its live reload, its diagnostics, and what it refuses."""

from __future__ import annotations

import http.client
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from perfdsl.authoring.serve import Preview, PreviewServer

from .helpers import FIXTURES, perfdsl, seed_text, with_actual

ROOT_MARKER = "# the unit's repository\n"


def request(port: int, path: str, host: str | None = None) -> tuple[int, dict, str]:
    """One GET with the path sent exactly as given (no client-side normalisation)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host or f"127.0.0.1:{port}")
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def wait_for(predicate, timeout: float = 5.0, step: float = 0.02):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


class EventStream:
    """A client of /events, as the page's script is."""

    def __init__(self, port: int, query: str):
        self.events: queue.Queue = queue.Queue()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.conn.request("GET", f"/events?{query}")
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200
        assert self.resp.getheader("Content-Type").startswith("text/event-stream")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            while True:
                line = self.resp.fp.readline()
                if not line:
                    return
                if line.startswith(b"event: "):
                    self.events.put(line[7:].decode().strip())
        except (OSError, ValueError):
            return

    def next(self, timeout: float = 5.0) -> str:
        return self.events.get(timeout=timeout)

    def close(self):
        self.conn.close()


def page_when(port: int, condition, timeout: float = 5.0) -> str | None:
    """GET / until the page satisfies `condition`; the page, or None."""

    def attempt():
        page = request(port, "/")[2]
        return page if condition(page) else None

    return wait_for(attempt, timeout)


def version_of(page: str) -> int:
    return int(re.search(r"[?&]v=(\d+)", page).group(1))


@pytest.fixture
def unit(tmp_path):
    """A unit's folder (with perfdsl.toml) holding a copy of the seed with 发送短信 at 80万条."""
    folder = tmp_path / "unit"
    folder.mkdir()
    (folder / "perfdsl.toml").write_text(ROOT_MARKER, encoding="utf-8")
    f = folder / "hotline.perf"
    f.write_text(with_actual(seed_text(), "80"), encoding="utf-8")
    return folder


@pytest.fixture
def start():
    servers = []

    def _start(target) -> PreviewServer:
        server = PreviewServer(Preview(str(target)), "127.0.0.1", 0).start()
        servers.append(server)
        assert server.preview.watching.wait(10), "the file watcher did not start"
        return server

    yield _start
    for s in servers:
        s.stop()


def test_page_shows_the_report_and_reloads_on_save(unit, start):
    f = unit / "hotline.perf"
    server = start(f)
    port = server.server_address[1]
    status, headers, page = request(port, "/")
    assert status == 200
    assert "96.58" in page and "发送短信" in page
    assert "<table" in page and 'rowspan="' in page  # the grid tables became HTML tables
    # The CSP allows exactly the one script, by its nonce, and the event stream.
    policy = headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "script-src 'nonce-" in policy and "connect-src 'self'" in policy and "default-src 'none'" in policy
    assert "unsafe-eval" not in policy and "script-src 'unsafe-inline'" not in policy
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts == [f'<script nonce="{nonce}">']
    assert f"'nonce-{nonce}'" in page  # the same policy in the page's meta tag
    assert request(port, "/")[1]["content-security-policy"] != policy  # a fresh nonce per response

    events = EventStream(port, f"v={version_of(page)}")
    try:
        t0 = time.perf_counter()
        f.write_text(with_actual(seed_text(), "90"), encoding="utf-8")
        assert events.next() == "reload"
        latency = time.perf_counter() - t0
        page2 = request(port, "/")[2]
        assert "96.69" in page2 and "96.58" not in page2
        assert latency < 2.0, f"save → reload event took {latency * 1000:.0f} ms"
    finally:
        events.close()


def test_reload_without_the_file_watcher(unit):
    """Where the file system cannot be watched, the open page's event stream still notices."""
    f = unit / "hotline.perf"
    server = PreviewServer(Preview(str(f)), "127.0.0.1", 0).start(watch=False)
    try:
        port = server.server_address[1]
        events = EventStream(port, f"v={version_of(request(port, '/')[2])}")
        try:
            f.write_text(with_actual(seed_text(), "90"), encoding="utf-8")
            assert events.next(timeout=5) == "reload"
            assert "96.69" in request(port, "/")[2]
        finally:
            events.close()
    finally:
        server.stop()


def test_a_stale_page_is_told_to_reload_at_once(unit, start):
    server = start(unit / "hotline.perf")
    port = server.server_address[1]
    version = version_of(request(port, "/")[2])
    events = EventStream(port, f"v={version - 1}")  # the page was served before the last render
    try:
        assert events.next(timeout=2) == "reload"
    finally:
        events.close()


def test_errors_show_on_top_of_the_last_good_render(unit, start):
    f = unit / "hotline.perf"
    server = start(f)
    port = server.server_address[1]
    good = f.read_text(encoding="utf-8")
    lines = good.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("年度 "))
    broken = "".join(lines[: at + 1]) + '  实施单为 "x"\n' + "".join(lines[at + 1 :])
    f.write_text(broken, encoding="utf-8")
    page = page_when(port, lambda p: "P0201" in p)
    assert page, "the error never showed"
    box = page[page.index('class="diagnostics"') : page.index('id="report"')]
    assert f"hotline.perf:{at + 2}:3" in box and "错误" in box and "实施单位" in box
    assert "最近一次没有错误时" in box
    assert "96.58" in page[page.index('id="report"') :]  # the last good report is still there
    f.write_text(good, encoding="utf-8")
    page = page_when(port, lambda p: "P0201" not in p)
    assert page and "最近一次没有错误时" not in page and "96.58" in page


def test_a_file_with_errors_from_the_start(tmp_path, start):
    f = tmp_path / "bad.perf"
    f.write_text('项目 "x" {\n  年度 2023\n', encoding="utf-8")
    server = start(f)
    status, _, page = request(server.server_address[1], "/")
    assert status == 200
    assert "还没有可显示的报告" in page and "bad.perf:" in page


def test_include_change_reloads_the_page(unit, start):
    common = unit / "common"
    common.mkdir()
    (common / "background.perf").write_text('正文 "项目背景" """\n第一版背景。\n"""\n', encoding="utf-8")
    year = unit / "2023"
    year.mkdir()
    f = year / "x.perf"
    f.write_text(
        (FIXTURES / "diff" / "old.perf")
        .read_text(encoding="utf-8")
        .replace(
            '正文 "项目背景" """\n为保障业务正常开展，单位安排本项目。\n"""\n', '引用 "../common/background.perf"\n'
        ),
        encoding="utf-8",
    )
    server = start(f)
    port = server.server_address[1]
    page = request(port, "/")[2]
    assert "第一版背景" in page
    events = EventStream(port, f"v={version_of(page)}")
    try:
        (common / "background.perf").write_text('正文 "项目背景" """\n第二版背景。\n"""\n', encoding="utf-8")
        assert events.next() == "reload"
        assert "第二版背景" in request(port, "/")[2]
    finally:
        events.close()
    # A broken include shows its error; mending it brings the page back.
    (common / "background.perf").write_text('正文 "项目背景" """\n第三版背景。\n', encoding="utf-8")
    assert page_when(port, lambda p: "background.perf:" in p and "最近一次没有错误时" in p)
    (common / "background.perf").write_text('正文 "项目背景" """\n第三版背景。\n"""\n', encoding="utf-8")
    assert page_when(port, lambda p: "第三版背景" in p and "最近一次没有错误时" not in p)


def test_author_markdown_never_becomes_live_html(tmp_path, start):
    f = tmp_path / "x.perf"
    evil = (
        '正文 "其他需要说明的问题" """\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n'
        '[点我](javascript:alert(3)) [本地](file:///etc/passwd) [官网](https://example.org/)\n"""\n'
    )  # (a picture from the web is an error of its own: tests/hardening/test_markdown_safety.py)
    f.write_text((FIXTURES / "diff" / "old.perf").read_text(encoding="utf-8") + evil, encoding="utf-8")
    server = start(f)
    page = request(server.server_address[1], "/")[2]
    report = page[page.index('id="report"') :]
    assert "<script" not in report and "<img" not in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report
    assert "javascript:" not in re.sub(r">[^<]*<", "><", report)  # never inside a tag
    assert "file:" not in re.sub(r">[^<]*<", "><", report)
    assert 'href="https://example.org/"' in report


def test_paths_outside_the_folder_are_refused(unit, tmp_path, start):
    outside = tmp_path / "secret.perf"
    outside.write_text(seed_text(), encoding="utf-8")
    (tmp_path / "secret-dir").mkdir()
    (tmp_path / "secret-dir" / "y.perf").write_text(seed_text(), encoding="utf-8")
    os.symlink(outside, unit / "link.perf")
    os.symlink(tmp_path / "secret-dir", unit / "linkdir")
    sub = unit / "sub"
    sub.mkdir()
    (sub / "inner.perf").write_text(seed_text(), encoding="utf-8")
    for target in (unit / "hotline.perf", unit):
        server = start(target)
        port = server.server_address[1]
        probes = [
            "/../../../../etc/passwd",
            "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/..%2f..%2f..%2fetc%2fpasswd",
            "/etc/passwd",
            "//etc/passwd",
            "/view/../../../../etc/passwd",
            "/view/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/view/..%2f..%2fsecret.perf",
            "/view/%2fetc%2fpasswd",
            "/view//etc/passwd",
            "/view/..%5c..%5csecret.perf",
            "/view/sub/../../secret.perf",
            "/view/link.perf",
            "/view/linkdir/y.perf",
            "/view/perfdsl.toml",
            "/view/%00hotline.perf",
            "/view/hotline.perf%00.txt",
            "/view/.hidden.perf",
            "/view/C:/Windows/win.ini",
            "/events?path=../secret.perf",
            "/events?path=link.perf",
            "/view/" + str(outside),
            "/secret.perf",
            "/hotline.perf",
        ]
        for probe in probes:
            status, _, body = request(port, probe)
            assert status in (400, 403, 404), (target, probe, status)
            assert "root:" not in body and "96.39" not in body and "96.58" not in body, (target, probe)
    # Inside the folder, a DIR server shows what it should.
    status, _, index = request(port, "/")
    assert status == 200 and "hotline.perf" in index and "sub/inner.perf" in index
    assert "link.perf" not in index and "y.perf" not in index
    assert request(port, "/view/hotline.perf")[0] == 200
    assert request(port, "/view/sub/inner.perf")[0] == 200
    assert request(port, "/view/sub%2Finner.perf")[0] == 200


def test_a_request_for_another_host_is_refused(unit, start):
    port = start(unit / "hotline.perf").server_address[1]
    assert request(port, "/", host="evil.example")[0] == 403
    assert request(port, "/", host=f"evil.example:{port}")[0] == 403
    assert request(port, "/", host=f"localhost:{port}")[0] == 200


def test_folder_index_follows_new_files(unit, start):
    server = start(unit)
    port = server.server_address[1]
    page = request(port, "/")[2]
    assert "hotline.perf" in page and "second.perf" not in page
    events = EventStream(port, f"path=&v={version_of(page)}")
    try:
        (unit / "second.perf").write_text(seed_text(), encoding="utf-8")
        assert events.next() == "reload"
        assert "second.perf" in request(port, "/")[2]
    finally:
        events.close()
    status, _, view = request(port, "/view/second.perf")
    assert status == 200 and "96.39" in view


def test_year_over_year_box(tmp_path, start):
    import shutil

    root = tmp_path / "unit"
    shutil.copytree(FIXTURES / "years", root)
    (root / "perfdsl.toml").write_text(ROOT_MARKER, encoding="utf-8")
    page = request(start(root / "2024" / "device.perf").server_address[1], "/")[2]
    assert 'id="year-over-year"' in page
    assert "16.5万元" in page and "19.6万元" in page and "+18.79%" in page


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_the_command_serves_and_stops_on_sigterm(unit):
    from tests.conftest import ROOT

    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "perfdsl.cli.main", "serve", str(unit / "hotline.perf"), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        page = wait_for(lambda: _try(port), timeout=20, step=0.1)
        assert page and "96.58" in page
        with socket.create_connection(("127.0.0.1", port)) as s:  # bound to loopback only
            assert s.getpeername()[0] == "127.0.0.1"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert f"http://127.0.0.1:{port}/" in out
    assert "Traceback" not in err


def _try(port):
    try:
        return request(port, "/")[2]
    except OSError:
        return None


def test_serve_usage_errors(tmp_path):
    assert perfdsl("serve", tmp_path / "missing.perf").returncode == 2
    other = tmp_path / "notes.txt"
    other.write_text("x", encoding="utf-8")
    assert perfdsl("serve", other).returncode == 2
