"""`perfdsl serve`: a live preview of the report in the browser.

An ASGI application (Starlette) served by uvicorn, bound to 127.0.0.1 unless told otherwise:

    GET /                   the report (FILE), or the list of .perf files (DIR)
    GET /view/<relpath>     one file of the served folder (DIR)
    GET /events?path=…&v=…  server-sent events: `reload` when that page's render changes

The page carries the file's diagnostics on top and a short script (allowed by a per-response CSP
nonce, and nothing else is) that reloads the page on a `reload` event. A watcher thread
(watchfiles) re-renders a page as soon as its file, an include, a template or a ruleset changes,
then wakes the event streams. A file with errors keeps showing its last good render, with the
errors above it.

Nothing outside the served folder is ever read through the server: only the routes above exist,
and /view/ serves .perf files that resolve (symlinks followed) inside the folder.

Why uvicorn and Starlette rather than http.server. The preview used to be a ThreadingHTTPServer:
a thread per connection, no limit on them, no timeout for a client that connects and says
nothing, and a shutdown that closed sockets under threads still writing to them (an
`OSError: Bad file descriptor` traceback on Ctrl+C with a page open, and a test that failed now
and then). Each of those is a piece of server code we would have to write and keep; uvicorn has
them, kept by others and used everywhere: one event loop for every connection (the open pages'
event streams cost no thread), a bounded number of connections (`MAX_CONNECTIONS`, then 503),
keep-alive and graceful-shutdown timeouts, and signal handling that stops cleanly on SIGTERM and
Ctrl+C. What it lacks — a deadline for a client that connects and never finishes a request
(slowloris) — is one small subclass of its protocol (`_Protocol`). Rendering is blocking work
and runs in Starlette's thread pool, which is bounded too (anyio's default of 40 threads).
Starlette is the routing and response layer a portfolio page of many files will need as well."""

from __future__ import annotations

import asyncio
import html
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

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
KEEPALIVE_SECONDS = 15.0  # a comment line on an idle event stream, to find closed pages
REQUEST_TIMEOUT_SECONDS = 10.0  # a client must send a whole request within this after connecting
IDLE_SECONDS = 5.0  # a kept-alive connection with no new request is closed after this
MAX_CONNECTIONS = 1000  # at once, open pages included; more are answered 503
STREAM_STEP_SECONDS = 0.1  # how often an event stream looks at its page's version
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
        if files:
            return self._portfolio_html(files, version, nonce), nonce
        items = "\n".join(f'<li><a href="/view/{quote(f)}">{html.escape(f)}</a></li>' for f in files)
        body = f'<p class="subtitle">{html.escape(str(self.root))}</p>\n' + (
            f'<ul class="files">\n{items}\n</ul>' if files else "<p>这个目录下没有 .perf 文件。</p>"
        )
        head = f"<style>{PREVIEW_CSS}</style>\n" + RELOAD_SCRIPT.format(nonce=nonce, path="", version=version)
        return page(body, {"title": "绩效评价文件", "subtitle": ""}, head_extra=head, csp=csp(nonce)), nonce

    def _portfolio_html(self, files: list[str], version: int, nonce: str) -> str:
        """The folder's portfolio page (the page `build DIR --to site` writes), its links to the
        live previews, refreshed when a file comes or goes."""
        from ..portfolio.site import render_index
        from ..portfolio.summary import aggregate, summarize_file

        rows = [summarize_file(os.path.join(str(self.root), f)) for f in files]
        rows = [replace_file(r, f) for r, f in zip(rows, files, strict=True)]
        links = {f: f"/view/{quote(f)}" for f in files}
        document = render_index(aggregate(rows), links, None, nonce)
        head = RELOAD_SCRIPT.format(nonce=nonce, path="", version=version)
        return document.replace("</head>", head + "\n</head>", 1)


def replace_file(row, rel: str):
    """A summary row named by its path inside the served folder."""
    from dataclasses import replace

    return replace(row, file=rel)


def _render_problem(path: str, error: Exception) -> Diagnostic:
    from ..diagnostics import Span

    # P0001 is "cannot read the file: {reason}"; the reason says what failed.
    return Diagnostic("P0001", Span.point(path, 1, 1), {"reason": f"报告生成失败：{type(error).__name__}: {error}"})


def _relevant(change, path: str) -> bool:
    return relevant(path)


# ---------------------------------------------------------------- HTTP


def _host_ok(host: str) -> bool:
    """Bound to loopback, answer only requests addressed to loopback (a page elsewhere cannot
    reach the preview by rebinding a name of its own to 127.0.0.1)."""
    host = host.strip().lower()
    if host.startswith("["):
        name = host[: host.find("]") + 1]
    else:
        name = host.rsplit(":", 1)[0] if ":" in host else host
    return name in LOOPBACK


def _escapes(rel: str) -> bool:
    """A request that tries to leave the folder (as opposed to naming a file that is not there)."""
    parts = rel.replace("\\", "/").split("/")
    return rel.startswith("/") or ".." in parts or (len(rel) > 1 and rel[1] == ":")


_COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


def _error(status: int, text: str):
    from starlette.responses import PlainTextResponse

    headers = dict(_COMMON_HEADERS, **{"Content-Security-Policy": "default-src 'none'"})
    return PlainTextResponse(f"{status} {text}\n", status_code=status, headers=headers)


def _html(text: str, nonce: str):
    from starlette.responses import HTMLResponse

    headers = dict(_COMMON_HEADERS, **{"Content-Security-Policy": csp(nonce) + "; frame-ancestors 'none'"})
    return HTMLResponse(text, headers=headers)


def make_app(preview: Preview, loopback_only: bool = True, closing=lambda: False):
    """The ASGI application of a preview. `closing()` says when the server is stopping (event
    streams then end at once)."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import StreamingResponse
    from starlette.routing import Route

    def index(request):
        if preview.is_dir:
            return _html(*preview.index_html())
        return _html(*preview.page_html(preview.file_rel))

    def view(request):
        rel = request.path_params["rel"]
        if preview.resolve_rel(rel) is None:
            return _error(403, "forbidden") if _escapes(rel) else _error(404, "not found")
        return _html(*preview.page_html(rel))

    async def events(request):
        rel = request.query_params.get("path", "")
        if rel and preview.resolve_rel(rel) is None:
            return _error(404, "not found")
        if not rel and not preview.is_dir:
            rel = preview.file_rel
        try:
            version = int(request.query_params.get("v", "-1"))
        except ValueError:
            version = -1
        headers = dict(_COMMON_HEADERS, Connection="close")
        return StreamingResponse(_stream(rel, version), media_type="text/event-stream; charset=utf-8", headers=headers)

    async def _stream(rel: str, version: int):
        yield b"retry: 500\n\n"
        last_write = last_check = time.monotonic()
        while not preview.stopping.is_set() and not closing():
            current = preview.version_of(rel)
            now = time.monotonic()
            if current != version:
                version = current
                last_write = now
                yield f"event: reload\ndata: {current}\n\n".encode()
            elif now - last_write >= KEEPALIVE_SECONDS:
                last_write = now
                yield b": keepalive\n\n"
            elif now - last_check >= STALE_CHECK_SECONDS:
                last_check = now
                await run_in_threadpool(preview.check_stale, rel)
            else:
                await asyncio.sleep(STREAM_STEP_SECONDS)

    def missing(request):
        return _error(404, "not found")

    app = Starlette(
        routes=[
            Route("/", index),
            Route("/events", events),
            Route("/view/{rel:path}", view),
            Route("/{anything:path}", missing),
        ]
    )

    async def guarded(scope, receive, send):
        """Refuse other hosts (DNS rebinding) and paths with a backslash or a NUL, before routing."""
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            host = headers.get(b"host", b"").decode("latin-1")
            raw = scope.get("raw_path") or scope.get("path", "").encode()
            if loopback_only and not _host_ok(host):
                return await _error(403, "forbidden host")(scope, receive, send)
            if b"\\" in raw or b"%5c" in raw.lower() or "\0" in scope.get("path", "") or b"%00" in raw:
                return await _error(400, "bad path")(scope, receive, send)
        await app(scope, receive, send)

    return guarded


def _protocol_class():
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class _Protocol(H11Protocol):
        """uvicorn's HTTP/1.1 protocol, with a deadline for a whole request: a client that
        connects and sends nothing, or sends a request a byte at a time, is disconnected after
        REQUEST_TIMEOUT_SECONDS instead of holding its connection for ever."""

        def connection_made(self, transport):
            super().connection_made(transport)
            self._arm(None)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm(self.cycle)

        def _arm(self, served) -> None:
            self.loop.call_later(REQUEST_TIMEOUT_SECONDS, self._request_deadline, served)

        def _request_deadline(self, served) -> None:
            waiting = self.cycle is None or self.cycle is served
            if waiting and not self.transport.is_closing():
                self.transport.close()

    return _Protocol


class PreviewServer:
    """A preview served by uvicorn on a socket bound at once (so that port 0 gets its port before
    serving starts). `run()` serves in this thread, stopping on SIGTERM or Ctrl+C; `start()` serves
    in a background thread and `stop()` ends it (tests, benchmarks, embedding)."""

    def __init__(self, preview: Preview, host: str = "127.0.0.1", port: int = DEFAULT_PORT, verbose: bool = False):
        import uvicorn

        self.preview = preview
        self.loopback_only = host in LOOPBACK
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.socket.bind((host.strip("[]"), port))
            self.socket.listen(128)
        except OSError:
            self.socket.close()
            raise
        self.server_address = self.socket.getsockname()
        config = uvicorn.Config(
            make_app(preview, self.loopback_only, self._should_exit),
            http=_protocol_class(),
            ws="none",
            lifespan="off",
            loop="asyncio",
            log_config=None,
            log_level="warning",
            access_log=verbose,
            server_header=False,
            date_header=False,
            proxy_headers=False,
            limit_concurrency=MAX_CONNECTIONS,
            timeout_keep_alive=int(IDLE_SECONDS),
            timeout_graceful_shutdown=1,
        )
        self.server: uvicorn.Server = uvicorn.Server(config)
        self._workers: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}/"

    def _should_exit(self) -> bool:
        return bool(self.server.should_exit)

    def run(self) -> None:
        """Serve until SIGTERM or Ctrl+C (uvicorn's own handlers: a clean stop, open pages
        included)."""
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self._closed()

    def start(self, watch: bool = True) -> PreviewServer:
        if watch:
            self._workers.append(threading.Thread(target=self.preview.watch, name="perfdsl-watch", daemon=True))
        self._workers.append(threading.Thread(target=self._serve_in_thread, name="perfdsl-serve", daemon=True))
        for t in self._workers:
            t.start()
        end = time.monotonic() + 10
        while not self.server.started and time.monotonic() < end:
            time.sleep(0.01)
        return self

    def _serve_in_thread(self) -> None:
        asyncio.run(self.server.serve(sockets=[self.socket]))

    def stop(self) -> None:
        self.server.should_exit = True
        self._closed()
        for t in self._workers:
            t.join(timeout=5)

    def _closed(self) -> None:
        self.preview.stopping.set()
        with self.preview.cond:
            self.preview.cond.notify_all()


def serve(
    target: str,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    options: RenderOptions | None = None,
    lang: str = "zh",
    verbose: bool = False,
    ready=None,
) -> None:
    """Serve until SIGTERM or Ctrl+C."""
    preview = Preview(target, options, lang)
    server = PreviewServer(preview, host, port, verbose)
    watcher = threading.Thread(target=preview.watch, name="perfdsl-watch", daemon=True)
    watcher.start()
    if ready is not None:
        ready(server)
    server.run()
    watcher.join(timeout=2)
