"""`perfdsl serve`: a live preview of the report in the browser.

A small stdlib HTTP server (ThreadingHTTPServer), bound to 127.0.0.1 unless told otherwise:

    GET /                   the report (FILE), or the list of .perf files (DIR)
    GET /view/<relpath>     one file of the served folder (DIR)
    GET /events?path=…&v=…  server-sent events: `reload` when that page's render changes

The page carries the file's diagnostics on top and a short script (allowed by a per-response CSP
nonce, and nothing else is) that reloads the page on a `reload` event. A watcher thread
(watchfiles) re-renders a page as soon as its file, an include, a template or a ruleset changes,
then wakes the event streams. A file with errors keeps showing its last good render, with the
errors above it.

Nothing outside the served folder is ever read through the server: only the routes above exist,
and /view/ serves .perf files that resolve (symlinks followed) inside the folder."""

from __future__ import annotations

import contextlib
import functools
import html
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from ..diagnostics import Diagnostic, Severity, sorted_diagnostics
from ..loader import load
from ..render.forms import stage_markdown
from ..render.html import page
from ..render.report import RenderOptions, metadata, render_markdown, resolve_options
from ..resources import rulesets_dir
from ..rules.ruleset import load_ruleset
from .deps import affects, relevant, source_dependencies, template_dependencies, watch_roots
from .preview import PREVIEW_CSS, diagnostics_html, lifecycle_html, markdown_to_html, year_over_year_html

DEFAULT_PORT = 8765
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
KEEPALIVE_SECONDS = 15.0
WATCH_STEP_MS = 20  # a save is picked up this long after the last write event
WATCH_DEBOUNCE_MS = 200  # …and a burst of writes is cut after this long
POLL_SECONDS = 0.1  # fallback when the file system cannot be watched
STALE_CHECK_SECONDS = 0.25  # an open page's files are also compared with the disk this often


def csp(nonce: str) -> str:
    """The page's policy: the report's own inline styles, embedded images, the one script that
    carries this nonce, and the event stream back to this server. Nothing else."""
    return (
        f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'"
    )


RELOAD_SCRIPT = """<script nonce="{nonce}">
(function () {{
  var status = document.createElement("div");
  status.className = "preview-status";
  status.textContent = "实时预览";
  var events = new EventSource("/events?path={path}&v={version}");
  events.addEventListener("reload", function () {{ events.close(); location.reload(); }});
  events.onopen = function () {{ status.className = "preview-status"; status.textContent = "实时预览"; }};
  events.onerror = function () {{ status.className = "preview-status offline"; status.textContent = "预览服务未连接"; }};
  document.addEventListener("DOMContentLoaded", function () {{ document.body.appendChild(status); }});
}})();
</script>
"""


@dataclass
class PageState:
    rel: str  # path relative to the served folder ("" for the index)
    path: str  # as given to the loader
    version: int = 0
    body: str = ""  # the last good report, as HTML
    meta: dict = field(default_factory=lambda: {"title": "", "subtitle": ""})
    good_at: str | None = None  # when `body` was rendered
    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    yoy_html: str = ""
    deps: frozenset[str] = frozenset()  # resolved paths whose change re-renders the page
    template_dirs: frozenset[str] = frozenset()
    signature: tuple = ()
    render_ms: float = 0.0

    @property
    def has_errors(self) -> bool:
        return any(d.severity == Severity.ERROR for d in self.diagnostics)


def _signature(paths) -> tuple:
    out: list[tuple] = []
    for p in sorted(paths):
        try:
            st = os.stat(p)
            out.append((p, st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:
            out.append((p, None))
    return tuple(out)


class Preview:
    """The state behind the server: one rendered page per viewed file, kept current."""

    def __init__(self, target: str, options: RenderOptions | None = None, lang: str = "zh"):
        t = Path(target)
        self.is_dir = t.is_dir()
        self.root = (t if self.is_dir else t.parent).resolve()
        self.target = str(t)
        self.file_rel = "" if self.is_dir else t.name  # the one file served, when not a folder
        self.options = options or RenderOptions()
        self.lang = lang
        self.pages: dict[str, PageState] = {}
        self.index_version = 0
        self.index_files: list[str] = []
        self.cond = threading.Condition()
        self.render_lock = threading.Lock()
        self.stopping = threading.Event()
        self.watching = threading.Event()  # set once the file watcher runs (tests wait for it)
        self.events: list[tuple[float, str, int]] = []  # (time, rel, version): for benchmarks
        self._index_checked = 0.0
        if self.is_dir:
            self.index_files = self.list_files()
        else:
            self.state(self.file_rel)

    # ------------------------------------------------------------ files

    def list_files(self) -> list[str]:
        out = []
        for f in sorted(self.root.rglob("*.perf")):
            rel = f.relative_to(self.root)
            if any(part.startswith(".") or part == "build" for part in rel.parts[:-1]):
                continue
            if self.inside(f):
                out.append(rel.as_posix())
        return out

    def inside(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.root)
            return True
        except (ValueError, OSError):
            return False

    def resolve_rel(self, rel: str) -> str | None:
        """A served file's path from a request, or None: only .perf files inside the folder, with
        no parent steps, no absolute paths, and no symlink that leads out."""
        if not rel or "\0" in rel or "\\" in rel or rel.startswith("/") or ":" in rel.split("/")[0]:
            return None
        parts = rel.split("/")
        if any(p in ("", ".", "..") for p in parts) or any(p.startswith(".") for p in parts):
            return None
        candidate = self.root / Path(*parts)
        if candidate.suffix != ".perf" or not self.inside(candidate) or not candidate.is_file():
            return None
        if not self.is_dir and rel != self.file_rel:
            return None
        return rel

    # ------------------------------------------------------------ rendering

    def state(self, rel: str) -> PageState:
        with self.cond:
            st = self.pages.get(rel)
        if st is None:
            st = PageState(rel, os.path.relpath(self.root / rel) if self.is_dir else self.target)
            self.render(st)
            with self.cond:
                self.pages.setdefault(rel, st)
                st = self.pages[rel]
        elif st.signature != _signature(st.deps):  # the watcher has not caught up (or cannot run)
            self.refresh_page(st)
        return st

    def render(self, st: PageState) -> bool:
        """Re-render one page; True when what the page shows changed."""
        t0 = time.perf_counter()
        with self.render_lock:
            loaded = load(st.path)
            diagnostics = list(loaded.diagnostics)
            deps = source_dependencies(st.path, loaded)  # the file, its includes, last year's file
            template_dirs = template_dependencies(loaded, self.options)
            body: str | None = None
            meta: dict = {}
            yoy = ""
            ev = loaded.evaluation
            if loaded.ok and ev is not None and not ev.is_fragment and loaded.scorecard is not None:
                try:
                    options = resolve_options(ev, self.options)
                    staged = stage_markdown(
                        ev, loaded.scorecard, options
                    )  # 申报表 or 监控表 before the self-evaluation
                    if staged is not None:
                        body, meta = markdown_to_html(staged[0]), staged[1]
                    else:
                        body = markdown_to_html(render_markdown(ev, loaded.scorecard, options))
                        meta = metadata(ev)
                except Exception as e:  # a unit's template that does not render: shown, never fatal
                    diagnostics.append(_render_problem(st.path, e))
                else:
                    yoy = year_over_year_html(loaded.scorecard.year_over_year) if loaded.scorecard else ""
                    yoy = lifecycle_html(ev, loaded.scorecard) + yoy
            elif loaded.ok and ev is not None and ev.is_fragment:
                body, meta = (
                    "<p>这是一个片段文件（没有「项目」块），由其他文件引用；打开引用它的文件查看报告。</p>",
                    {"title": Path(st.path).name, "subtitle": ""},
                )
            signature = _signature(deps)
        with self.cond:
            before = (st.body, tuple(st.diagnostics), st.yoy_html)
            st.diagnostics = sorted_diagnostics(diagnostics) if diagnostics else []
            st.texts = dict(loaded.texts)
            st.deps = frozenset(deps)
            st.template_dirs = frozenset(template_dirs)
            st.signature = signature
            if body is not None:
                st.body, st.meta, st.yoy_html = body, meta, yoy
                st.good_at = time.strftime("%H:%M:%S")
            st.render_ms = (time.perf_counter() - t0) * 1000
            changed = (st.body, tuple(st.diagnostics), st.yoy_html) != before
            if changed:
                st.version += 1
                self.events.append((time.perf_counter(), st.rel, st.version))
                del self.events[:-1000]
                self.cond.notify_all()
        return changed

    def refresh_page(self, st: PageState) -> None:
        self.render(st)

    def refresh(self, changed: set[str]) -> None:
        """Files changed on disk: re-render the pages that depend on them."""
        with self.cond:
            pages = list(self.pages.values())
        rules = str(rulesets_dir().resolve())
        if any(c.startswith(rules + os.sep) for c in changed):
            load_ruleset.cache_clear()
        for st in pages:
            if self._affects(st, changed):
                self.render(st)
        if self.is_dir:
            files = self.list_files()
            with self.cond:
                if files != self.index_files:
                    self.index_files = files
                    self.index_version += 1
                    self.cond.notify_all()

    @staticmethod
    def _affects(st: PageState, changed: set[str]) -> bool:
        return affects(changed, st.deps, st.template_dirs)

    def watch_roots(self) -> list[str]:
        with self.cond:
            files = set().union(*(st.deps for st in self.pages.values())) if self.pages else set()
            templates = set().union(*(st.template_dirs for st in self.pages.values())) if self.pages else set()
        return watch_roots([str(self.root)], files, templates)

    def moved_on(self, rel: str, seen: int) -> bool:
        """Whether the page (or the index) has a version other than `seen`, or the server stops."""
        return self.version_of(rel) != seen or self.stopping.is_set()

    def version_of(self, rel: str) -> int:
        if rel == "" and self.is_dir:
            return self.index_version
        st = self.pages.get(rel)
        return st.version if st else -1

    # ------------------------------------------------------------ watching

    def watch(self) -> None:
        """Re-render on changes until stopped (runs in its own thread)."""
        try:
            import watchfiles
        except ImportError:  # pragma: no cover — a dependency; polling still works
            return self._poll()
        while not self.stopping.is_set():
            roots = self.watch_roots()
            try:
                for changes in watchfiles.watch(
                    *roots,
                    watch_filter=_relevant,
                    stop_event=self.stopping,
                    step=WATCH_STEP_MS,
                    debounce=WATCH_DEBOUNCE_MS,
                    rust_timeout=300,
                    yield_on_timeout=True,
                    raise_interrupt=False,
                ):
                    self.watching.set()  # the first yield comes from a running watcher
                    if changes:
                        self.refresh({str(Path(p).resolve()) for _, p in changes})
                    if self.watch_roots() != roots:
                        break  # a new include or template folder: watch it too
            except (OSError, RuntimeError):
                return self._poll()

    def check_stale(self, rel: str) -> None:
        """A safety net under the watcher, run by the event streams while they wait: re-render a
        page whose files changed on disk without the watcher noticing."""
        if rel == "" and self.is_dir:
            now = time.monotonic()
            if now - self._index_checked >= 1.0:
                self._index_checked = now
                self.refresh(set())
            return
        with self.cond:
            st = self.pages.get(rel)
        if st is not None and _signature(st.deps) != st.signature:
            self.render(st)

    def _poll(self) -> None:
        self.watching.set()
        while not self.stopping.wait(POLL_SECONDS):
            with self.cond:
                pages = list(self.pages.values())
            for st in pages:
                if _signature(st.deps) != st.signature:
                    self.render(st)
            if self.is_dir:
                self.refresh(set())

    # ------------------------------------------------------------ pages

    def page_html(self, rel: str) -> tuple[str, str]:
        st = self.state(rel)
        nonce = secrets.token_urlsafe(18)
        with self.cond:
            box = diagnostics_html(
                st.diagnostics,
                st.texts,
                self.lang,
                stale_since=st.good_at,
                never_rendered=st.good_at is None,
                base=str(self.root),
            )
            body = box + st.yoy_html + '<article id="report">\n' + st.body + "\n</article>"
            meta = dict(st.meta)
            version = st.version
        if not meta.get("title"):
            meta["title"] = Path(st.path).name
        head = f"<style>{PREVIEW_CSS}</style>\n" + RELOAD_SCRIPT.format(nonce=nonce, path=quote(rel), version=version)
        return page(body, meta, head_extra=head, csp=csp(nonce)), nonce

    def index_html(self) -> tuple[str, str]:
        nonce = secrets.token_urlsafe(18)
        with self.cond:
            files = list(self.index_files)
            version = self.index_version
        items = "\n".join(f'<li><a href="/view/{quote(f)}">{html.escape(f)}</a></li>' for f in files)
        body = f'<p class="subtitle">{html.escape(str(self.root))}</p>\n' + (
            f'<ul class="files">\n{items}\n</ul>' if files else "<p>这个目录下没有 .perf 文件。</p>"
        )
        head = f"<style>{PREVIEW_CSS}</style>\n" + RELOAD_SCRIPT.format(nonce=nonce, path="", version=version)
        return page(body, {"title": "绩效评价文件", "subtitle": ""}, head_extra=head, csp=csp(nonce)), nonce


def _render_problem(path: str, error: Exception) -> Diagnostic:
    from ..diagnostics import Span

    # P0001 is "cannot read the file: {reason}"; the reason says what failed.
    return Diagnostic("P0001", Span.point(path, 1, 1), {"reason": f"报告生成失败：{type(error).__name__}: {error}"})


def _relevant(change, path: str) -> bool:
    return relevant(path)


# ---------------------------------------------------------------- HTTP


class Handler(BaseHTTPRequestHandler):
    server_version = "perfdsl-preview"
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return self.server_version

    @property
    def preview(self) -> Preview:
        return self.server.preview  # type: ignore[attr-defined]

    def log_message(self, format, *args) -> None:
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _host_ok(self) -> bool:
        """Bound to loopback, answer only requests addressed to loopback (a page elsewhere cannot
        reach the preview by rebinding a name of its own to 127.0.0.1)."""
        if not getattr(self.server, "loopback_only", True):
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):
            name = host[: host.find("]") + 1]
        else:
            name = host.rsplit(":", 1)[0] if ":" in host else host
        return name in LOOPBACK

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._get()

    def _get(self) -> None:
        if not self._host_ok():
            return self._error(HTTPStatus.FORBIDDEN, "forbidden host")
        raw = self.path
        if "\\" in raw or "\0" in raw:
            return self._error(HTTPStatus.BAD_REQUEST, "bad path")
        parts = urlsplit(raw)
        path = parts.path
        pv = self.preview
        if path == "/":
            if pv.is_dir:
                text, nonce = pv.index_html()
            else:
                text, nonce = pv.page_html(pv.file_rel)
            return self._html(text, nonce)
        if path == "/events":
            q = parse_qs(parts.query)
            rel = unquote(q.get("path", [""])[0])
            if rel and pv.resolve_rel(rel) is None:
                return self._error(HTTPStatus.NOT_FOUND, "not found")
            if not rel and not pv.is_dir:
                rel = pv.file_rel
            try:
                version = int(q.get("v", ["-1"])[0])
            except ValueError:
                version = -1
            return self._events(rel, version)
        if path.startswith("/view/"):
            rel = unquote(path[len("/view/") :])
            if pv.resolve_rel(rel) is None:
                status = HTTPStatus.FORBIDDEN if _escapes(rel) else HTTPStatus.NOT_FOUND
                return self._error(status, "not found" if status == HTTPStatus.NOT_FOUND else "forbidden")
            text, nonce = pv.page_html(rel)
            return self._html(text, nonce)
        return self._error(HTTPStatus.NOT_FOUND, "not found")

    def _common_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Frame-Options", "DENY")

    def _html(self, text: str, nonce: str) -> None:
        data = text.encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Security-Policy", csp(nonce) + "; frame-ancestors 'none'")
        self._common_headers()
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: HTTPStatus, text: str) -> None:
        data = f"{status.value} {text}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Security-Policy", "default-src 'none'")
        self._common_headers()
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _events(self, rel: str, version: int) -> None:
        pv = self.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self._common_headers()
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        self.wfile.write(b"retry: 500\n\n")
        self.wfile.flush()
        last_write = time.monotonic()
        while not pv.stopping.is_set() and not getattr(self.server, "closing", False):
            with pv.cond:
                pv.cond.wait_for(functools.partial(pv.moved_on, rel, version), timeout=STALE_CHECK_SECONDS)
                current = pv.version_of(rel)
            if pv.stopping.is_set():
                break
            if current != version:
                version = current
                self.wfile.write(f"event: reload\ndata: {current}\n\n".encode())
            elif time.monotonic() - last_write >= KEEPALIVE_SECONDS:
                self.wfile.write(b": keepalive\n\n")  # also finds out when the page was closed
            else:
                pv.check_stale(rel)
                continue
            self.wfile.flush()
            last_write = time.monotonic()


def _escapes(rel: str) -> bool:
    """A request that tries to leave the folder (as opposed to naming a file that is not there)."""
    parts = rel.replace("\\", "/").split("/")
    return rel.startswith("/") or ".." in parts or (len(rel) > 1 and rel[1] == ":")


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, preview: Preview, host: str = "127.0.0.1", port: int = DEFAULT_PORT, verbose: bool = False):
        self.preview = preview
        self.verbose = verbose
        self.closing = False
        self.loopback_only = host in LOOPBACK
        if ":" in host:
            import socket

            self.address_family = socket.AF_INET6
        super().__init__((host.strip("[]"), port), Handler)
        self._workers: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}/"

    def start(self, watch: bool = True) -> PreviewServer:
        """Serve (and watch) in background threads: for tests, benchmarks and embedding."""
        if watch:
            self._workers.append(threading.Thread(target=self.preview.watch, name="perfdsl-watch", daemon=True))
        self._workers.append(
            threading.Thread(
                target=self.serve_forever, kwargs={"poll_interval": 0.1}, name="perfdsl-serve", daemon=True
            )
        )
        for t in self._workers:
            t.start()
        return self

    def stop(self) -> None:
        self.closing = True
        self.preview.stopping.set()
        with self.preview.cond:
            self.preview.cond.notify_all()
        self.shutdown()
        self.server_close()
        for t in self._workers:
            t.join(timeout=5)


def serve(
    target: str,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    options: RenderOptions | None = None,
    lang: str = "zh",
    verbose: bool = False,
    ready=None,
) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM, which the command turns into KeyboardInterrupt)."""
    preview = Preview(target, options, lang)
    server = PreviewServer(preview, host, port, verbose)
    watcher = threading.Thread(target=preview.watch, name="perfdsl-watch", daemon=True)
    watcher.start()
    if ready is not None:
        ready(server)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.closing = True
        preview.stopping.set()
        with preview.cond:
            preview.cond.notify_all()
        server.server_close()
        watcher.join(timeout=2)
